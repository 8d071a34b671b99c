import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../../agent/index.js';
import { ACCESS_KEY, FakeCommandService, type Completion } from './helpers/command-service.js';

const HOST = 'arn:aws:iam::123456789012:user/AWS/CodeDeploy/web-1';
const GROUP_ID = '3e4a5b6c-0000-4000-8000-000000000001';
const LIFECYCLE = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'];

let service: FakeCommandService;
let work: string;
let root: string;
let dest: string;
let agent: RunningAgent | undefined;

beforeAll(async () => {
  service = new FakeCommandService();
  await service.start();
});
afterAll(async () => {
  await service.stop();
});
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'agent-'));
  root = join(work, 'deployment-root');
  dest = join(work, 'srv');
  await writeFile(join(work, 'codedeploy.onpremises.yml'), `---\nregion: us-east-1\niam_user_arn: ${HOST}\naws_access_key_id: ${ACCESS_KEY.accessKeyId}\naws_secret_access_key: ${ACCESS_KEY.secretAccessKey}\n`);
  await writeFile(join(work, 'codedeployagent.yml'), `---
:log_aws_wire: false
:log_dir: '${work}/log'
:pid_dir: '${work}/pid'
:program_name: codedeploy-agent
:root_dir: '${root}'
:verbose: false
:wait_between_runs: 1
:max_revisions: 2
:deploy_control_endpoint: '${service.url}'
:s3_endpoint_override: '${service.url}'
:on_premises_config_file: '${work}/codedeploy.onpremises.yml'
`);
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await rm(work, { recursive: true, force: true });
});

const logs: string[] = [];
const start = async () => {
  agent = await startAgent({ configFile: join(work, 'codedeployagent.yml'), env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'of-whoever-started-it' }, log: (level, m) => { logs.push(`${level} ${m}`); if (process.env.AGENT_TEST_LOG) console.error(level, m); } });
};

/**
 * A revision as `aws deploy push` would upload it: a zip of a directory with appspec.yml. Its
 * hooks append "<event> <revision> <deployment>" to `events` so the order can be checked.
 */
async function revision(name: string, options: { files?: Record<string, string>; hooks?: Record<string, string>; appspec?: string; topDir?: boolean } = {}): Promise<{ key: string; etag: string }> {
  const src = join(work, 'src', name, options.topDir ? 'bundle' : '');
  await mkdir(join(src, 'scripts'), { recursive: true });
  const events = join(work, 'events');
  const hooks = options.hooks ?? Object.fromEntries(['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => [e, `echo "$LIFECYCLE_EVENT ${name} $DEPLOYMENT_ID" >> ${events}; env | grep '^AWS_' | sort > ${work}/aws-env`]));
  for (const [event, body] of Object.entries(hooks)) {
    await writeFile(join(src, 'scripts', `${event}.sh`), `#!/bin/sh\n${body}\n`);
    await chmod(join(src, 'scripts', `${event}.sh`), 0o755);
  }
  for (const [file, content] of Object.entries(options.files ?? { 'index.html': name })) {
    await mkdir(join(src, 'site', file, '..'), { recursive: true });
    await writeFile(join(src, 'site', file), content);
  }
  const appspec = options.appspec ?? `version: 0.0\nos: linux\nfiles:\n  - source: site\n    destination: ${dest}\nhooks:\n${Object.keys(hooks).map((e) => `  ${e}:\n    - location: scripts/${e}.sh\n      timeout: 30\n`).join('')}`;
  if (appspec) await writeFile(join(src, 'appspec.yml'), appspec);
  const zip = join(work, `${name}.zip`);
  execFileSync('zip', ['-qr', zip, '.'], { cwd: join(work, 'src', name) });
  const key = `apps/${name}.zip`;
  return { key, etag: service.putObject('bundles', key, await readFile(zip)) };
}

function specFor(deploymentId: string, bundle: { key: string; etag: string }, format: 'PKCS7/JSON' | 'TEXT/JSON' = 'PKCS7/JSON', extra: Record<string, unknown> = {}): string {
  const executionId = `CodeDeploy/us-east-1/Prod/arn:aws:sds:us-east-1:123456789012:deployment/${deploymentId}`;
  service.specs.set(executionId, {
    format,
    json: JSON.stringify({
      DeploymentId: `arn:aws:codedeploy:us-east-1:123456789012:deployment/${deploymentId}`,
      DeploymentGroupId: GROUP_ID,
      DeploymentGroupName: 'web',
      ApplicationName: 'shop',
      DeploymentCreator: 'user',
      DeploymentType: 'IN_PLACE',
      AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: 'DISALLOW' } },
      Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'bundles', Key: bundle.key, BundleType: 'zip', ETag: bundle.etag } },
      ...extra,
    }),
  });
  return executionId;
}

