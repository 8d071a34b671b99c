import { CodestarNotificationsClient, CreateNotificationRuleCommand, UpdateNotificationRuleCommand } from '@aws-sdk/client-codestar-notifications';
import { CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivered, type Delivery } from '../../src/core/delivery.js';
import type { RunningServer } from '../../src/server.js';
import { codebuild, pushRepository, ROLE, waitForBuild } from '../codebuild/helpers.js';
import { FAILING_BUILD } from '../codebuild/scenario.js';
import { tempDir } from '../helpers/git.js';
import { credentials, testServer } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:build-alerts`;

let server: RunningServer;
let client: CodestarNotificationsClient;
/** What the stand-in SNS receiver was handed (SNS itself is another helper's work). */
const received: Delivery[] = [];
const work = tempDir();

beforeAll(async () => {
  server = await testServer({ buildExecutor: 'local' });
  server.delivery.register({
    service: 'sns',
    accepts: (arn) => arn.startsWith('arn:aws:sns:'),
    receive: async (d) => (received.push(d), delivered(`Published to ${d.targetArn}.`)),
  });
  client = new CodestarNotificationsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
});
afterAll(async () => {
  await server?.stop();
  work.remove();
});

async function deliveriesFrom(ruleArn: string, count: number): Promise<Delivery[]> {
  for (let i = 0; i < 200; i++) {
    const found = received.filter((d) => d.sourceArn === ruleArn);
    if (found.length >= count) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`expected ${count} deliveries from ${ruleArn}, got ${received.filter((d) => d.sourceArn === ruleArn).length}`);
}

async function rule(name: string, resource: string, eventTypeIds: string[], detailType: 'BASIC' | 'FULL' = 'BASIC'): Promise<string> {
  const { Arn } = await client.send(new CreateNotificationRuleCommand({ Name: name, Resource: resource, EventTypeIds: eventTypeIds, Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }], DetailType: detailType }));
  return Arn!;
}

describe('notification rules deliver events', () => {
  it('a failed CodeBuild build fires a build-state-failed rule with the message AWS publishes', async () => {
    const project = 'notify-build';
    const projectArn = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/${project}`;
    const failed = await rule('build failed', projectArn, ['codebuild-project-build-state-failed'], 'FULL');
    const succeeded = await rule('build succeeded', projectArn, ['codebuild-project-build-state-succeeded']);
    const { url } = await pushRepository(server, 'notify-build-repo', { 'buildspec.yml': FAILING_BUILD }, work.path);
    const cb = codebuild(server);
    await cb.send(
      new CreateProjectCommand({
        name: project,
        source: { type: 'CODECOMMIT', location: url },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'codesuite-test/busybox:1', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );
    const { build } = await cb.send(new StartBuildCommand({ projectName: project, sourceVersion: 'main' }));
    const done = await waitForBuild(cb, build!.id!);
    expect(done.buildStatus).toBe('FAILED');

    const [delivery] = await deliveriesFrom(failed, 1);
    expect(delivery).toMatchObject({ targetArn: TOPIC, sourceService: 'codestar-notifications.amazonaws.com', sourceArn: failed, sourceAccount: ACCOUNT });
    const message = JSON.parse(delivery.message);
    expect(Object.keys(message)).toEqual(['account', 'detailType', 'region', 'source', 'time', 'notificationRuleArn', 'detail', 'resources', 'additionalAttributes']);
    expect(message).toMatchObject({
      account: ACCOUNT,
      detailType: 'CodeBuild Build State Change',
      region: 'us-east-1',
      source: 'aws.codebuild',
      notificationRuleArn: failed,
      detail: { 'build-status': 'FAILED', 'project-name': project, 'build-id': done.arn },
      resources: [done.arn],
      additionalAttributes: {},
    });
    expect(message.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const records = (await (await fetch(`${server.endpoint}/_codesuite/deliveries?source=${encodeURIComponent(failed)}`)).json()) as { deliveries: { status: string; targetArn: string; sender: string; message: string }[] };
    expect(records.deliveries).toEqual([expect.objectContaining({ status: 'SUCCEEDED', targetArn: TOPIC, sender: 'codestar-notifications', message: delivery.message })]);
    expect(received.filter((d) => d.sourceArn === succeeded)).toEqual([]);
  });

  it('a push to a repository fires a branches-and-tags-created rule, and a disabled rule stays quiet', async () => {
    const repositoryArn = `arn:aws:codecommit:us-east-1:${ACCOUNT}:notify-push`;
    const created = await rule('branch created', repositoryArn, ['codecommit-repository-branches-and-tags-created']);
    const disabled = await rule('branch created off', repositoryArn, ['codecommit-repository-branches-and-tags-created']);
    await client.send(new UpdateNotificationRuleCommand({ Arn: disabled, Status: 'DISABLED' }));
    await pushRepository(server, 'notify-push', { 'README.md': 'hello\n' }, work.path);
    const [delivery] = await deliveriesFrom(created, 1);
    expect(JSON.parse(delivery.message)).toMatchObject({
      detailType: 'CodeCommit Repository State Change',
      source: 'aws.codecommit',
      resources: [repositoryArn],
      detail: { event: 'referenceCreated', referenceName: 'main', repositoryName: 'notify-push' },
    });
    expect(received.filter((d) => d.sourceArn === disabled)).toEqual([]);
  });

  it("fires pipeline rules on CodePipeline's events, manual approvals included, with FULL's additional information", async () => {
    const pipelineArn = `arn:aws:codepipeline:us-east-1:${ACCOUNT}:release`;
    const approval = await rule('approvals', pipelineArn, ['codepipeline-pipeline-manual-approval-needed'], 'FULL');
    const actions = await rule('action failures', pipelineArn, ['codepipeline-pipeline-action-execution-failed'], 'FULL');
    const event = (state: string, category: string, result?: Record<string, string>) =>
      server.events.publish({
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': 'CodePipeline Action Execution State Change',
        source: 'aws.codepipeline',
        account: ACCOUNT,
        time: '2026-01-01T00:00:00Z',
        region: 'us-east-1',
        resources: [pipelineArn],
        detail: { pipeline: 'release', 'execution-id': 'e-1', stage: 'Approve', action: 'Approve', state, type: { owner: 'AWS', provider: category === 'Approval' ? 'Manual' : 'CodeBuild', category, version: '1' }, ...(result ? { 'execution-result': result } : {}) },
      });
    event('STARTED', 'Approval');
    event('FAILED', 'Build', { 'external-execution-summary': 'Build terminated with state: FAILED', 'error-code': 'JobFailed' });
    const [needed] = await deliveriesFrom(approval, 1);
    expect(JSON.parse(needed.message)).toMatchObject({ detailType: 'CodePipeline Action Execution State Change', detail: { state: 'STARTED' }, additionalAttributes: {} });
    const [failure] = await deliveriesFrom(actions, 1);
    expect(JSON.parse(failure.message).additionalAttributes).toEqual({ additionalInformation: 'Build terminated with state: FAILED' });
  });
});
