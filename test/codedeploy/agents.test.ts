import {
  AddTagsToOnPremisesInstancesCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentInstanceCommand,
  ListDeploymentsCommand,
  RegisterOnPremisesInstanceCommand,
  StopDeploymentCommand,
  type DeploymentInfo,
  type RevisionLocation,
} from '@aws-sdk/client-codedeploy';
import { AttachRolePolicyCommand, CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointAwareCli } from '../helpers/aws-cli.js';
import { tempDir } from '../helpers/git.js';
import { awsError, credentials, freePort } from '../helpers/server.js';
import { finished } from './helpers.js';

/**
 * CodeDeploy as a user runs it: the server and three deployment agents, each its own process with
 * its own deployment root, revisions uploaded by `aws deploy push`, hooks that record what ran
 * into files, and agents and the server killed mid-deployment.
 */

const run = promisify(execFile);
const ACCOUNT = '000000000000';
const HOOKS = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;

/** `aws deploy push` uploads with an S3 client that honours only AWS_ENDPOINT_URL(_S3): CLI v1 >= 1.29 or v2 >= 2.13. */
const cli = endpointAwareCli();

const work = tempDir('codesuite-deploy-');
let port: number;
let server: ChildProcess | undefined;
let cd: CodeDeployClient;
let roleArn: string;
const agents = new Map<string, ChildProcess>();

interface Instance {
  name: string;
  home: string;
}
const instances: Instance[] = [];


async function startServer(): Promise<void> {
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(port), '--data-dir', join(work.path, 'data'), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => /listening on/.test(out) && resolve());
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  server = child;
}

async function kill(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** An on-premises instance as `aws deploy register` makes one: an IAM user under /AWS/CodeDeploy/, its keys, the agent's two config files. */
async function registerInstance(iam: IAMClient, name: string, env: string): Promise<Instance> {
  const home = join(work.path, name);
  mkdirSync(home, { recursive: true });
  const user = await iam.send(new CreateUserCommand({ UserName: name, Path: '/AWS/CodeDeploy/' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  await cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: name, iamUserArn: user.User!.Arn! }));
  await cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: [name], tags: [{ Key: 'env', Value: env }] }));
  const endpoint = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(home, 'codedeployagent.yml'),
    [`---`, `:root_dir: ${join(home, 'deployment-root')}`, `:max_revisions: 2`, `:wait_between_runs: 1`, `:deploy_control_endpoint: ${endpoint}`, `:s3_endpoint_override: ${endpoint}`, `:on_premises_config_file: ${join(home, 'codedeploy.onpremises.yml')}`, ''].join('\n'),
  );
  writeFileSync(
    join(home, 'codedeploy.onpremises.yml'),
    [`---`, `region: us-east-1`, `iam_user_arn: ${user.User!.Arn}`, `aws_access_key_id: ${key.AccessKeyId}`, `aws_secret_access_key: ${key.SecretAccessKey}`, ''].join('\n'),
  );
  return { name, home };
}

function startAgent(instance: Instance): void {
  const child = spawn(process.execPath, ['dist/cli.js', 'agent', '--config', join(instance.home, 'codedeployagent.yml')], {
    // Hooks inherit the agent's environment: they find their instance's folder through it.
    env: { ...process.env, INSTANCE_HOME: instance.home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (c) => writeFileSync(join(instance.home, 'agent.log'), c, { flag: 'a' }));
  agents.set(instance.name, child);
}

const www = () => join(work.path, 'www');

/**
 * A revision folder: `site/<label>.html` installed into the shared web root, and one script for
 * every hook that appends `<event> <deployment> <label>` to the instance's hooks.log. A marker file
 * in the instance's folder makes ValidateService fail (`fail-validate`) or ApplicationStart sleep
 * (`slow`, in seconds).
 */
function revision(label: string, options: { failValidate?: boolean } = {}): string {
  const dir = join(work.path, 'revisions', label);
  mkdirSync(join(dir, 'site'), { recursive: true });
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'site', `${label}.html`), `<p>${label}</p>\n`);
  const hooks = HOOKS.map((event) => `  ${event}:\n    - location: scripts/hook.sh\n      timeout: 60\n`).join('');
  writeFileSync(join(dir, 'appspec.yml'), `version: 0.0\nos: linux\nfiles:\n  - source: site\n    destination: ${www()}\nfile_exists_behavior: OVERWRITE\nhooks:\n${hooks}`);
  const script = [
    '#!/bin/sh',
    `echo "$LIFECYCLE_EVENT $DEPLOYMENT_ID ${label}" >> "$INSTANCE_HOME/hooks.log"`,
    'if [ "$LIFECYCLE_EVENT" = ApplicationStart ] && [ -f "$INSTANCE_HOME/slow" ]; then sleep "$(cat "$INSTANCE_HOME/slow")"; fi',
    options.failValidate ? 'if [ "$LIFECYCLE_EVENT" = ValidateService ]; then echo "validation failed on this host" >&2; exit 3; fi' : '',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'scripts', 'hook.sh'), script);
  chmodSync(join(dir, 'scripts', 'hook.sh'), 0o755);
  return dir;
}

