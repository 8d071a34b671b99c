import { BatchGetBuildsCommand, CodeBuildClient, CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import {
  CodeCommitClient,
  CreateApprovalRuleTemplateCommand,
  CreateBranchCommand,
  CreatePullRequestCommand,
  CreateRepositoryCommand,
  GetApprovalRuleTemplateCommand,
  GetBranchCommand,
  GetCommentCommand,
  GetPullRequestCommand,
  PostCommentForComparedCommitCommand,
  GetFileCommand,
  GetRepositoryCommand,
  ListRepositoriesCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import { CreateAliasCommand, CreateFunctionCommand, GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CodestarNotificationsClient, CreateNotificationRuleCommand, DescribeNotificationRuleCommand } from '@aws-sdk/client-codestar-notifications';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricStatisticsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultAwsCli } from '../helpers/aws-cli.js';
import { git, gitOk, tempDir } from '../helpers/git.js';
import { credentials } from '../helpers/server.js';
import { startChild, type ChildServer } from './child-server.js';

const work = tempDir('codesuite-crash-');
const dataDir = join(work.path, 'data');
let server: ChildServer | undefined;
afterAll(async () => {
  await server?.crash();
  work.remove();
});

const config = (s: ChildServer) => ({ endpoint: s.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
const clients = (s: ChildServer) => ({
  cc: new CodeCommitClient(config(s)),
  s3: new S3Client({ ...config(s), forcePathStyle: true }),
  ssm: new SSMClient(config(s)),
  cb: new CodeBuildClient(config(s)),
  sqs: new SQSClient(config(s)),
  sns: new SNSClient(config(s)),
  lambda: new LambdaClient(config(s)),
  logs: new CloudWatchLogsClient(config(s)),
  cw: new CloudWatchClient(config(s)),
  csn: new CodestarNotificationsClient(config(s)),
});

/** Waits, boundedly, for a condition the test itself cannot cause at a known instant. */
async function until(what: string, check: () => boolean | Promise<boolean>, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const repoRoot = join(dataDir, 'codecommit');
const repoDirs = () => readdirSync(repoRoot).filter((n) => n.endsWith('.git'));
const quarantined = () => repoDirs().some((d) => readdirSync(join(repoRoot, d, 'objects')).some((n) => n.startsWith('tmp_objdir')));

/** What an acknowledged write promised, checked after every restart. */
const acknowledged = {
  branches: new Map<string, { repo: string; branch: string; commit: string }>(),
  files: [] as { repo: string; branch: string; path: string; content: string }[],
  parameters: new Map<string, string>(),
  objects: new Map<string, Buffer>(),
  /** Sent messages by id, and the ids whose deletion was acknowledged. */
  messages: new Map<string, string>(),
  deletedMessages: new Set<string>(),
  /** SNS messages published to the crash topic, each owed to its SMS subscriber. */
  published: new Set<string>(),
  /** CloudWatch datapoints (by the Write dimension) and alarms. */
  datapoints: new Map<string, { value: number; at: number }>(),
  alarms: new Set<string>(),
  /** Notification rule ARN → its name. */
  rules: new Map<string, string>(),
};
const SMS = '+15555550123';

/** The queue's messages as stored (read beside the running server, as SQLite's WAL allows). */
function storedMessages(): Map<string, string> {
  const db = new Database(join(dataDir, 'codesuite.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT message_id, body FROM sqs_messages').all() as { message_id: string; body: string }[];
    return new Map(rows.map((r) => [r.message_id, r.body]));
  } finally {
    db.close();
  }
}

/** The object files S3's records name (read beside the running server, as SQLite's WAL allows). */
function storedBlobs(): Set<string> {
  const db = new Database(join(dataDir, 'codesuite.db'), { readonly: true });
  try {
    const blobs = new Set<string>();
    for (const text of db.prepare('SELECT segments FROM s3_objects WHERE segments IS NOT NULL').pluck().all() as string[]) {
      for (const segment of JSON.parse(text) as { blob: string }[]) blobs.add(segment.blob);
    }
    for (const blob of db.prepare('SELECT blob FROM s3_parts').pluck().all() as string[]) blobs.add(blob);
    return blobs;
  } finally {
    db.close();
  }
}

/** Every file and folder under `dir`, as relative paths (folders end with `/`). */
function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? [`${prefix}${e.name}/`, ...listFiles(join(dir, e.name), `${prefix}${e.name}/`)] : [`${prefix}${e.name}`],
  );
}

/** After a restart: health, every acknowledged write, git fsck, no leftovers, records agreeing with refs. */
async function verify(s: ChildServer): Promise<void> {
  expect((await fetch(`${s.endpoint}/_codesuite/health`)).status).toBe(200);
  const { cc, s3, ssm, cw, sqs, csn } = clients(s);

  if (acknowledged.messages.size > 0) {
    const stored = storedMessages();
    for (const [id, body] of acknowledged.messages) {
      if (acknowledged.deletedMessages.has(id)) expect(stored.has(id)).toBe(false);
      else expect({ id, body: stored.get(id) }).toEqual({ id, body });
    }
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'crash' }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible)).toBe(stored.size);
  }
  for (const { repo, branch, commit } of acknowledged.branches.values()) {
    const tip = (await cc.send(new GetBranchCommand({ repositoryName: repo, branchName: branch }))).branch!.commitId!;
    const merged = await new Promise<boolean>((resolve) =>
      execFile('git', ['merge-base', '--is-ancestor', commit, tip], { cwd: join(repoRoot, `${repoIds.get(repo)}.git`) }, (err) => resolve(!err)),
    );
    expect({ repo, branch, commit, kept: merged }).toEqual({ repo, branch, commit, kept: true });
  }
  for (const { repo, branch, path, content } of acknowledged.files) {
    const file = await cc.send(new GetFileCommand({ repositoryName: repo, commitSpecifier: branch, filePath: path }));
    expect(Buffer.from(file.fileContent!).toString()).toBe(content);
  }
  for (const [name, value] of acknowledged.parameters) expect((await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value).toBe(value);
  // A published message is a persisted delivery: it reaches the subscriber even across a kill.
  const sent = async () => {
    const res = await fetch(`${s.endpoint}/_codesuite/outbox?endpoint=${encodeURIComponent(SMS)}&limit=1000`);
    return new Set(((await res.json()) as { messages: { body: string }[] }).messages.map((m) => m.body));
  };
  await until('acknowledged SNS messages to reach their subscriber', async () => {
    const got = await sent();
    return [...acknowledged.published].every((m) => got.has(m));
  });
  for (const [write, { value, at }] of acknowledged.datapoints) {
    const stats = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Crash', MetricName: 'Writes', Dimensions: [{ Name: 'Write', Value: write }], StartTime: new Date(at - 3600_000), EndTime: new Date(at + 3600_000), Period: 3600, Statistics: ['Sum'] }),
    );
    expect({ write, sum: stats.Datapoints!.reduce((n, d) => n + d.Sum!, 0) }).toEqual({ write, sum: value });
  }
  if (acknowledged.alarms.size > 0) {
    const found = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [...acknowledged.alarms] }))).MetricAlarms!.map((a) => a.AlarmName);
    expect(found.sort()).toEqual([...acknowledged.alarms].sort());
  }
  for (const [arn, name] of acknowledged.rules) {
    const rule = await csn.send(new DescribeNotificationRuleCommand({ Arn: arn }));
    expect({ name: rule.Name, targets: rule.Targets?.map((t) => t.TargetAddress) }).toEqual({ name, targets: [RULE_TOPIC] });
  }
  for (const [key, bytes] of acknowledged.objects) {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'crash', Key: key }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  }

  // Records and repositories agree: one directory per record, and a default branch wherever there are branches.
  const { repositories } = await cc.send(new ListRepositoriesCommand({}));
  expect(repoDirs().sort()).toEqual(repositories!.map((r) => `${r.repositoryId}.git`).sort());
  for (const r of repositories!) {
    const dir = join(repoRoot, `${r.repositoryId}.git`);
    await gitOk(dir, ['fsck', '--no-progress']);
    const branches = (await gitOk(dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])).split('\n').filter(Boolean);
    const meta = (await cc.send(new GetRepositoryCommand({ repositoryName: r.repositoryName }))).repositoryMetadata!;
    if (branches.length === 0) expect(meta.defaultBranch).toBeUndefined();
    else expect(branches).toContain(meta.defaultBranch);
  }

  expect(leftovers()).toEqual([]);
}

