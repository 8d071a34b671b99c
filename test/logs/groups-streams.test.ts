import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { FakeClock, logsClient, MINUTE } from './helpers.js';

let server: RunningServer;
let logs: CloudWatchLogsClient;
const clock = new FakeClock(Date.UTC(2026, 0, 15, 12, 0, 0));

beforeAll(async () => {
  server = await testServer({ clock });
  logs = logsClient(server);
});
afterAll(() => server.stop());

describe('log groups', () => {
  it('creates, describes and deletes a group with its ARNs, class and tags', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/codebuild/demo', tags: { team: 'build' } }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/codebuild/' }));
    expect(logGroups).toEqual([
      {
        logGroupName: '/aws/codebuild/demo',
        creationTime: clock.ms,
        metricFilterCount: 0,
        arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/codebuild/demo:*',
        logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/codebuild/demo',
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        deletionProtectionEnabled: false,
      },
    ]);
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: '/aws/codebuild/demo' }))).tags).toEqual({ team: 'build' });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: '/aws/codebuild/demo' }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/codebuild/' }))).logGroups).toEqual([]);
  });

  it('refuses a second group of the same name, bad names and deleting what is not there', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'twice' }));
    expect(await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'twice' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log group already exists',
      status: 400,
    });
    expect(await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })))).toMatchObject({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
    expect(await awsError(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: 'never' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });

  it('keeps a group with deletion protection', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'protected', deletionProtectionEnabled: true }));
    expect(await awsError(logs.send(new DeleteLogGroupCommand({ logGroupName: 'protected' })))).toMatchObject({ name: 'ValidationException' });
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'protected' }))).logGroups?.[0].deletionProtectionEnabled).toBe(true);
  });

  it('lists by prefix, by case-insensitive pattern and page by page', async () => {
    for (const n of ['list-a', 'list-b', 'list-c', 'other-LIST']) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const first = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'list-', limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['list-a', 'list-b']);
    const second = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'list-', limit: 2, nextToken: first.nextToken }));
    expect(second.logGroups?.map((g) => g.logGroupName)).toEqual(['list-c']);
    expect(second.nextToken).toBeUndefined();
    const pattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'list' }));
    expect(pattern.logGroups?.map((g) => g.logGroupName)).toEqual(['list-a', 'list-b', 'list-c', 'other-LIST']);
    expect(await awsError(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await awsError(logs.send(new DescribeLogGroupsCommand({ nextToken: 'bogus' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The specified nextToken is invalid.',
    });
  });

  it('sets and removes a retention policy, refusing periods AWS does not offer', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'retained' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 14 }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups?.[0].retentionInDays).toBe(14);
    expect(await awsError(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'retained', retentionInDays: 4 })))).toMatchObject({
      name: 'InvalidParameterException',
      message:
        "1 validation error detected: Value '4' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'retained' }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'retained' }))).logGroups?.[0].retentionInDays).toBeUndefined();
    expect(await awsError(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'nope', retentionInDays: 1 })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('log streams', () => {
  it('creates, lists in name and last-event order, and deletes streams', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'streams' }));
    for (const s of ['b', 'a', 'c']) await logs.send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: s }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 'c', logEvents: [{ timestamp: clock.ms - 2 * MINUTE, message: 'old' }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: 'streams', logStreamName: 'a', logEvents: [{ timestamp: clock.ms - MINUTE, message: 'new' }] }));

    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams' }));
    expect(byName.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b', 'c']);
    expect(byName.logStreams?.[0]).toEqual({
      logStreamName: 'a',
      creationTime: clock.ms,
      firstEventTimestamp: clock.ms - MINUTE,
      lastEventTimestamp: clock.ms - MINUTE,
      lastIngestionTime: clock.ms,
      uploadSequenceToken: '00000000000000000000000000000000000000000000000000000001',
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:a',
      storedBytes: 0,
    });
    const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', orderBy: 'LastEventTime', descending: true }));
    expect(byTime.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'c', 'b']);
    const paged = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:streams', limit: 2 }));
    expect(paged.logStreams).toHaveLength(2);
    expect(paged.nextToken).toBeDefined();

    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'b' }));
    const after = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'streams', logStreamNamePrefix: 'b' }));
    expect(after.logStreams).toEqual([]);
  });

  it('answers bad stream requests with AWS errors', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'stream-errors' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'stream-errors', logStreamName: 's' }));
    expect(await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: 'stream-errors', logStreamName: 's' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    expect(await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: 'no-group', logStreamName: 's' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    expect(await awsError(logs.send(new CreateLogStreamCommand({ logGroupName: 'stream-errors', logStreamName: 'a:b' })))).toMatchObject({
      name: 'InvalidParameterException',
    });
    expect(await awsError(logs.send(new DeleteLogStreamCommand({ logGroupName: 'stream-errors', logStreamName: 'none' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    expect(
      await awsError(logs.send(new DescribeLogStreamsCommand({ logGroupName: 'stream-errors', orderBy: 'LastEventTime', logStreamNamePrefix: 's' }))),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'Cannot order by LastEventTime with a logStreamNamePrefix.' });
    expect(
      await awsError(
        logs.send(new DescribeLogStreamsCommand({ logGroupName: 'stream-errors', logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:stream-errors' })),
      ),
    ).toMatchObject({ name: 'InvalidParameterException', message: 'LogGroup name and LogGroup ARN are mutually exclusive parameters.' });
    expect(await awsError(logs.send(new DescribeLogStreamsCommand({})))).toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('tags', () => {
  it('tags by group name and by ARN, and counts to 50', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged' }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 'tagged', tags: { a: '1', b: '2' } }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: 'tagged', tags: ['a'] }));
    const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged';
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { c: '3' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ b: '2', c: '3' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['c'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'tagged' }))).tags).toEqual({ b: '2' });

    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    expect(await awsError(logs.send(new TagResourceCommand({ resourceArn: arn, tags: many })))).toMatchObject({
      name: 'TooManyTagsException',
      message: 'A resource can have no more than 50 tags.',
    });
    expect(await awsError(logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:missing' })))).toMatchObject({
      name: 'ResourceNotFoundException',
    });
    expect(await awsError(logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' })))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await awsError(logs.send(new TagLogGroupCommand({ logGroupName: 'missing', tags: { a: 'b' } })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