/** Uploads a revision with `aws deploy push` and resolves the location it registered. */
async function push(label: string, options: { failValidate?: boolean } = {}): Promise<RevisionLocation> {
  const { stdout } = await run(cli!.path, ['deploy', 'push', '--application-name', 'app', '--s3-location', `s3://bundles/app/${label}.zip`, '--source', revision(label, options)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
  });
  // "To deploy with this revision, run: aws deploy create-deployment ... --s3-location bucket=b,key=k,bundleType=zip,eTag=e"
  const location = /--s3-location (\S+)/.exec(stdout)?.[1];
  expect(location, stdout).toBeDefined();
  const fields = Object.fromEntries(location!.split(',').map((kv) => kv.split('=') as [string, string]));
  expect(fields).toMatchObject({ bucket: 'bundles', key: `app/${label}.zip`, bundleType: 'zip' });
  return { revisionType: 'S3', s3Location: { bucket: fields.bucket, key: fields.key, bundleType: 'zip', eTag: fields.eTag } };
}

async function deploy(revisionLocation: RevisionLocation, config = 'CodeDeployDefault.OneAtATime', extra: Record<string, unknown> = {}): Promise<string> {
  const out = await cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'web', revision: revisionLocation, deploymentConfigName: config, ...extra }));
  return out.deploymentId!;
}