/** Anything of an unfinished operation on disk. */
function leftovers(): string[] {
  return [
    ...readdirSync(repoRoot).filter((n) => !n.endsWith('.git')),
    ...repoDirs().flatMap((d) => listFiles(join(repoRoot, d)).filter((f) => /(^|\/)tmp_objdir|\/tmp_pack_|\.lock$/.test(f)).map((f) => `${d}/${f}`)),
    ...listFiles(join(dataDir, 's3', 'tmp')).map((f) => `s3/tmp/${f}`),
    ...listFiles(join(dataDir, 's3', 'blobs')).filter((f) => !f.endsWith('/') && !storedBlobs().has(f.split('/')[1])).map((f) => `s3/blobs/${f}`),
    ...listFiles(join(dataDir, 'codebuild', 'work')).map((f) => `codebuild/work/${f}`),
  ];
}

const repoIds = new Map<string, string>();
const RULE_TOPIC = 'arn:aws:sns:us-east-1:000000000000:crash';

async function bigCommit(dir: string, files: number): Promise<string> {
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `blob-${randomBytes(4).toString('hex')}.bin`), randomBytes(300 * 1024));
  await gitOk(dir, ['add', '-A']);
  await gitOk(dir, ['commit', '-q', '-m', 'big']);
  return (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
}

