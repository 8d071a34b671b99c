import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDeploymentCommand, GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { fleet } from '../codedeploy/helpers.js';
import { testServer } from '../helpers/server.js';
import { cloudwatch } from './helpers.js';

/** Real time the test can move ahead to reach the deployment's next alarm poll. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
let server: RunningServer;

beforeAll(async () => {
  server = await testServer({ clock, deployPollSeconds: 2 });
});
afterAll(() => server?.stop());

describe("CodeDeploy's alarm configuration", () => {
  it('stops a running deployment when one of its alarms goes to ALARM, and tries the rollback the group asks for', async () => {
    const cw = cloudwatch(server);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'deploy-errors',
        Namespace: 'App',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        // No data keeps whatever state the test sets.
        TreatMissingData: 'ignore',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'deploy-errors', StateValue: 'OK', StateReason: 'quiet' }));
    const f = await fleet(server, ['web-1'], {
      alarmConfiguration: { enabled: true, alarms: [{ name: 'deploy-errors' }] },
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_STOP_ON_ALARM'] },
    });
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    await server.scheduler.tick();
    expect((await f.cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!.status).toBe('InProgress');

    await cw.send(new SetAlarmStateCommand({ AlarmName: 'deploy-errors', StateValue: 'ALARM', StateReason: 'errors after the deploy' }));
    offset += 61_000;
    await server.scheduler.tick();
    const info = (await f.cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    expect(info).toMatchObject({
      status: 'Stopped',
      errorInformation: { code: 'ALARM_ACTIVE' },
      rollbackInfo: { rollbackMessage: 'Automatic rollback was not attempted because there is no previous successful deployment of this deployment group.' },
    });
    expect(info.deploymentStatusMessages).toContain(
      'One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <deploy-errors>',
    );
  });
});