/** Runs the lifecycle one command at a time, as the service releases them, until one fails. */
async function deploy(executionId: string, events = LIFECYCLE): Promise<Completion[]> {
  const done: Completion[] = [];
  for (const event of events) {
    const completion = await service.send(HOST, event, executionId).completed;
    done.push(completion);
    if (completion.status !== 'Succeeded') break;
  }
  return done;
}

const SUCCESS = { error_code: 0, script_name: '', message: 'Succeeded: ', log: '' };

describe('the agent against a command service', () => {
  it('runs a whole in-place deployment from a signed spec, keeping the real agent’s layout', async () => {
    const bundle = await revision('v1', { topDir: true });
    await start();
    const completions = await deploy(specFor('d-AAAAAAAA1', bundle));
    expect(completions.map((c) => [c.status, c.diagnostics])).toEqual(LIFECYCLE.map(() => ['Succeeded', SUCCESS]));
    // First deployment: there is no previous revision, so ApplicationStop is a noop.
    expect(service.acks.slice(-7).map((a) => a.noop)).toEqual([true, false, false, false, false, false, false]);
    expect((await readFile(join(work, 'events'), 'utf8')).trim().split('\n')).toEqual(
      ['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => `${e} v1 d-AAAAAAAA1`),
    );
    expect(await readFile(join(dest, 'index.html'), 'utf8')).toBe('v1');
    expect(await readFile(join(work, 'aws-env'), 'utf8')).toBe(`AWS_ACCESS_KEY=${ACCESS_KEY.accessKeyId}\nAWS_HOST_IDENTIFIER=${HOST}\nAWS_REGION=us-east-1\nAWS_SECRET_KEY=${ACCESS_KEY.secretAccessKey}\n`);
    const dir = join(root, GROUP_ID, 'd-AAAAAAAA1');
    expect(existsSync(join(dir, 'bundle.tar'))).toBe(true);
    // The single top-level directory holding the appspec was stripped.
    expect(existsSync(join(dir, 'deployment-archive/appspec.yml'))).toBe(true);
    expect(await readFile(join(dir, 'logs/scripts.log'), 'utf8')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d LifecycleEvent - BeforeInstall\n.* Script - scripts\/BeforeInstall.sh\n/);
    const instructions = join(root, 'deployment-instructions');
    expect(await readFile(join(instructions, `${GROUP_ID}_last_successful_install`), 'utf8')).toBe(dir);
    expect(await readFile(join(instructions, `${GROUP_ID}_most_recent_install`), 'utf8')).toBe(dir);
    expect(await readFile(join(instructions, `${GROUP_ID}-cleanup`), 'utf8')).toBe(`${dest}\n${join(dest, 'index.html')}\n`);
    expect(existsSync(join(instructions, `${GROUP_ID}-install.json`))).toBe(true);
    expect(existsSync(join(root, 'ongoing-deployment', 'd-AAAAAAAA1'))).toBe(false);
    expect([...service.agentVersions].every((v) => v.length > 0)).toBe(true);
  });

  it('runs ApplicationStop from the previous revision, removes its files, and prunes old archives', async () => {
    await start();
    await deploy(specFor('d-AAAAAAAA1', await revision('v1', { files: { 'index.html': 'v1', 'old.html': 'only in v1' } })));
    await deploy(specFor('d-AAAAAAAA2', await revision('v2'), 'TEXT/JSON'));
    expect((await readFile(join(work, 'events'), 'utf8')).trim().split('\n').slice(4)).toEqual([
      'ApplicationStop v1 d-AAAAAAAA2',
      ...['BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService'].map((e) => `${e} v2 d-AAAAAAAA2`),
    ]);
    expect(await readFile(join(dest, 'index.html'), 'utf8')).toBe('v2');
    expect(existsSync(join(dest, 'old.html'))).toBe(false);
    // :max_revisions: 2 keeps the current and one more; the last successful one is never pruned.
    await deploy(specFor('d-AAAAAAAA3', await revision('v3')));
    await deploy(specFor('d-AAAAAAAA4', await revision('v4')));
    expect(execFileSync('ls', [join(root, GROUP_ID)]).toString().trim().split('\n')).toEqual(['d-AAAAAAAA3', 'd-AAAAAAAA4']);
  });

  it('reports a failing ValidateService with code 4, the script and the log tail', async () => {
    await start();
    const bundle = await revision('bad', { hooks: { ValidateService: 'echo checking; echo broken >&2; exit 7' } });
    const completions = await deploy(specFor('d-BBBBBBBB1', bundle));
    const last = completions.at(-1)!;
    expect(completions.map((c) => c.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Succeeded', 'Failed']);
    expect(last.diagnostics).toEqual({
      error_code: 4,
      script_name: 'scripts/ValidateService.sh',
      message: 'Script at specified location: scripts/ValidateService.sh failed with exit code 7',
      log: expect.stringMatching(/^LifecycleEvent - ValidateService\nScript - scripts\/ValidateService.sh\n(\[stdout\]checking\n\[stderr\]broken\n|\[stderr\]broken\n\[stdout\]checking\n)$/),
    });
  });

  it('fails bad input with the real agent’s code 5 messages', async () => {
    await start();
    const good = await revision('v1');
    // An S3 object that is not the registered revision.
    const wrongEtag = await deploy(specFor('d-CCCCCCCC1', { key: good.key, etag: '0123456789abcdef0123456789abcdef' }), ['DownloadBundle']);
    expect(wrongEtag[0].diagnostics).toMatchObject({ error_code: 5, message: `Expected deployment artifact bundle etag 0123456789abcdef0123456789abcdef but was actually "${good.etag}"` });
    const missing = await deploy(specFor('d-CCCCCCCC2', { key: 'apps/none.zip', etag: good.etag }), ['DownloadBundle']);
    expect(missing[0].diagnostics).toMatchObject({ error_code: 5, message: 'The specified key does not exist.' });
    // No appspec in the bundle: the first event that reads it fails.
    const noAppspec = await deploy(specFor('d-CCCCCCCC3', await revision('noappspec', { appspec: '' })), ['DownloadBundle', 'BeforeInstall']);
    expect(noAppspec[1].diagnostics.message).toBe(`No such file or directory @ rb_sysopen - ${join(root, GROUP_ID, 'd-CCCCCCCC3', 'deployment-archive', 'appspec.yml')}`);
    const unknownHook = await deploy(specFor('d-CCCCCCCC4', await revision('unknownhook', { appspec: 'version: 0.0\nos: linux\nhooks:\n  AfterAllInstalls:\n    - location: x.sh\n' })), ['DownloadBundle', 'Install']);
    expect(unknownHook[1].diagnostics).toMatchObject({ error_code: 5, message: 'appspec.yml file contains unknown lifecycle events: ["AfterAllInstalls"]' });
    // A foreign file where the revision installs one, under DISALLOW.
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'index.html'), 'not ours');
    const conflict = await deploy(specFor('d-CCCCCCCC5', good), ['DownloadBundle', 'Install']);
    expect(conflict[1].diagnostics).toMatchObject({ error_code: 5, message: `The deployment failed because a specified file already exists at this location: ${join(dest, 'index.html')}` });
    const unsupported = await deploy(specFor('d-CCCCCCCC6', good), ['Reboot']);
    expect(unsupported[0].diagnostics).toMatchObject({ error_code: 5, message: 'Unsupported command type: Reboot.' });
    const badBundleType = specFor('d-CCCCCCCC7', good, 'TEXT/JSON', { Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'bundles', Key: good.key, BundleType: 'rar' } } });
    expect((await deploy(badBundleType, ['DownloadBundle']))[0].diagnostics.message).toBe('BundleType in S3Revision must be tar, tgz or zip');
  });

  it('refuses a tampered PKCS7 specification', async () => {
    await start();
    const executionId = specFor('d-DDDDDDDD1', await revision('v1'));
    const original = service.sign.bind(service);
    service.sign = (json: string) => {
      const pem = original(json);
      const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
      const at = der.indexOf('"ApplicationName":"shop"');
      der.write('"ApplicationName":"shoq"', at, 'latin1');
      return `-----BEGIN PKCS7-----\n${der.toString('base64')}\n-----END PKCS7-----\n`;
    };
    try {
      const [completion] = await deploy(executionId, ['DownloadBundle']);
      expect(completion.diagnostics).toMatchObject({ error_code: 5, message: 'Validation of PKCS7 signed message failed' });
    } finally {
      service.sign = original;
    }
  });

  it('follows the acknowledgement answer and drops commands for another host', async () => {
    await start();
    const executionId = specFor('d-EEEEEEEE1', await revision('v1'));
    const before = service.completions.length;
    const specsBefore = service.specRequests.length;
    service.send('arn:aws:iam::123456789012:user/AWS/CodeDeploy/web-2', 'DownloadBundle', executionId, HOST);
    service.ackStatus = () => 'Succeeded';
    service.send(HOST, 'DownloadBundle', executionId);
    await expect.poll(() => service.acks.length).toBeGreaterThan(0);
    await expect.poll(() => service.specRequests.length).toBe(specsBefore + 1);
    // Failed for a noop: the agent completes it Succeeded without running anything.
    service.ackStatus = () => 'Failed';
    const noop = await service.send(HOST, 'ApplicationStop', executionId).completed;
    expect(noop.diagnostics).toEqual({ error_code: 0, script_name: '', message: 'Succeeded: CompletedNoopCommand', log: '' });
    service.ackStatus = () => 'InProgress';
    expect(service.completions.length).toBe(before + 1);
    expect(existsSync(join(root, GROUP_ID, 'd-EEEEEEEE1', 'bundle.tar'))).toBe(false);
    expect(logs.some((l) => l.includes('Host Identifier mismatch'))).toBe(true);
  });

  it('fails the command it was running before a restart with code 7', async () => {
    await mkdir(join(root, 'ongoing-deployment'), { recursive: true });
    await writeFile(join(root, 'ongoing-deployment', 'd-FFFFFFFF1'), 'interrupted-command-id');
    const completed = service.completion('interrupted-command-id');
    await start();
    expect((await completed).diagnostics).toEqual({ error_code: 7, script_name: '', message: 'Failed: Failing in-progress lifecycle event after an agent restart.', log: '' });
    await expect.poll(() => existsSync(join(root, 'ongoing-deployment'))).toBe(false);
  });

  it('fails the event of an agent process killed mid-script once it is started again', async () => {
    const bundle = await revision('slow', { hooks: { ApplicationStart: `echo $$ > ${work}/started; sleep 60` } });
    const executionId = specFor('d-GGGGGGGG1', bundle);
    const spawnAgent = () => spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'helpers/run-agent.ts'), '--config', join(work, 'codedeployagent.yml')], { stdio: 'ignore' });
    let child = spawnAgent();
    try {
      for (const event of ['DownloadBundle', 'Install']) expect((await service.send(HOST, event, executionId).completed).status).toBe('Succeeded');
      const start = service.send(HOST, 'ApplicationStart', executionId);
      await expect.poll(async () => (await readFile(join(work, 'started'), 'utf8').catch(() => '')).trim().length > 0, { timeout: 15000 }).toBe(true);
      expect(await readFile(join(root, 'ongoing-deployment', 'd-GGGGGGGG1'), 'utf8')).toBe(start.id);
      child.kill('SIGKILL');
      child = spawnAgent();
      const failed = await start.completed;
      expect([failed.status, failed.diagnostics.error_code, failed.diagnostics.message]).toEqual(['Failed', 7, 'Failed: Failing in-progress lifecycle event after an agent restart.']);
      // The restarted agent goes on with the next command.
      expect((await service.send(HOST, 'ValidateService', executionId).completed).status).toBe('Succeeded');
    } finally {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));
      // The killed agent's script lives on in its own process group (as with the real agent).
      const pgid = Number(await readFile(join(work, 'started'), 'utf8').catch(() => '0'));
      if (pgid > 0) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
  }, 60000);
});
