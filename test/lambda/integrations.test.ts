import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { json, lambda, settled, zipOf } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ enforceIam: true });
});
afterAll(() => server.stop());

const logsOf = async (name: string) => {
  const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
  const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}` })).catch(() => ({ events: [] }));
  return (out.events ?? []).map((e) => e.message!);
};

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('a Python function calling S3 through boto3 as its role (--enforce-iam)', () => {
  it('lists the bucket with a role that may, is denied with one that may not, and reuses its warm environment', async () => {
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const s3 = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'fn-data' }));
    await s3.send(new PutObjectCommand({ Bucket: 'fn-data', Key: 'hello.txt', Body: 'hi' }));
    const reader = await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trust }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 's3', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::fn-data' }] }) }),
    );
    const nobody = await iam.send(new CreateRoleCommand({ RoleName: 'nobody', AssumeRolePolicyDocument: trust }));
    const code = await zipOf({
      'app.py': [
        'import os, boto3',
        'from botocore.exceptions import ClientError',
        'calls = 0',
        'def handler(event, context):',
        '    global calls',
        '    calls += 1',
        '    try:',
        '        keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket="fn-data").get("Contents", [])]',
        '    except ClientError as e:',
        '        return {"error": e.response["Error"]["Code"], "calls": calls, "pid": os.getpid()}',
        '    me = boto3.client("sts").get_caller_identity()["Arn"]',
        '    return {"keys": keys, "me": me, "calls": calls, "pid": os.getpid()}',
        '',
      ].join('\n'),
    });
    const client = lambda(server);
    await client.send(new CreateFunctionCommand({ FunctionName: 'lister', Runtime: 'python3.11', Handler: 'app.handler', Role: reader.Role!.Arn, Code: { ZipFile: code }, Timeout: 20 }));
    await client.send(new CreateFunctionCommand({ FunctionName: 'denied', Runtime: 'python3.11', Handler: 'app.handler', Role: nobody.Role!.Arn, Code: { ZipFile: code }, Timeout: 20 }));
    await settled(client, 'lister');
    await settled(client, 'denied');
    const first = json((await client.send(new InvokeCommand({ FunctionName: 'lister' }))).Payload);
    expect(first).toMatchObject({ keys: ['hello.txt'], me: 'arn:aws:sts::000000000000:assumed-role/reader/lister', calls: 1 });
    const second = json((await client.send(new InvokeCommand({ FunctionName: 'lister' }))).Payload);
    expect(second).toMatchObject({ calls: 2, pid: first.pid });
    const refused = json((await client.send(new InvokeCommand({ FunctionName: 'denied' }))).Payload);
    expect(refused).toMatchObject({ error: 'AccessDenied' });
  });
});

describe('an EventBridge rule targeting a function', () => {
  it('invokes it once the resource policy allows the rule, and not before', async () => {
    const client = lambda(server);
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    await iam.send(new CreateRoleCommand({ RoleName: 'on-event', AssumeRolePolicyDocument: trust }));
    await client.send(
      new CreateFunctionCommand({ FunctionName: 'on-event', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/on-event', Code: { ZipFile: await zipOf({ 'index.js': 'exports.handler = async (e) => { console.log("EVENT " + e["detail-type"] + " " + e.detail.n); };' }) } }),
    );
    await settled(client, 'on-event');
    const eb = new EventBridgeClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'to-fn', EventPattern: JSON.stringify({ source: ['my.app'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'to-fn', Targets: [{ Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:on-event' }] }));
    const put = (n: number) => eb.send(new PutEventsCommand({ Entries: [{ Source: 'my.app', DetailType: 'thing happened', Detail: JSON.stringify({ n }) }] }));
    await put(1);
    await client.send(new AddPermissionCommand({ FunctionName: 'on-event', StatementId: 'rule', Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: RuleArn }));
    await put(2);
    // The first event was refused for good (no retry once the policy allows it): only the second runs.
    let lines: string[] = [];
    for (let i = 0; i < 200 && lines.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      lines = (await logsOf('on-event')).filter((m) => m.includes('EVENT '));
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('EVENT thing happened 2');
  });
});
