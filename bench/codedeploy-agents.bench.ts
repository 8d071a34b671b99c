/**
 * CodeDeploy figure (issue 13), the agents' own work included: CreateDeployment → Succeeded of a
 * trivial revision (one file, one ApplicationStart script) on three instances, OneAtATime, each
 * instance served by a real `codesuite agent` process with its own deployment root. Run with
 * `npm run build && npx tsx bench/codedeploy-agents.bench.ts`. Prints figures; asserts nothing.
 */
import {
  AddTagsToOnPremisesInstancesCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentGroupCommand,
  GetDeploymentCommand,
  RegisterOnPremisesInstanceCommand,
} from '@aws-sdk/client-codedeploy';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeZip } from '../src/core/archives/zip.js';
import { startServer } from '../src/server.js';

const RUNS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

const work = mkdtempSync(join(tmpdir(), 'codesuite-deploy-bench-'));
const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
const config = { endpoint: server.endpoint, region: 'us-east-1', credentials };
const cd = new CodeDeployClient(config);
const iam = new IAMClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const agents: ChildProcess[] = [];

try {
  const source = join(work, 'revision');
  mkdirSync(join(source, 'scripts'), { recursive: true });
  writeFileSync(join(source, 'index.html'), '<p>bench</p>\n');
  writeFileSync(join(source, 'scripts', 'start.sh'), '#!/bin/sh\necho started >> "$INSTANCE_HOME/started.log"\n', { mode: 0o755 });
  const www = join(work, 'www');
  writeFileSync(
    join(source, 'appspec.yml'),
    `version: 0.0\nos: linux\nfiles:\n  - source: index.html\n    destination: ${www}\nfile_exists_behavior: OVERWRITE\nhooks:\n  ApplicationStart:\n    - location: scripts/start.sh\n`,
  );
  const bundle = join(work, 'bundle.zip');
  await writeZip(bundle, ['appspec.yml', 'index.html', 'scripts/start.sh'].map((name) => ({ path: join(source, name), name })));
  await s3.send(new CreateBucketCommand({ Bucket: 'bundles' }));
  const put = await s3.send(new PutObjectCommand({ Bucket: 'bundles', Key: 'bench.zip', Body: readFileSync(bundle) }));
  await cd.send(new CreateApplicationCommand({ applicationName: 'bench' }));
  const role = await iam.send(new CreateRoleCommand({ RoleName: 'bench', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  for (const name of ['web-1', 'web-2', 'web-3']) {
    const home = join(work, name);
    mkdirSync(home);
    const user = await iam.send(new CreateUserCommand({ UserName: name, Path: '/AWS/CodeDeploy/' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
    await cd.send(new RegisterOnPremisesInstanceCommand({ instanceName: name, iamUserArn: user.User!.Arn! }));
    await cd.send(new AddTagsToOnPremisesInstancesCommand({ instanceNames: [name], tags: [{ Key: 'fleet', Value: 'bench' }] }));
    writeFileSync(join(home, 'codedeployagent.yml'), `:deploy_control_endpoint: ${server.endpoint}\n:s3_endpoint_override: ${server.endpoint}\n:root_dir: ${join(home, 'root')}\n:wait_between_runs: 1\n`);
    writeFileSync(join(home, 'onpremises.yml'), `region: us-east-1\niam_user_arn: ${user.User!.Arn}\naws_access_key_id: ${key.AccessKeyId}\naws_secret_access_key: ${key.SecretAccessKey}\n`);
    agents.push(
      spawn(process.execPath, ['dist/cli.js', 'agent', '--config', join(home, 'codedeployagent.yml'), '--on-premises-config', join(home, 'onpremises.yml')], {
        env: { ...process.env, INSTANCE_HOME: home },
        stdio: 'ignore',
      }),
    );
  }
  await cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: 'bench',
      deploymentGroupName: 'fleet',
      serviceRoleArn: role.Role!.Arn!,
      onPremisesInstanceTagFilters: [{ Key: 'fleet', Value: 'bench', Type: 'KEY_AND_VALUE' }],
    }),
  );
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { deploymentId } = await cd.send(
      new CreateDeploymentCommand({
        applicationName: 'bench',
        deploymentGroupName: 'fleet',
        revision: { revisionType: 'S3', s3Location: { bucket: 'bundles', key: 'bench.zip', bundleType: 'zip', eTag: put.ETag!.replace(/"/g, '') } },
      }),
    );
    for (;;) {
      const info = (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
      if (info.status === 'Succeeded') break;
      if (info.status === 'Failed' || info.status === 'Stopped') throw new Error(`deployment ${deploymentId} ${info.status}: ${info.errorInformation?.message}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    times.push(performance.now() - t0);
  }
  console.log(
    `CreateDeployment -> Succeeded, 3 real agents OneAtATime (download, install, one hook each): first ${times[0].toFixed(0)} ms (signing key made), median ${median(times.slice(1)).toFixed(0)} ms, min ${Math.min(...times.slice(1)).toFixed(0)} ms`,
  );
} finally {
  for (const agent of agents) agent.kill('SIGTERM');
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
