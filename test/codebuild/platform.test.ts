import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchDeleteBuildsCommand,
  BatchGetReportsCommand,
  CreateProjectCommand,
  DescribeTestCasesCommand,
  ListBuildsCommand,
  ListBuildsForProjectCommand,
  ListReportsForReportGroupCommand,
  RetryBuildCommand,
  StartBuildCommand,
  StopBuildCommand,
  type Build,
  type CodeBuildClient,
} from '@aws-sdk/client-codebuild';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/archives/zip.js';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { tempDir } from '../helpers/git.js';
import { credentials, testServer } from '../helpers/server.js';
import { codebuild, logsClient, phaseSummary, pushRepository, ROLE, s3Client, waitForBuild } from './helpers.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { gitOk } from '../helpers/git.js';

let server: RunningServer;
let cb: CodeBuildClient;
const work = tempDir();
const events: BusEvent[] = [];

const env = { type: 'LINUX_CONTAINER' as const, image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' as const };

function inline(name: string, buildspec: string, extra: Record<string, unknown> = {}) {
  return cb.send(
    new CreateProjectCommand({ name, source: { type: 'NO_SOURCE', buildspec }, artifacts: { type: 'NO_ARTIFACTS' }, environment: env, serviceRole: ROLE, ...extra }),
  );
}

async function logText(b: Build): Promise<string> {
  const out = await logsClient(server).send(new GetLogEventsCommand({ logGroupName: b.logs!.groupName!, logStreamName: b.logs!.streamName!, startFromHead: true }));
  return (out.events ?? []).map((e) => e.message).join('\n');
}

const awsCli = (() => {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

beforeAll(async () => {
  server = await testServer({ buildExecutor: 'local' });
  server.events.subscribe((e) => events.push(e));
  cb = codebuild(server);
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

describe('CodeBuild with the other services (local executor)', () => {
  it('builds an S3 zip source with an inline buildspec override, Secrets Manager values and variable precedence', async () => {
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'sources' }));
    writeFileSync(join(work.path, 'hello.txt'), 'from s3\n');
    await writeZip(join(work.path, 'src.zip'), [{ path: join(work.path, 'hello.txt'), name: 'dir/hello.txt' }]);
    const { readFileSync } = await import('node:fs');
    await s3.send(new PutObjectCommand({ Bucket: 'sources', Key: 'app/src.zip', Body: readFileSync(join(work.path, 'src.zip')) }));
    await new SecretsManagerClient({ endpoint: server.endpoint, region: 'us-east-1', credentials }).send(
      new CreateSecretCommand({ Name: 'db-creds', SecretString: JSON.stringify({ username: 'admin', password: 'hunter2-secret' }) }),
    );
    await cb.send(
      new CreateProjectCommand({
        name: 's3-source',
        source: { type: 'S3', location: 'sources/app/src.zip' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { ...env, environmentVariables: [{ name: 'LEVEL', value: 'project' }, { name: 'ONLY_PROJECT', value: 'p' }] },
        serviceRole: ROLE,
      }),
    );
    const buildspec = [
      'version: 0.2',
      'env:',
      '  variables:',
      '    LEVEL: buildspec',
      '    ONLY_BUILDSPEC: b',
      '  secrets-manager:',
      '    DB_PASSWORD: db-creds:password',
      'phases:',
      '  build:',
      '    commands:',
      '      - cat dir/hello.txt',
      '      - echo "level=$LEVEL project=$ONLY_PROJECT buildspec=$ONLY_BUILDSPEC"',
      '      - echo "password=$DB_PASSWORD length=${#DB_PASSWORD}"',
      '      - echo "repo=$CODEBUILD_SOURCE_REPO_URL"',
      '',
    ].join('\n');
    const { build } = await cb.send(
      new StartBuildCommand({ projectName: 's3-source', buildspecOverride: buildspec, environmentVariablesOverride: [{ name: 'LEVEL', value: 'override' }] }),
    );
    const done = await waitForBuild(cb, build!.id!);
    const log = await logText(done);
    expect(done.buildStatus, log).toBe('SUCCEEDED');
    expect(log).toContain('from s3');
    expect(log).toContain('level=override project=p buildspec=b');
    expect(log).toContain('password=*** length=14');
    expect(log).not.toContain('hunter2-secret');
    expect(log).toContain('repo=s3://sources/app/src.zip');
    expect(log).toContain('YAML location is ');
    expect(log).toContain('/codebuild/readonly/buildspec.yml');
    expect(done.source?.buildspec).toBe(buildspec);
  });

  it('fails DOWNLOAD_SOURCE when a parameter does not exist', async () => {
    await inline('missing-param', 'version: 0.2\nenv:\n  parameter-store:\n    X: /does/not/exist\nphases:\n  build:\n    commands:\n      - echo $X\n');
    const { build } = await cb.send(new StartBuildCommand({ projectName: 'missing-param' }));
    const done = await waitForBuild(cb, build!.id!);
    expect(done.phases!.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')).toMatchObject({
      phaseStatus: 'FAILED',
      contexts: [{ statusCode: 'Decrypted Variables Error', message: 'parameter does not exist: /does/not/exist' }],
    });
  });

  it('publishes build state and phase change events', async () => {
    events.length = 0;
    await inline('evented', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n');
    const { build } = await cb.send(new StartBuildCommand({ projectName: 'evented' }));
    await waitForBuild(cb, build!.id!);
    const mine = events.filter((e) => e.source === 'aws.codebuild' && e.detail['project-name'] === 'evented');
    const states = mine.filter((e) => e['detail-type'] === 'CodeBuild Build State Change').map((e) => e.detail['build-status']);
    expect(states).toEqual(['IN_PROGRESS', 'SUCCEEDED']);
    const phases = mine.filter((e) => e['detail-type'] === 'CodeBuild Build Phase Change').map((e) => e.detail['completed-phase']);
    expect(phases).toEqual(['SUBMITTED', 'QUEUED', 'PROVISIONING', 'DOWNLOAD_SOURCE', 'INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD', 'UPLOAD_ARTIFACTS', 'FINALIZING']);
    expect(mine[0]).toMatchObject({ resources: [build!.arn], account: '000000000000', region: 'us-east-1' });
    expect(mine.at(-1)!.detail).toMatchObject({ 'build-id': build!.arn, 'current-phase': 'COMPLETED', version: '1' });
  });

  it.skipIf(!awsCli)('gives the build the service role credentials and an endpoint back to codesuite', async () => {
    const iam = new IAMClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'build-role', AssumeRolePolicyDocument: trust }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'build-role', PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
    await inline('with-role', 'version: 0.2\nphases:\n  build:\n    commands:\n      - aws sts get-caller-identity --output text --query Arn\n      - aws codebuild list-projects --output text --query "projects[0]"\n', {
      serviceRole: Role!.Arn,
    });
    const { build } = await cb.send(new StartBuildCommand({ projectName: 'with-role' }));
    const done = await waitForBuild(cb, build!.id!, 60_000);
    const log = await logText(done);
    expect(done.buildStatus, log).toBe('SUCCEEDED');
    expect(log).toContain(`arn:aws:sts::000000000000:assumed-role/build-role/AWSCodeBuild-${build!.id!.split(':')[1]}`);
    expect(log).toContain('\nevented');
  });

  it('queues builds beyond the concurrent build limit, and stops a queued build', async () => {
    await inline('limited', 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 1\n', { concurrentBuildLimit: 1 });
    const first = (await cb.send(new StartBuildCommand({ projectName: 'limited' }))).build!;
    const second = (await cb.send(new StartBuildCommand({ projectName: 'limited' }))).build!;
    const third = (await cb.send(new StartBuildCommand({ projectName: 'limited' }))).build!;
    const stopped = await cb.send(new StopBuildCommand({ id: third.id! }));
    expect(stopped.build).toMatchObject({ buildStatus: 'STOPPED', buildComplete: true });
    expect(phaseSummary(stopped.build!)).toEqual(['SUBMITTED:SUCCEEDED', 'QUEUED:STOPPED', 'COMPLETED:-']);
    const a = await waitForBuild(cb, first.id!);
    const b = await waitForBuild(cb, second.id!);
    expect([a.buildStatus, b.buildStatus]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    // The second build left the queue only once the first had finished.
    const firstEnd = a.endTime!.getTime();
    const secondProvisioned = b.phases!.find((p) => p.phaseType === 'PROVISIONING')!.startTime!.getTime();
    expect(secondProvisioned).toBeGreaterThanOrEqual(firstEnd - 1000);
    expect(b.buildNumber).toBe(2);
  });

  it('lists, retries and deletes builds, and honours idempotency tokens', async () => {
    await inline('listed', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo listed\n');
    const one = (await cb.send(new StartBuildCommand({ projectName: 'listed', idempotencyToken: 'tok-1' }))).build!;
    const same = (await cb.send(new StartBuildCommand({ projectName: 'listed', idempotencyToken: 'tok-1' }))).build!;
    expect(same.id).toBe(one.id);
    await waitForBuild(cb, one.id!);
    const retried = (await cb.send(new RetryBuildCommand({ id: one.id! }))).build!;
    expect(retried.id).not.toBe(one.id);
    expect(retried.buildNumber).toBe(2);
    await waitForBuild(cb, retried.id!);
    expect((await cb.send(new ListBuildsForProjectCommand({ projectName: 'listed' }))).ids).toEqual([retried.id, one.id]);
    expect((await cb.send(new ListBuildsForProjectCommand({ projectName: 'listed', sortOrder: 'ASCENDING' }))).ids).toEqual([one.id, retried.id]);
    expect((await cb.send(new ListBuildsCommand({}))).ids).toContain(one.id);
    const deleted = await cb.send(new BatchDeleteBuildsCommand({ ids: [one.id!, 'listed:00000000-0000-0000-0000-000000000000'] }));
    expect(deleted.buildsDeleted).toEqual([one.id]);
    expect(deleted.buildsNotDeleted).toEqual([{ id: 'listed:00000000-0000-0000-0000-000000000000', statusCode: 'BUILD_NOT_FOUND' }]);
    expect((await cb.send(new ListBuildsForProjectCommand({ projectName: 'listed' }))).ids).toEqual([retried.id]);
  });

  it('turns JUnit XML into a report with test cases', async () => {
    const junit = `<?xml version="1.0"?>
<testsuites><testsuite name="math" tests="3">
  <testcase classname="math.Add" name="adds" time="0.5"/>
  <testcase classname="math.Add" name="overflows" time="0.25"><failure message="expected 1">stack &amp; trace</failure></testcase>
  <testcase classname="math.Sub" name="later"><skipped/></testcase>
</testsuite></testsuites>`;
    const { url } = await pushRepository(server, 'reports-repo', {
      'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - mkdir -p reports && cp junit.xml reports/\nreports:\n  unit:\n    files:\n      - "reports/*.xml"\n',
      'junit.xml': junit,
    }, work.path);
    await cb.send(new CreateProjectCommand({ name: 'reported', source: { type: 'CODECOMMIT', location: url }, artifacts: { type: 'NO_ARTIFACTS' }, environment: env, serviceRole: ROLE }));
    const { build } = await cb.send(new StartBuildCommand({ projectName: 'reported' }));
    const done = await waitForBuild(cb, build!.id!);
    expect(done.buildStatus).toBe('SUCCEEDED');
    expect(done.reportArns).toHaveLength(1);
    const [reportArn] = done.reportArns!;
    expect(reportArn).toBe(`arn:aws:codebuild:us-east-1:000000000000:report/reported-unit:${done.id!.split(':')[1]}`);
    const { reports } = await cb.send(new BatchGetReportsCommand({ reportArns: [reportArn] }));
    expect(reports![0]).toMatchObject({
      type: 'TEST',
      status: 'FAILED',
      executionId: done.arn,
      reportGroupArn: 'arn:aws:codebuild:us-east-1:000000000000:report-group/reported-unit',
      testSummary: { total: 3, statusCounts: { SUCCEEDED: 1, FAILED: 1, SKIPPED: 1 }, durationInNanoSeconds: 750_000_000 },
    });
    const { testCases } = await cb.send(new DescribeTestCasesCommand({ reportArn, filter: { status: 'FAILED' } }));
    expect(testCases).toEqual([
      expect.objectContaining({ prefix: 'math.Add', name: 'overflows', status: 'FAILED', message: 'expected 1\nstack & trace', testSuiteName: 'math', durationInNanoSeconds: 250_000_000 }),
    ]);
    expect((await cb.send(new ListReportsForReportGroupCommand({ reportGroupArn: reports![0].reportGroupArn }))).reports).toEqual([reportArn]);
  });

  it('follows on-failure CONTINUE and ABORT', async () => {
    await inline('continue', 'version: 0.2\nphases:\n  pre_build:\n    on-failure: CONTINUE\n    commands:\n      - false\n  build:\n    commands:\n      - echo "build ran succeeding=$CODEBUILD_BUILD_SUCCEEDING"\n');
    const cont = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'continue' }))).build!.id!);
    expect(cont.buildStatus).toBe('FAILED');
    expect(phaseSummary(cont)).toContain('BUILD:SUCCEEDED');
    expect(await logText(cont)).toContain('build ran succeeding=0');

    await inline('abort', 'version: 0.2\nphases:\n  build:\n    on-failure: ABORT\n    commands:\n      - false\n  post_build:\n    commands:\n      - echo "post must not run"\n');
    const abort = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'abort' }))).build!.id!);
    expect(phaseSummary(abort).slice(-4)).toEqual(['PRE_BUILD:SUCCEEDED', 'BUILD:FAILED', 'FINALIZING:SUCCEEDED', 'COMPLETED:-']);
  });

  it('checks out a CodeCommit source at a commit, shallow, and at a branch with its history', async () => {
    const { url, commit } = await pushRepository(server, 'versions-repo', { 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "head=$(git rev-parse HEAD) shallow=$(git rev-parse --is-shallow-repository) branch=$(git rev-parse --abbrev-ref HEAD) count=$(git rev-list --count HEAD)"\n' }, work.path);
    const dir = join(work.path, 'versions-repo');
    writeFileSync(join(dir, 'second.txt'), 'two\n');
    await gitOk(dir, ['add', '-A']);
    await gitOk(dir, ['commit', '-q', '-m', 'second']);
    await gitOk(dir, ['push', '-q', url, 'HEAD:main']);
    const second = (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
    await cb.send(new CreateProjectCommand({ name: 'versions', source: { type: 'CODECOMMIT', location: url }, artifacts: { type: 'NO_ARTIFACTS' }, environment: env, serviceRole: ROLE }));

    const atCommit = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'versions', sourceVersion: commit, gitCloneDepthOverride: 1 }))).build!.id!);
    expect(atCommit.resolvedSourceVersion).toBe(commit);
    expect(await logText(atCommit)).toContain(`head=${commit} shallow=true branch=HEAD count=1`);

    const atBranch = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'versions', sourceVersion: 'main' }))).build!.id!);
    expect(atBranch).toMatchObject({ resolvedSourceVersion: second, sourceVersion: 'main' });
    expect(await logText(atBranch)).toContain(`head=${second} shallow=false branch=main count=2`);

    const missing = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'versions', sourceVersion: 'no-such-branch' }))).build!.id!);
    expect(missing.phases!.find((p) => p.phaseType === 'DOWNLOAD_SOURCE')!.contexts).toEqual([
      { statusCode: 'CLIENT_ERROR', message: 'reference not found for primary source and source version no-such-branch' },
    ]);
  });

  it('downloads secondary sources and uploads secondary artifacts; writes the log to S3', async () => {
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'multi' }));
    writeFileSync(join(work.path, 'extra.txt'), 'extra source\n');
    await writeZip(join(work.path, 'extra.zip'), [{ path: join(work.path, 'extra.txt'), name: 'extra.txt' }]);
    await s3.send(new PutObjectCommand({ Bucket: 'multi', Key: 'extra.zip', Body: readFileSync(join(work.path, 'extra.zip')) }));
    const buildspec = [
      'version: 0.2',
      'phases:',
      '  build:',
      '    commands:',
      '      - mkdir -p dist/sub docs',
      '      - cp "$CODEBUILD_SRC_DIR_extra/extra.txt" dist/sub/copied.txt',
      '      - echo skip > dist/skip.log',
      '      - echo doc > docs/guide.md',
      'artifacts:',
      '  files:',
      '    - docs/guide.md',
      '  secondary-artifacts:',
      '    flat:',
      '      base-directory: dist',
      '      files:',
      "        - '**/*'",
      '      exclude-paths:',
      "        - '*.log'",
      '      discard-paths: yes',
      '',
    ].join('\n');
    await inline('multi', buildspec, {
      secondarySources: [{ type: 'S3', location: 'multi/extra.zip', sourceIdentifier: 'extra' }],
      artifacts: { type: 'S3', location: 'multi', path: 'primary', name: 'docs', packaging: 'NONE' },
      secondaryArtifacts: [{ type: 'S3', location: 'multi', path: 'secondary', name: 'flat', packaging: 'NONE', artifactIdentifier: 'flat' }],
      logsConfig: { s3Logs: { status: 'ENABLED', location: 'multi/logs' } },
    });
    const done = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'multi' }))).build!.id!);
    expect(done.buildStatus, await logText(done)).toBe('SUCCEEDED');
    expect(done.artifacts?.location).toBe('arn:aws:s3:::multi/primary/docs');
    expect(done.secondaryArtifacts).toEqual([expect.objectContaining({ artifactIdentifier: 'flat', location: 'arn:aws:s3:::multi/secondary/flat' })]);
    const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: 'multi' }))).Contents ?? []).map((o) => o.Key).sort();
    const uuid = done.id!.split(':')[1];
    expect(keys).toEqual(['extra.zip', `logs/${uuid}.gz`, 'primary/docs/docs/guide.md', 'secondary/flat/copied.txt']);
    const logObject = await s3.send(new GetObjectCommand({ Bucket: 'multi', Key: `logs/${uuid}.gz` }));
    expect(gunzipSync(Buffer.from(await logObject.Body!.transformToByteArray())).toString()).toContain('Running command mkdir -p dist/sub docs');
    expect(done.logs?.s3LogsArn).toBe(`arn:aws:s3:::multi/logs/${uuid}.gz`);
  });

  it('fails UPLOAD_ARTIFACTS when no file matches', async () => {
    await s3Client(server).send(new CreateBucketCommand({ Bucket: 'empty-out' }));
    await inline('nothing', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\nartifacts:\n  files:\n    - missing/*\n', {
      artifacts: { type: 'S3', location: 'empty-out', name: 'a.zip', packaging: 'ZIP' },
    });
    const done = await waitForBuild(cb, (await cb.send(new StartBuildCommand({ projectName: 'nothing' }))).build!.id!);
    expect(done.buildStatus).toBe('FAILED');
    expect(done.phases!.find((p) => p.phaseType === 'UPLOAD_ARTIFACTS')!.contexts).toEqual([{ statusCode: 'CLIENT_ERROR', message: 'no matching artifact paths found' }]);
    expect(await logText(done)).toContain('Skipping invalid file path missing/*');
  });
});