/** Lines `<event> <deployment> <label>` an instance's hooks wrote for one deployment. */
function hookLog(instance: Instance, deploymentId: string): string[] {
  const file = join(instance.home, 'hooks.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.split(' ')[1] === deploymentId);
}

const web = () => instances.filter((i) => i.name !== 'staging');

/** What each selected instance went through, and its agent's log: the message of a failed expectation. */
async function explain(deploymentId: string): Promise<string> {
  const parts: string[] = [];
  for (const instance of web()) {
    const target = await cd.send(new GetDeploymentInstanceCommand({ deploymentId, instanceId: instance.name })).catch((err) => ({ instanceSummary: String(err) }));
    const log = existsSync(join(instance.home, 'agent.log')) ? readFileSync(join(instance.home, 'agent.log'), 'utf8').split('\n').slice(-15).join('\n') : '';
    parts.push(`${instance.name}: ${JSON.stringify(target.instanceSummary)}\n${log}`);
  }
  return parts.join('\n');
}

// Processes start and stop here; on a busy 2-core machine that takes a while.
describe.skipIf(!cli)('CodeDeploy with real agents', { timeout: 180_000 }, () => {
  let v1: RevisionLocation;
  let firstDeployment: string;

  beforeAll(async () => {
    port = await freePort();
    await startServer();
    const config = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials };
    cd = new CodeDeployClient(config);
    const iam = new IAMClient(config);
    await new S3Client({ ...config, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'bundles' }));
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'CodeDeployServiceRole',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'CodeDeployServiceRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' })).catch(() => undefined);
    roleArn = role.Role!.Arn!;
    await cd.send(new CreateApplicationCommand({ applicationName: 'app', computePlatform: 'Server' }));
    for (const [name, env] of [['web-1', 'prod'], ['web-2', 'prod'], ['staging', 'staging']] as const) instances.push(await registerInstance(iam, name, env));
    // Two of the three instances: the group selects env=prod.
    await cd.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'app',
        deploymentGroupName: 'web',
        serviceRoleArn: roleArn,
        onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      }),
    );
    for (const instance of instances) startAgent(instance);
    v1 = await push('v1');
  }, 120_000);

  afterAll(async () => {
    for (const child of agents.values()) await kill(child, 'SIGTERM');
    await kill(server, 'SIGTERM');
    work.remove();
  });

  it('deploys OneAtATime to the two selected instances, every hook in order, ApplicationStop skipped the first time', async () => {
    firstDeployment = await deploy(v1);
    const info = await finished(cd, firstDeployment, 60_000);
    expect(info.status, await explain(info.deploymentId!)).toBe('Succeeded');
    expect(info.deploymentOverview).toMatchObject({ Succeeded: 2, Failed: 0, Skipped: 0 });
    for (const instance of web()) {
      expect(hookLog(instance, firstDeployment)).toEqual(['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => `${e} ${firstDeployment} v1`));
      const target = await cd.send(new GetDeploymentInstanceCommand({ deploymentId: firstDeployment, instanceId: instance.name }));
      expect(target.instanceSummary!.lifecycleEvents!.map((e) => [e.lifecycleEventName, e.status])).toEqual([
        ['ApplicationStop', 'Skipped'],
        ['DownloadBundle', 'Succeeded'],
        ['BeforeInstall', 'Succeeded'],
        ['Install', 'Succeeded'],
        ['AfterInstall', 'Succeeded'],
        ['ApplicationStart', 'Succeeded'],
        ['ValidateService', 'Succeeded'],
      ]);
    }
    // One at a time: the second instance started only after the first one had finished.
    const [a, b] = await Promise.all(web().map((i) => cd.send(new GetDeploymentInstanceCommand({ deploymentId: firstDeployment, instanceId: i.name }))));
    const spans = [a, b].map((t) => t.instanceSummary!.lifecycleEvents!).map((events) => events.filter((e) => e.status !== 'Skipped')).map((events) => [events[0].startTime!.getTime(), events.at(-1)!.endTime!.getTime()]).sort((x, y) => x[0] - y[0]);
    expect(spans[1][0]).toBeGreaterThanOrEqual(spans[0][1]);
    expect(hookLog(instances.find((i) => i.name === 'staging')!, firstDeployment)).toEqual([]);
    expect(readFileSync(join(www(), 'v1.html'), 'utf8')).toBe('<p>v1</p>\n');
  });

  it('runs ApplicationStop from the previous revision and removes its files in the next deployment', async () => {
    const v2 = await push('v2');
    const id = await deploy(v2);
    const info = await finished(cd, id, 60_000);
    expect(info.status, await explain(info.deploymentId!)).toBe('Succeeded');
    expect(info.previousRevision?.s3Location?.key).toBe('app/v1.zip');
    for (const instance of web()) {
      const log = hookLog(instance, id);
      expect(log[0]).toBe(`ApplicationStop ${id} v1`);
      expect(log.slice(1)).toEqual(['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => `${e} ${id} v2`));
    }
    expect(existsSync(join(www(), 'v1.html'))).toBe(false);
    expect(existsSync(join(www(), 'v2.html'))).toBe(true);    // Listing by creation time: the range is epoch seconds on the wire.
    const list = (range: { start?: Date; end?: Date }) => cd.send(new ListDeploymentsCommand({ applicationName: 'app', deploymentGroupName: 'web', createTimeRange: range })).then((o) => o.deployments);
    expect(await list({ start: info.createTime })).toEqual([id]);
    expect(await list({ end: new Date(0) })).toEqual([]);
    expect((await list({ end: new Date(Date.now() + 60_000) }))?.sort()).toEqual([firstDeployment, id].sort());
  });

  it('refuses a second active deployment in the group, and stops one on request', async () => {
    writeFileSync(join(web()[0].home, 'slow'), '30');
    try {
      const id = await deploy(await push('v3'));
      const second = await awsError(deploy(v1));
      expect(second.name).toBe('DeploymentLimitExceededException');
      expect(second.message).toBe(`The Deployment Group 'web' already has an active Deployment '${id}'`);
      const stop = await cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
      expect(['Pending', 'Succeeded']).toContain(stop.status);
      const info = await finished(cd, id, 60_000);
      expect(info.status).toBe('Stopped');
      expect(info.errorInformation?.code).toBeDefined();
    } finally {
      rmSync(join(web()[0].home, 'slow'), { force: true });
    }
  });

  it('fails a HalfAtATime deployment when ValidateService fails, and rolls back to the last good revision', async () => {
    // Of two instances, HalfAtATime keeps one healthy: the first failure ends the deployment.
    const id = await deploy(await push('v4', { failValidate: true }), 'CodeDeployDefault.HalfAtATime');
    const info = await finished(cd, id, 60_000);
    expect(info.status).toBe('Failed');
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(info.deploymentOverview).toMatchObject({ Failed: 1, Skipped: 1, Succeeded: 0 });
    const targets = await Promise.all(web().map((i) => cd.send(new GetDeploymentInstanceCommand({ deploymentId: id, instanceId: i.name }))));
    const failed = targets.find((t) => t.instanceSummary!.status === 'Failed')!;
    const validate = failed.instanceSummary!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'ValidateService')!;
    expect(validate.status).toBe('Failed');
    expect(validate.diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'scripts/hook.sh' });
    expect(validate.diagnostics!.message).toContain('failed with exit code 3');
    expect(validate.diagnostics!.logTail).toContain('validation failed on this host');
    expect(info.rollbackInfo?.rollbackDeploymentId).toBeDefined();
    const rollback: DeploymentInfo = await finished(cd, info.rollbackInfo!.rollbackDeploymentId!, 60_000);
    expect(rollback.creator).toBe('codeDeployRollback');
    expect(rollback.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(id);
    expect(rollback.status, await explain(rollback.deploymentId!)).toBe('Succeeded');
    expect(rollback.revision?.s3Location?.key).toBe('app/v2.zip');
    for (const instance of web()) expect(hookLog(instance, rollback.deploymentId!).at(-1)).toBe(`ValidateService ${rollback.deploymentId} v2`);
    expect(existsSync(join(www(), 'v2.html'))).toBe(true);
  });

  it('fails the event an agent was running when it was killed, once the agent is back (error code 7)', async () => {
    const victim = web()[0];
    writeFileSync(join(victim.home, 'slow'), '30');
    try {
      const id = await deploy(await push('v5'));
      // Wait until the victim is inside ApplicationStart, then kill it without warning.
      await until(() => hookLog(victim, id).some((l) => l.startsWith('ApplicationStart')), 30_000);
      await kill(agents.get(victim.name));
      rmSync(join(victim.home, 'slow'));
      startAgent(victim);
      const info = await finished(cd, id, 60_000);
      expect(info.status).toBe('Failed');
      const target = await cd.send(new GetDeploymentInstanceCommand({ deploymentId: id, instanceId: victim.name }));
      const start = target.instanceSummary!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'ApplicationStart')!;
      expect(start.status).toBe('Failed');
      expect(start.diagnostics?.message).toContain('Failing in-progress lifecycle event after an agent restart');
      if (info.rollbackInfo?.rollbackDeploymentId) await finished(cd, info.rollbackInfo.rollbackDeploymentId, 60_000);
    } finally {
      rmSync(join(victim.home, 'slow'), { force: true });
    }
  });

  it('resumes a deployment after the server is killed and restarted mid-deployment', async () => {
    const first = web()[0];
    writeFileSync(join(first.home, 'slow'), '3');
    try {
      const id = await deploy(await push('v6'));
      await until(() => hookLog(first, id).some((l) => l.startsWith('ApplicationStart')), 30_000);
      await kill(server);
      await startServer();
      const info = await finished(cd, id, 90_000);
      expect(info.status, await explain(info.deploymentId!)).toBe('Succeeded');
      for (const instance of web()) expect(hookLog(instance, id).at(-1)).toBe(`ValidateService ${id} v6`);
    } finally {
      rmSync(join(first.home, 'slow'), { force: true });
    }
  });
});

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