describe('SIGKILL at the worst moments, then a restart', () => {
  const clone = join(work.path, 'clone');

  it('loses no acknowledged push when killed during a push', async () => {
    server = await startChild(dataDir);
    const { cc, s3 } = clients(server);
    for (const name of ['pushed', 'api']) {
      const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: name }));
      repoIds.set(name, repositoryMetadata!.repositoryId!);
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'crash' }));
    mkdirSync(clone);
    await gitOk(clone, ['init', '-q']);
    const first = await bigCommit(clone, 2);
    await gitOk(clone, ['push', '-q', `${server.endpoint}/v1/repos/pushed`, 'HEAD:main']);
    acknowledged.branches.set('pushed/main', { repo: 'pushed', branch: 'main', commit: first });

    await bigCommit(clone, 25);
    const push = spawn('git', ['push', '-q', `${server.endpoint}/v1/repos/pushed`, 'HEAD:main'], { cwd: clone, stdio: 'ignore', env: { PATH: process.env.PATH, HOME: clone } });
    const pushEnded = once(push, 'exit');
    await until('receive-pack to be taking in the pack', quarantined);
    await server.crash();
    await pushEnded;

    server = await startChild(dataDir);
    await verify(server);
  });

  it('keeps every acknowledged API write when killed among concurrent writes', async () => {
    const { cc, ssm, sqs, sns, cw, csn } = clients(server!);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'crash' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'crash' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: SMS }));
    const writes = Array.from({ length: 24 }, async (_, i) => {
      const branch = `b${i % 4}`;
      const content = `write ${i}\n`;
      try {
        // One file per write on four branches: writes to one branch race on its tip, as users do.
        let parent: string | undefined;
        try {
          parent = (await cc.send(new GetBranchCommand({ repositoryName: 'api', branchName: branch }))).branch!.commitId;
        } catch {
          parent = undefined;
        }
        const put = await cc.send(new PutFileCommand({ repositoryName: 'api', branchName: branch, filePath: `f${i}.txt`, fileContent: Buffer.from(content), parentCommitId: parent }));
        acknowledged.files.push({ repo: 'api', branch, path: `f${i}.txt`, content });
        acknowledged.branches.set(`api/${branch}/${i}`, { repo: 'api', branch, commit: put.commitId! });
      } catch {
        // Refused (a lost race on the tip) or cut off by the crash: not acknowledged, nothing promised.
      }
      try {
        await ssm.send(new PutParameterCommand({ Name: `/crash/p${i}`, Value: content, Type: 'String' }));
        acknowledged.parameters.set(`/crash/p${i}`, content);
      } catch {
        // Cut off by the crash.
      }
      try {
        const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: content }));
        acknowledged.messages.set(sent.MessageId!, content);
        const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
        const message = got.Messages?.[0];
        if (message && i % 2 === 0) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle! }));
          acknowledged.deletedMessages.add(message.MessageId!);
        }
      } catch {
        // Cut off by the crash.
      }
      try {
        await sns.send(new PublishCommand({ TopicArn, Message: `message ${i}` }));
        acknowledged.published.add(`message ${i}`);
        const at = Date.now();
        await cw.send(new PutMetricDataCommand({ Namespace: 'Crash', MetricData: [{ MetricName: 'Writes', Dimensions: [{ Name: 'Write', Value: String(i) }], Value: i + 1, Timestamp: new Date(at) }] }));
        acknowledged.datapoints.set(String(i), { value: i + 1, at });
        await cw.send(
          new PutMetricAlarmCommand({ AlarmName: `crash-${i}`, Namespace: 'Crash', MetricName: 'Writes', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' }),
        );
        acknowledged.alarms.add(`crash-${i}`);
      } catch {
        // Cut off by the crash.
      }
      try {
        const { Arn } = await csn.send(
          new CreateNotificationRuleCommand({
            Name: `crash-rule-${i}`,
            Resource: 'arn:aws:codecommit:us-east-1:000000000000:api',
            EventTypeIds: ['codecommit-repository-branches-and-tags-created'],
            Targets: [{ TargetType: 'SNS', TargetAddress: RULE_TOPIC }],
            DetailType: 'FULL',
          }),
        );
        acknowledged.rules.set(Arn!, `crash-rule-${i}`);
      } catch {
        // Cut off by the crash.
      }
    });
    await until(
      'some writes to be acknowledged',
      () =>
        acknowledged.files.length >= 3 &&
        acknowledged.parameters.size >= 3 &&
        acknowledged.messages.size >= 3 &&
        acknowledged.published.size >= 3 &&
        acknowledged.rules.size >= 3,
    );
    await server!.crash();
    await Promise.all(writes);

    server = await startChild(dataDir);
    await verify(server);
  });

  it('keeps every acknowledged pull request, comment and template when killed among review writes', async () => {
    const { cc } = clients(server!);
    const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: 'review' }));
    repoIds.set('review', repositoryMetadata!.repositoryId!);
    const main = (await cc.send(new PutFileCommand({ repositoryName: 'review', branchName: 'main', filePath: 'a.txt', fileContent: Buffer.from('a\n') }))).commitId!;
    await cc.send(new CreateBranchCommand({ repositoryName: 'review', branchName: 'feature', commitId: main }));
    const feature = (
      await cc.send(new PutFileCommand({ repositoryName: 'review', branchName: 'feature', filePath: 'b.txt', fileContent: Buffer.from('b\n'), parentCommitId: main }))
    ).commitId!;
    const pullRequests = new Map<string, string>();
    const comments = new Map<string, string>();
    const templates: string[] = [];
    const writes = Array.from({ length: 30 }, async (_, i) => {
      try {
        if (i % 3 === 0) {
          const pr = await cc.send(new CreatePullRequestCommand({ title: `pr ${i}`, targets: [{ repositoryName: 'review', sourceReference: 'feature', destinationReference: 'main' }] }));
          pullRequests.set(pr.pullRequest!.pullRequestId!, `pr ${i}`);
        } else if (i % 3 === 1) {
          const c = await cc.send(new PostCommentForComparedCommitCommand({ repositoryName: 'review', beforeCommitId: main, afterCommitId: feature, content: `comment ${i}` }));
          comments.set(c.comment!.commentId!, `comment ${i}`);
        } else {
          const content = JSON.stringify({ Version: '2018-11-08', Statements: [{ Type: 'Approvers', NumberOfApprovalsNeeded: 1 }] });
          await cc.send(new CreateApprovalRuleTemplateCommand({ approvalRuleTemplateName: `t${i}`, approvalRuleTemplateContent: content }));
          templates.push(`t${i}`);
        }
      } catch {
        // Cut off by the crash: not acknowledged, nothing promised.
      }
    });
    await until('some review writes to be acknowledged', () => pullRequests.size >= 2 && comments.size >= 2 && templates.length >= 1);
    await server!.crash();
    await Promise.all(writes);

    server = await startChild(dataDir);
    await verify(server);
    const after = clients(server).cc;
    for (const [id, title] of pullRequests) {
      const pr = (await after.send(new GetPullRequestCommand({ pullRequestId: id }))).pullRequest!;
      expect({ id, title: pr.title, source: pr.pullRequestTargets![0].sourceCommit }).toEqual({ id, title, source: feature });
    }
    for (const [id, content] of comments) expect((await after.send(new GetCommentCommand({ commentId: id }))).comment!.content).toBe(content);
    for (const name of templates) expect((await after.send(new GetApprovalRuleTemplateCommand({ approvalRuleTemplateName: name }))).approvalRuleTemplate!.approvalRuleTemplateName).toBe(name);
  });

  it('stores no half object when killed during an S3 upload', async () => {
    const { s3 } = clients(server!);
    const whole = randomBytes(256 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: 'crash', Key: 'whole', Body: whole }));
    acknowledged.objects.set('whole', whole);
    const socket = connect(server!.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => undefined);
    socket.write(`PUT /crash/half HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${8 * 1024 * 1024}\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n\r\n`);
    socket.write(randomBytes(1024 * 1024));
    await until('the upload to be spooling to a temporary file', () => listFiles(join(dataDir, 's3', 'tmp')).length > 0);
    await server!.crash();
    socket.destroy();

    server = await startChild(dataDir);
    await verify(server);
    const missing = await clients(server).s3.send(new GetObjectCommand({ Bucket: 'crash', Key: 'half' })).then(
      () => 'stored',
      (err: Error) => err.name,
    );
    expect(missing).toBe('NoSuchKey');
  });

  it('resumes a pipeline execution that waited for an approval when killed', async () => {
    const { cc } = clients(server!);
    const cp = new CodePipelineClient(config(server!));
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    await new IAMClient(config(server!)).send(new CreateRoleCommand({ RoleName: 'pipeline', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: 'pipe' }));
    repoIds.set('pipe', repositoryMetadata!.repositoryId!);
    const put = await cc.send(new PutFileCommand({ repositoryName: 'pipe', branchName: 'main', filePath: 'a.txt', fileContent: Buffer.from('a') }));
    acknowledged.branches.set('pipe/main', { repo: 'pipe', branch: 'main', commit: put.commitId! });
    await cp.send(
      new CreatePipelineCommand({
        pipeline: {
          name: 'crash-pipe',
          roleArn: 'arn:aws:iam::000000000000:role/pipeline',
          artifactStore: { type: 'S3', location: 'crash' },
          stages: [
            {
              name: 'Source',
              actions: [
                {
                  name: 'Source',
                  actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
                  configuration: { RepositoryName: 'pipe', BranchName: 'main' },
                  outputArtifacts: [{ name: 'Src' }],
                },
              ],
            },
            { name: 'Approval', actions: [{ name: 'Approve', actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' } }] },
          ],
        },
      }),
    );
    const token = async (c: CodePipelineClient) =>
      (await c.send(new GetPipelineStateCommand({ name: 'crash-pipe' }))).stageStates![1].actionStates![0].latestExecution?.token;
    await until('the approval to wait', async () => (await token(cp)) !== undefined);
    await server!.crash();

    server = await startChild(dataDir);
    const after = new CodePipelineClient(config(server));
    const [execution] = (await after.send(new ListPipelineExecutionsCommand({ pipelineName: 'crash-pipe' }))).pipelineExecutionSummaries!;
    expect(execution.status).toBe('InProgress');
    await after.send(new PutApprovalResultCommand({ pipelineName: 'crash-pipe', stageName: 'Approval', actionName: 'Approve', token: (await token(after))!, result: { status: 'Approved', summary: 'after restart' } }));
    await until('the execution to succeed', async () => (await after.send(new GetPipelineExecutionCommand({ pipelineName: 'crash-pipe', pipelineExecutionId: execution.pipelineExecutionId }))).pipelineExecution!.status === 'Succeeded');
    await verify(server);
  });

  it('ends a build that was running when killed, and leaves no scratch folder', async () => {
    const { cb } = clients(server!);
    await cb.send(
      new CreateProjectCommand({
        name: 'crash-build',
        source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo started\n      - sleep 60\n' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild-service-role',
      }),
    );
    const id = (await cb.send(new StartBuildCommand({ projectName: 'crash-build' }))).build!.id!;
    await until('the build to be in its BUILD phase', async () => (await cb.send(new BatchGetBuildsCommand({ ids: [id] }))).builds![0].currentPhase === 'BUILD');
    await server!.crash();

    server = await startChild(dataDir);
    const build = (await clients(server).cb.send(new BatchGetBuildsCommand({ ids: [id] }))).builds![0];
    expect(build).toMatchObject({ buildComplete: true, buildStatus: 'FAILED' });
    await verify(server);
  });
});

describe('functions across a crash', () => {
  it('keeps an acknowledged function, version and alias, and runs an accepted event after the restart', async () => {
    const { zipOf } = await import('../lambda/helpers.js');
    const { lambda } = clients(server!);
    const handler = 'exports.handler = async (e) => { if (e.slow) await new Promise((r) => setTimeout(r, 3000)); console.log("RAN " + e.id); return e.id; };';
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'durable', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/fn', Timeout: 10, Code: { ZipFile: await zipOf({ 'index.js': handler }) } }));
    await until('the function to be active', async () => (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'durable' }))).State === 'Active');
    await lambda.send(new PublishVersionCommand({ FunctionName: 'durable' }));
    await lambda.send(new CreateAliasCommand({ FunctionName: 'durable', Name: 'live', FunctionVersion: '1' }));
    const accepted = await lambda.send(new InvokeCommand({ FunctionName: 'durable', InvocationType: 'Event', Payload: Buffer.from('{"slow":true,"id":"queued"}') }));
    expect(accepted.StatusCode).toBe(202);
    const environments = () => (existsSync(join(dataDir, 'lambda', 'environments')) ? readdirSync(join(dataDir, 'lambda', 'environments')) : []);
    await until('the event to be running', () => environments().length > 0);
    const before = environments();
    await server!.crash();

    server = await startChild(dataDir);
    const after = clients(server);
    expect((await after.lambda.send(new GetAliasCommand({ FunctionName: 'durable', Name: 'live' }))).FunctionVersion).toBe('1');
    const out = await after.lambda.send(new InvokeCommand({ FunctionName: 'durable:live', Payload: Buffer.from('{"id":"now"}') }));
    expect(Buffer.from(out.Payload!).toString()).toBe('"now"');
    // Accepted means at least once: the event runs again after the restart (it may have run before the kill too).
    await until('the queued event to run after the restart', async () => {
      const events = await after.logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/durable', startTime: 0 }));
      return (events.events ?? []).filter((e) => e.message!.includes('RAN queued')).length >= 1 && (events.events ?? []).some((e) => e.message!.includes('RAN now'));
    });
    // The environments the killed server ran are gone; only the new server's own warm ones remain.
    expect(environments().filter((e) => before.includes(e))).toEqual([]);
    await verify(server);
  });
});

