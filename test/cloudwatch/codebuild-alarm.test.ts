import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  PutMetricAlarmCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { codebuild, ROLE, waitForBuild } from '../codebuild/helpers.js';
import { credentials, testServer } from '../helpers/server.js';
import { sns } from '../sns/helpers.js';
import { cloudwatch } from './helpers.js';

/** Real time (builds run in it) that the test can move ahead to reach the next alarm evaluation. */
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };
const TOPIC = 'arn:aws:sns:us-east-1:000000000000:build-alerts';

let server: RunningServer;
let sqs: SQSClient;
let queueUrl: string;
const alarmEvents: BusEvent[] = [];

beforeAll(async () => {
  server = await testServer({ clock, buildExecutor: 'local' });
  // The alarm's topic, with a queue subscribed so the test reads what the topic received.
  sqs = new SQSClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  await sns(server).send(new CreateTopicCommand({ Name: 'build-alerts' }));
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'build-alerts' }))).QueueUrl!;
  await sns(server).send(new SubscribeCommand({ TopicArn: TOPIC, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:build-alerts' }));
  server.events.subscribe((e) => {
    if (e['detail-type'] === 'CloudWatch Alarm State Change') alarmEvents.push(e);
  });
  await codebuild(server).send(
    new CreateProjectCommand({
      name: 'flaky',
      source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo failing on purpose\n      - exit 1\n' },
      artifacts: { type: 'NO_ARTIFACTS' },
      environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
      serviceRole: ROLE,
    }),
  );
});
afterAll(() => server?.stop());

describe('CodeBuild metrics and an alarm on failed builds', () => {
  it('publishes FailedBuilds when builds fail, and an alarm on FailedBuilds >= 2 in 5 minutes goes to ALARM and notifies its topic', async () => {
    const cw = cloudwatch(server);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'too-many-failures',
        AlarmDescription: 'Two failed builds within five minutes',
        Namespace: 'AWS/CodeBuild',
        MetricName: 'FailedBuilds',
        Dimensions: [{ Name: 'ProjectName', Value: 'flaky' }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 2,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [TOPIC],
      }),
    );
    const created = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['too-many-failures'] }))).MetricAlarms![0];
    expect(created).toMatchObject({ StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation' });

    const started = Date.now() + offset;
    const cb = codebuild(server);
    for (let i = 0; i < 2; i++) {
      const { build } = await cb.send(new StartBuildCommand({ projectName: 'flaky' }));
      expect((await waitForBuild(cb, build!.id!)).buildStatus).toBe('FAILED');
    }

    const window = { StartTime: new Date(started - 10 * 60_000), EndTime: new Date(started + 10 * 60_000) };
    const data = await cw.send(
      new GetMetricDataCommand({
        ...window,
        MetricDataQueries: [
          { Id: 'failed', MetricStat: { Metric: { Namespace: 'AWS/CodeBuild', MetricName: 'FailedBuilds', Dimensions: [{ Name: 'ProjectName', Value: 'flaky' }] }, Period: 3600, Stat: 'Sum' } },
          { Id: 'all', MetricStat: { Metric: { Namespace: 'AWS/CodeBuild', MetricName: 'Builds' }, Period: 3600, Stat: 'Sum' } },
          { Id: 'succeeded', MetricStat: { Metric: { Namespace: 'AWS/CodeBuild', MetricName: 'SucceededBuilds' }, Period: 3600, Stat: 'Sum' } },
        ],
      }),
    );
    const sum = (id: string) => data.MetricDataResults!.find((r) => r.Id === id)!.Values!.reduce((a, b) => a + b, 0);
    expect([sum('failed'), sum('all'), sum('succeeded')]).toEqual([2, 2, 0]);
    const durations = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'AWS/CodeBuild', MetricName: 'BuildDuration', Dimensions: [{ Name: 'ProjectName', Value: 'flaky' }], ...window, Period: 3600, Statistics: ['SampleCount'] }),
    );
    expect(durations.Datapoints!.reduce((n, d) => n + d.SampleCount!, 0)).toBe(2);

    // The next evaluation minute sees both failures in the last five minutes.
    offset += 60_000;
    await server.scheduler.tick();
    const alarm = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['too-many-failures'] }))).MetricAlarms![0];
    expect(alarm.StateValue).toBe('ALARM');
    expect(alarm.StateReason).toMatch(
      /^Threshold Crossed: 1 out of the last 1 datapoints \[2\.0 \(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d\)\] was greater than or equal to the threshold \(2\.0\) \(minimum 1 datapoint for OK -> ALARM transition\)\.$/,
    );
    expect(JSON.parse(alarm.StateReasonData!)).toMatchObject({ version: '1.0', statistic: 'Sum', period: 300, threshold: 2, recentDatapoints: [2] });

    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'too-many-failures' }))).AlarmHistoryItems!;
    // Newest first: the action taken on the transition, the transition, the creation.
    expect(history.map((h) => h.HistoryItemType)).toEqual(['Action', 'StateUpdate', 'ConfigurationUpdate']);
    expect(history[1].HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');
    const action = history.find((h) => h.HistoryItemType === 'Action')!;
    expect(action.HistorySummary).toBe(`Successfully executed action ${TOPIC}`);
    const message = JSON.parse(JSON.parse(action.HistoryData!).publishedMessage);
    expect(message).toMatchObject({
      AlarmName: 'too-many-failures',
      NewStateValue: 'ALARM',
      OldStateValue: 'INSUFFICIENT_DATA',
      Region: 'US East (N. Virginia)',
      AlarmActions: [TOPIC],
      Trigger: { MetricName: 'FailedBuilds', Namespace: 'AWS/CodeBuild', StatisticType: 'Statistic', Statistic: 'SUM', Dimensions: [{ value: 'flaky', name: 'ProjectName' }], Period: 300, Threshold: 2, TreatMissingData: 'notBreaching' },
    });

    const deliveries = (await (await fetch(`${server.endpoint}/_codesuite/deliveries?target=${encodeURIComponent(TOPIC)}`)).json()) as { deliveries: { sender: string; sourceArn: string }[] };
    expect(deliveries.deliveries).toEqual([expect.objectContaining({ sender: 'cloudwatch', sourceArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:too-many-failures' })]);
    // The topic passed the alarm's message on to its subscribers, with the alarm's subject.
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }));
    const envelope = JSON.parse(Messages[0]?.Body ?? '{}') as { TopicArn: string; Subject: string; Message: string };
    expect(envelope.TopicArn).toBe(TOPIC);
    expect(envelope.Subject).toContain('ALARM: "too-many-failures"');
    expect(JSON.parse(envelope.Message)).toMatchObject({ AlarmName: 'too-many-failures', NewStateValue: 'ALARM' });

    expect(alarmEvents).toHaveLength(1);
    expect(alarmEvents[0]).toMatchObject({
      source: 'aws.cloudwatch',
      resources: ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:too-many-failures'],
      detail: { alarmName: 'too-many-failures', state: { value: 'ALARM' }, previousState: { value: 'INSUFFICIENT_DATA' } },
    });

    // Five minutes later the failures have left the window: back to OK, with the missing data treated as not breaching.
    offset += 5 * 60_000;
    await server.scheduler.tick();
    const later = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['too-many-failures'] }))).MetricAlarms![0];
    expect(later.StateValue).toBe('OK');
    expect(later.StateReason).toBe('Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].');
  });
});
