import {
  CodestarNotificationsClient,
  CreateNotificationRuleCommand,
  DeleteNotificationRuleCommand,
  DeleteTargetCommand,
  DescribeNotificationRuleCommand,
  ListEventTypesCommand,
  ListNotificationRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
  UpdateNotificationRuleCommand,
} from '@aws-sdk/client-codestar-notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsCli, awsCliFailure, installedAwsClis } from '../helpers/aws-cli.js';
import { awsError, credentials, testServer } from '../helpers/server.js';

const ACCOUNT = '000000000000';
const PROJECT = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/web`;
const REPOSITORY = `arn:aws:codecommit:us-east-1:${ACCOUNT}:web-repo`;
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:builds`;
const OTHER_TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`;

let server: RunningServer;
let client: CodestarNotificationsClient;
beforeAll(async () => {
  server = await testServer();
  client = new CodestarNotificationsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
});
afterAll(() => server?.stop());

describe('CodeStar Notifications event types', () => {
  it("lists AWS's event types, by page and by filter", async () => {
    const first = await client.send(new ListEventTypesCommand({ MaxResults: 20 }));
    expect(first.EventTypes).toHaveLength(20);
    const rest = await client.send(new ListEventTypesCommand({ NextToken: first.NextToken }));
    expect(rest.NextToken).toBeUndefined();
    const all = [...first.EventTypes!, ...rest.EventTypes!];
    expect(all).toHaveLength(38);
    expect(all).toContainEqual({ EventTypeId: 'codedeploy-application-deployment-failed', ServiceName: 'CodeDeploy', EventTypeName: 'Deployment: Failed', ResourceType: 'Application' });
    expect(all.map((t) => t.EventTypeId)).toContain('codepipeline-pipeline-manual-approval-needed');
    const builds = await client.send(new ListEventTypesCommand({ Filters: [{ Name: 'SERVICE_NAME', Value: 'CodeBuild' }] }));
    expect(builds.EventTypes!.map((t) => t.EventTypeId).sort()).toEqual([
      'codebuild-project-build-phase-failure',
      'codebuild-project-build-phase-success',
      'codebuild-project-build-state-failed',
      'codebuild-project-build-state-in-progress',
      'codebuild-project-build-state-stopped',
      'codebuild-project-build-state-succeeded',
    ]);
    const repos = await client.send(new ListEventTypesCommand({ Filters: [{ Name: 'RESOURCE_TYPE', Value: 'Repository' }] }));
    expect(repos.EventTypes).toHaveLength(11);
    expect((await awsError(client.send(new ListEventTypesCommand({ NextToken: 'bm90LWEtbnVtYmVy' })))).name).toBe('InvalidNextTokenException');
  });
});

describe('CodeStar Notifications rules', () => {
  it('creates, describes, updates, lists and deletes a rule', async () => {
    const { Arn } = await client.send(
      new CreateNotificationRuleCommand({
        Name: 'web builds',
        Resource: PROJECT,
        EventTypeIds: ['codebuild-project-build-state-failed', 'codebuild-project-build-state-succeeded'],
        Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }],
        DetailType: 'FULL',
        Tags: { team: 'web' },
      }),
    );
    expect(Arn).toMatch(/^arn:aws:codestar-notifications:us-east-1:000000000000:notificationrule\/[0-9a-f]{40}$/);
    const rule = await client.send(new DescribeNotificationRuleCommand({ Arn }));
    expect(rule).toMatchObject({
      Arn,
      Name: 'web builds',
      Resource: PROJECT,
      DetailType: 'FULL',
      Status: 'ENABLED',
      CreatedBy: `arn:aws:iam::${ACCOUNT}:root`,
      Targets: [{ TargetAddress: TOPIC, TargetType: 'SNS', TargetStatus: 'ACTIVE' }],
      Tags: { team: 'web' },
    });
    expect(rule.EventTypes!.map((t) => t.EventTypeName)).toEqual(['Build state: Failed', 'Build state: Succeeded']);
    expect(rule.CreatedTimestamp).toBeInstanceOf(Date);

    await client.send(new UpdateNotificationRuleCommand({ Arn, Status: 'DISABLED', DetailType: 'BASIC', EventTypeIds: ['codebuild-project-build-phase-failure'] }));
    const updated = await client.send(new DescribeNotificationRuleCommand({ Arn }));
    expect(updated).toMatchObject({ Status: 'DISABLED', DetailType: 'BASIC', EventTypes: [{ EventTypeId: 'codebuild-project-build-phase-failure' }] });

    const listed = await client.send(new ListNotificationRulesCommand({ Filters: [{ Name: 'RESOURCE', Value: PROJECT }] }));
    expect(listed.NotificationRules).toEqual([{ Id: Arn!.split('/')[1], Arn }]);
    expect((await client.send(new ListNotificationRulesCommand({ Filters: [{ Name: 'TARGET_ADDRESS', Value: OTHER_TOPIC }] }))).NotificationRules).toEqual([]);

    await client.send(new DeleteNotificationRuleCommand({ Arn }));
    const gone = await awsError(client.send(new DescribeNotificationRuleCommand({ Arn })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('refuses names in use, event types of another resource, unsupported resources and targets, and answers a repeated token with the first rule', async () => {
    const base = {
      Name: 'repo-watch',
      Resource: REPOSITORY,
      EventTypeIds: ['codecommit-repository-pull-request-created'],
      Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }],
      DetailType: 'BASIC' as const,
      ClientRequestToken: 'token-1',
    };
    const { Arn } = await client.send(new CreateNotificationRuleCommand(base));
    expect((await client.send(new CreateNotificationRuleCommand(base))).Arn).toBe(Arn);
    expect(await awsError(client.send(new CreateNotificationRuleCommand({ ...base, ClientRequestToken: 'token-2' })))).toMatchObject({ name: 'ResourceAlreadyExistsException', status: 409 });
    const wrongKind = await awsError(client.send(new CreateNotificationRuleCommand({ ...base, Name: 'x', ClientRequestToken: undefined, EventTypeIds: ['codebuild-project-build-state-failed'] })));
    expect(wrongKind.name).toBe('ValidationException');
    const unknown = await awsError(client.send(new CreateNotificationRuleCommand({ ...base, Name: 'x', ClientRequestToken: undefined, EventTypeIds: ['codecommit-repository-nothing'] })));
    expect(unknown.name).toBe('ValidationException');
    const bucket = await awsError(client.send(new CreateNotificationRuleCommand({ ...base, Name: 'x', ClientRequestToken: undefined, Resource: `arn:aws:s3:us-east-1:${ACCOUNT}:bucket` })));
    expect(bucket.name).toBe('ValidationException');
    const email = await awsError(client.send(new CreateNotificationRuleCommand({ ...base, Name: 'x', ClientRequestToken: undefined, Targets: [{ TargetType: 'EMAIL', TargetAddress: 'a@b.c' }] })));
    expect(email.name).toBe('ValidationException');
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ TargetType: 'SNS', TargetAddress: `${TOPIC}-${i}` }));
    expect((await awsError(client.send(new CreateNotificationRuleCommand({ ...base, Name: 'x', ClientRequestToken: undefined, Targets: tooMany })))).name).toBe('ValidationException');
    await client.send(new DeleteNotificationRuleCommand({ Arn }));
  });

  it('subscribes and unsubscribes targets, lists them, and deletes a target only when forced while rules use it', async () => {
    const { Arn } = await client.send(
      new CreateNotificationRuleCommand({
        Name: 'targets',
        Resource: REPOSITORY,
        EventTypeIds: ['codecommit-repository-branches-and-tags-created'],
        Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }],
        DetailType: 'BASIC',
      }),
    );
    const slack = `arn:aws:chatbot::${ACCOUNT}:chat-configuration/slack-channel/dev`;
    await client.send(new SubscribeCommand({ Arn, Target: { TargetType: 'SNS', TargetAddress: OTHER_TOPIC } }));
    await client.send(new SubscribeCommand({ Arn, Target: { TargetType: 'AWSChatbotSlack', TargetAddress: slack } }));
    let rule = await client.send(new DescribeNotificationRuleCommand({ Arn }));
    expect(rule.Targets!.map((t) => [t.TargetAddress, t.TargetStatus])).toEqual([
      [TOPIC, 'ACTIVE'],
      [OTHER_TOPIC, 'ACTIVE'],
      [slack, 'UNREACHABLE'],
    ]);
    const sns = await client.send(new ListTargetsCommand({ Filters: [{ Name: 'TARGET_TYPE', Value: 'SNS' }] }));
    expect(sns.Targets!.map((t) => t.TargetAddress)).toEqual(expect.arrayContaining([TOPIC, OTHER_TOPIC]));
    expect(sns.Targets!.every((t) => t.TargetType === 'SNS')).toBe(true);

    await client.send(new UnsubscribeCommand({ Arn, TargetAddress: slack }));
    await client.send(new DeleteTargetCommand({ TargetAddress: OTHER_TOPIC }));
    rule = await client.send(new DescribeNotificationRuleCommand({ Arn }));
    expect(rule.Targets!.map((t) => t.TargetAddress)).toEqual([TOPIC, OTHER_TOPIC]);
    await client.send(new DeleteTargetCommand({ TargetAddress: OTHER_TOPIC, ForceUnsubscribeAll: true }));
    rule = await client.send(new DescribeNotificationRuleCommand({ Arn }));
    expect(rule.Targets!.map((t) => t.TargetAddress)).toEqual([TOPIC]);
    expect((await client.send(new ListTargetsCommand({ Filters: [{ Name: 'TARGET_ADDRESS', Value: OTHER_TOPIC }] }))).Targets).toEqual([]);
    await client.send(new DeleteNotificationRuleCommand({ Arn }));
  });

  it('tags and untags a rule', async () => {
    const { Arn } = await client.send(
      new CreateNotificationRuleCommand({ Name: 'tags', Resource: PROJECT, EventTypeIds: ['codebuild-project-build-state-failed'], Targets: [{ TargetType: 'SNS', TargetAddress: TOPIC }], DetailType: 'BASIC' }),
    );
    expect((await client.send(new TagResourceCommand({ Arn, Tags: { a: '1', b: '2' } }))).Tags).toEqual({ a: '1', b: '2' });
    await client.send(new UntagResourceCommand({ Arn, TagKeys: ['a'] }));
    expect((await client.send(new ListTagsForResourceCommand({ Arn }))).Tags).toEqual({ b: '2' });
    const missing = Arn!.replace(/[0-9a-f]{40}$/, '0'.repeat(40));
    expect((await awsError(client.send(new ListTagsForResourceCommand({ Arn: missing })))).name).toBe('ResourceNotFoundException');
    await client.send(new DeleteNotificationRuleCommand({ Arn }));
  });
});

const v2 = installedAwsClis().find((c) => c.version.startsWith('aws-cli/2'));
describe.skipIf(!v2)('CodeStar Notifications with the AWS CLI v2', () => {
  it('creates, describes, lists and deletes a rule', async () => {
    const cli = (args: string[]) => awsCli(v2!, ['--endpoint-url', server.endpoint, 'codestar-notifications', ...args]);
    const { Arn } = await cli([
      'create-notification-rule',
      '--name', 'cli-rule',
      '--resource', PROJECT,
      '--event-type-ids', 'codebuild-project-build-state-failed',
      '--targets', `TargetType=SNS,TargetAddress=${TOPIC}`,
      '--detail-type', 'FULL',
    ]);
    const described = await cli(['describe-notification-rule', '--arn', Arn]);
    expect(described).toMatchObject({ Name: 'cli-rule', Resource: PROJECT, DetailType: 'FULL', Status: 'ENABLED' });
    expect(typeof described.CreatedTimestamp).toBe('string');
    const types = await cli(['list-event-types', '--filters', 'Name=SERVICE_NAME,Value=CodeDeploy']);
    expect(types.EventTypes.map((t: { EventTypeId: string }) => t.EventTypeId).sort()).toEqual([
      'codedeploy-application-deployment-failed',
      'codedeploy-application-deployment-started',
      'codedeploy-application-deployment-succeeded',
    ]);
    expect((await cli(['list-notification-rules'])).NotificationRules.map((r: { Arn: string }) => r.Arn)).toContain(Arn);
    await cli(['delete-notification-rule', '--arn', Arn]);
    const err = await awsCliFailure(v2!, ['--endpoint-url', server.endpoint, 'codestar-notifications', 'describe-notification-rule', '--arn', Arn]);
    expect(err).toContain('ResourceNotFoundException');
  });
});