describe('clients that disappear while the server stays up', () => {
  it('survives a killed push, an abandoned upload and a killed log tail', async () => {
    const s = server!;
    const clone = join(work.path, 'clone');
    await bigCommit(clone, 12);
    const push = spawn('git', ['push', '-q', `${s.endpoint}/v1/repos/pushed`, 'HEAD:main'], { cwd: clone, stdio: 'ignore', env: { PATH: process.env.PATH, HOME: clone } });
    await until('receive-pack to be taking in the pack', quarantined);
    push.kill('SIGKILL');
    await once(push, 'exit');

    const socket = connect(s.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`PUT /crash/abandoned HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${4 * 1024 * 1024}\r\n\r\n`);
    await new Promise<void>((r) => socket.write(randomBytes(256 * 1024), () => r()));
    socket.destroy();

    if (defaultAwsCli?.version.startsWith('aws-cli/2')) {
      const tail = spawn(defaultAwsCli.path, ['logs', 'tail', '/crash/none', '--follow', '--endpoint-url', s.endpoint], {
        stdio: 'ignore',
        env: { PATH: process.env.PATH, HOME: work.path, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
      });
      await new Promise((r) => setTimeout(r, 1500));
      tail.kill('SIGKILL');
      await once(tail, 'exit');
    }

    expect(s.process.exitCode).toBeNull();
    // The killed push may have been whole when git died: a push racing its end can lose once.
    await until('a retried push to succeed', async () => (await git(clone, ['push', '-q', `${s.endpoint}/v1/repos/pushed`, 'HEAD:main'])).code === 0, 40);
    acknowledged.branches.set('pushed/main', { repo: 'pushed', branch: 'main', commit: (await gitOk(clone, ['rev-parse', 'HEAD'])).trim() });
    // A clean stop waits for what runs (the repack the push scheduled); the clients that went away
    // must have left nothing behind for a restart to sweep.
    await s.stop();
    expect(leftovers()).toEqual([]);
    server = await startChild(dataDir);
    await verify(server);
    await server.stop();
    server = undefined;
  });
});
