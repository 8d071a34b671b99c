import { BatchGetDeploymentTargetsCommand, CreateDeploymentCommand, GetDeploymentCommand, GetDeploymentInstanceCommand, GetDeploymentGroupCommand, ListDeploymentInstancesCommand, ListDeploymentTargetsCommand, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '../../src/core/events.js';
import type { RunningServer } from '../../src/server.js';
import { awsError, testServer } from '../helpers/server.js';
import { finished, fleet, hostArn, type Fleet } from './helpers.js';

const run = promisify(execFile);

const ORDER = ['DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'];

describe('deployments carried out through the agent command protocol', () => {
  let server: RunningServer;
  let f: Fleet;
  const events: BusEvent[] = [];

  beforeEach(async () => {
    server = await testServer({ deployPollSeconds: 2 });
    events.length = 0;
    server.events.subscribe((e) => void events.push(e));
  });
  afterEach(async () => {
    for (const a of f?.agents ?? []) void a.stop();
    await server.stop();
    await Promise.all((f?.agents ?? []).map((a) => a.stop()));
  });

  it('runs every lifecycle event in order on each selected instance, one at a time, and skips ApplicationStop the first time', async () => {
    f = await fleet(server, ['web-1', 'web-2']);
    const running = new Set<string>();
    let overlap = false;
    for (const a of f.agents) {
      a.start(async () => {
        running.add(a.hostId);
        if (running.size > 1) overlap = true;
        await new Promise((r) => setTimeout(r, 5));
        running.delete(a.hostId);
      });
    }
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const info = await finished(f.cd, deploymentId!);
    expect(info).toMatchObject({ status: 'Succeeded', creator: 'user', deploymentConfigName: 'CodeDeployDefault.OneAtATime', deploymentOverview: { Succeeded: 2, Failed: 0, Pending: 0, InProgress: 0, Skipped: 0 } });
    expect(overlap).toBe(false);
    for (const a of f.agents) expect(a.log).toEqual(ORDER);
    const targets = await f.cd.send(new ListDeploymentTargetsCommand({ deploymentId }));
    expect(targets.targetIds?.sort()).toEqual(['web-1', 'web-2']);
    const instance = (await f.cd.send(new GetDeploymentInstanceCommand({ deploymentId, instanceId: 'web-1' }))).instanceSummary!;
    expect(instance.lifecycleEvents?.map((e) => [e.lifecycleEventName, e.status])).toEqual([['ApplicationStop', 'Skipped'], ...ORDER.map((n) => [n, 'Succeeded'])]);
    expect(instance.lifecycleEvents?.[1].diagnostics?.errorCode).toBe('Success');
    const group = (await f.cd.send(new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }))).deploymentGroupInfo!;
    expect(group.targetRevision?.s3Location?.key).toBe('app/v1.zip');
    expect(group.lastSuccessfulDeployment?.deploymentId).toBe(deploymentId);
    const states = events.filter((e) => e['detail-type'] === 'CodeDeploy Deployment State-change Notification').map((e) => e.detail.state);
    expect(states).toEqual(['START', 'SUCCESS']);
    expect(events.filter((e) => e['detail-type'] === 'CodeDeploy Instance State-change Notification').map((e) => `${e.detail.instanceId}:${e.detail.state}`).sort()).toEqual([
      'web-1:START',
      'web-1:SUCCESS',
      'web-2:START',
      'web-2:SUCCESS',
    ]);

    // The second deployment to the same instances runs ApplicationStop (the previous revision's scripts).
    for (const a of f.agents) a.log.length = 0;
    const second = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const info2 = await finished(f.cd, second.deploymentId!);
    expect(info2.status).toBe('Succeeded');
    expect(info2.previousRevision?.s3Location?.key).toBe('app/v1.zip');
    for (const a of f.agents) expect(a.log).toEqual(['ApplicationStop', ...ORDER]);
  });

  it('sends a PKCS7 SignedData specification with the JSON attached', async () => {
    f = await fleet(server, ['web-1']);
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle }, fileExistsBehavior: 'OVERWRITE' }));
    const agent = f.agents[0];
    const command = (await agent.poll())!;
    expect(command).toMatchObject({ HostIdentifier: hostArn('web-1'), CommandName: 'DownloadBundle', DeploymentExecutionId: `CodeDeploy/us-east-1/Prod/arn:aws:sds:us-east-1:000000000000:deployment/${deploymentId}` });
    // One command per host at a time: nothing else is handed out while this one is open.
    expect(await agent.poll()).toBeUndefined();
    const spec = await agent.specification(command);
    expect(spec.DeploymentSystem).toBe('CodeDeploy');
    expect(spec.DeploymentSpecification.GenericEnvelope.Format).toBe('PKCS7/JSON');
    // OpenSSL (what the real agent uses) verifies the signature and gives back the attached JSON.
    const dir = mkdtempSync(join(tmpdir(), 'spec-'));
    writeFileSync(join(dir, 'spec.pem'), spec.DeploymentSpecification.GenericEnvelope.Payload);
    const { stdout } = await run('openssl', ['cms', '-verify', '-noverify', '-binary', '-inform', 'PEM', '-in', join(dir, 'spec.pem')]);
    rmSync(dir, { recursive: true });
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      DeploymentId: `arn:aws:sds:us-east-1:000000000000:deployment/${deploymentId}`,
      ApplicationName: 'app',
      DeploymentGroupName: 'group',
      DeploymentCreator: 'user',
      DeploymentType: 'IN_PLACE',
      AgentActionOverrides: { AgentOverrides: { FileExistsBehavior: 'OVERWRITE' } },
      Revision: { RevisionType: 'S3', S3Revision: { Bucket: 'bundles', Key: 'app/v1.zip', BundleType: 'zip', ETag: f.eTag } },
    });
    expect(json).not.toHaveProperty('AllPossibleLifecycleEvents');
    expect(await agent.acknowledge(command)).toBe('InProgress');
  });

  it('fails an instance with the agent diagnostics, skips its remaining events and fails the deployment (OneAtATime)', async () => {
    f = await fleet(server, ['web-1', 'web-2', 'web-3']);
    const log = 'x'.repeat(5000) + 'END';
    f.agents[0].start((cmd) => (cmd.CommandName === 'AfterInstall' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'scripts/after.sh', message: 'Script at specified location: scripts/after.sh failed with exit code 1', log } } : undefined));
    f.agents[1].start((cmd) => (cmd.CommandName === 'AfterInstall' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'scripts/after.sh', message: 'failed', log } } : undefined));
    f.agents[2].start((cmd) => (cmd.CommandName === 'AfterInstall' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'scripts/after.sh', message: 'failed', log } } : undefined));
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const info = await finished(f.cd, deploymentId!);
    expect(info.status).toBe('Failed');
    expect(info.errorInformation?.code).toBe('HEALTH_CONSTRAINTS');
    expect(info.deploymentOverview).toMatchObject({ Failed: 1, Skipped: 2, Succeeded: 0 });
    const ids = (await f.cd.send(new ListDeploymentInstancesCommand({ deploymentId, instanceStatusFilter: ['Failed'] }))).instancesList!;
    expect(ids).toHaveLength(1);
    const failed = (await f.cd.send(new GetDeploymentInstanceCommand({ deploymentId, instanceId: ids[0] }))).instanceSummary!;
    const byName = Object.fromEntries(failed.lifecycleEvents!.map((e) => [e.lifecycleEventName, e]));
    expect(byName.AfterInstall.status).toBe('Failed');
    expect(byName.AfterInstall.diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'scripts/after.sh', message: 'Script at specified location: scripts/after.sh failed with exit code 1' });
    expect(byName.AfterInstall.diagnostics!.logTail!.length).toBe(4096);
    expect(byName.AfterInstall.diagnostics!.logTail!.endsWith('END')).toBe(true);
    expect(byName.ApplicationStart.status).toBe('Skipped');
    expect(byName.ValidateService.status).toBe('Skipped');
    const targets = await f.cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['web-1', 'web-2', 'web-3'] }));
    expect(targets.deploymentTargets!.map((t) => t.instanceTarget!.status).sort()).toEqual(['Failed', 'Skipped', 'Skipped']);
  });

  it('rolls back automatically to the last good revision when a HalfAtATime deployment fails', async () => {
    f = await fleet(server, ['web-1', 'web-2'], { autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] }, deploymentConfigName: 'CodeDeployDefault.AllAtOnce' });
    let failing = false;
    f.agents[0].start((cmd) => (failing && cmd.CommandName === 'ValidateService' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'v.sh', message: 'bad', log: '' } } : undefined));
    f.agents[1].start((cmd) => (failing && cmd.CommandName === 'ValidateService' ? { status: 'Failed', diagnostics: { error_code: 4, script_name: 'v.sh', message: 'bad', log: '' } } : undefined));
    const good = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    expect((await finished(f.cd, good.deploymentId!)).status).toBe('Succeeded');

    failing = true;
    const bad = await f.cd.send(
      new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', deploymentConfigName: 'CodeDeployDefault.HalfAtATime', revision: { revisionType: 'S3', s3Location: { ...f.bundle, version: undefined } } }),
    );
    const failed = await finished(f.cd, bad.deploymentId!);
    expect(failed.status).toBe('Failed');
    const rollbackId = failed.rollbackInfo?.rollbackDeploymentId;
    expect(rollbackId).toMatch(/^d-[A-Z0-9]{9}$/);
    failing = false;
    const rollback = await finished(f.cd, rollbackId!);
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback', rollbackInfo: { rollbackTriggeringDeploymentId: bad.deploymentId } });
    expect(rollback.revision?.s3Location?.key).toBe('app/v1.zip');
  });

  it('refuses a second active deployment, stops one on request and answers the agent Failed afterwards', async () => {
    f = await fleet(server, ['web-1']);
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const again = await awsError(f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } })));
    expect(again).toMatchObject({ name: 'DeploymentLimitExceededException', message: `The Deployment Group 'group' already has an active Deployment '${deploymentId}'` });
    const command = (await f.agents[0].poll())!;
    await f.agents[0].acknowledge(command);
    const stop = await f.cd.send(new StopDeploymentCommand({ deploymentId }));
    expect(stop.status).toBe('Succeeded');
    const info = (await f.cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    expect(info).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(await f.agents[0].acknowledge(command)).toBe('Failed');
    expect(await awsError(f.cd.send(new StopDeploymentCommand({ deploymentId })))).toMatchObject({ name: 'DeploymentAlreadyCompletedException' });
  });

  it('fails NO_INSTANCES for a group that selects nothing and HEALTH_CONSTRAINTS_INVALID for an impossible minimum', async () => {
    f = await fleet(server, ['web-1'], { onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'staging', Type: 'KEY_AND_VALUE' }] });
    const none = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    expect((await finished(f.cd, none.deploymentId!)).errorInformation?.code).toBe('NO_INSTANCES');
    const { GetDeploymentCommand: _g, ...rest } = await import('@aws-sdk/client-codedeploy');
    await f.cd.send(new rest.UpdateDeploymentGroupCommand({ applicationName: 'app', currentDeploymentGroupName: 'group', onPremisesInstanceTagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }] }));
    const half = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', deploymentConfigName: 'CodeDeployDefault.HalfAtATime', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    expect((await finished(f.cd, half.deploymentId!)).errorInformation?.code).toBe('HEALTH_CONSTRAINTS_INVALID');
  });

  it('rolls back a deployment stopped with autoRollbackEnabled to the last good revision', async () => {
    f = await fleet(server, ['web-1']);
    f.agents[0].start();
    const good = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    expect((await finished(f.cd, good.deploymentId!)).status).toBe('Succeeded');
    await f.agents[0].stop();
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle }, description: 'second' }));
    await f.cd.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true }));
    const stopped = (await f.cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!;
    expect(stopped).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    const rollbackId = stopped.rollbackInfo!.rollbackDeploymentId!;
    f.agents[0].start();
    const rollback = await finished(f.cd, rollbackId);
    expect(rollback).toMatchObject({ status: 'Succeeded', creator: 'codeDeployRollback', rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId } });
    const group = (await f.cd.send(new GetDeploymentGroupCommand({ applicationName: 'app', deploymentGroupName: 'group' }))).deploymentGroupInfo!;
    expect(group.lastSuccessfulDeployment?.deploymentId).toBe(rollbackId);
  });
});

describe('plain JSON specifications for developer-mode agents', () => {
  it('sends TEXT/JSON when configured', async () => {
    const server = await testServer({ deploySpecFormat: 'TEXT/JSON', deployPollSeconds: 1 });
    try {
      const f = await fleet(server, ['web-1']);
      await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
      const command = (await f.agents[0].poll())!;
      const envelope = (await f.agents[0].specification(command)).DeploymentSpecification.GenericEnvelope;
      expect(envelope.Format).toBe('TEXT/JSON');
      expect(JSON.parse(envelope.Payload)).toMatchObject({ ApplicationName: 'app', Revision: { RevisionType: 'S3' } });
    } finally {
      await server.stop();
    }
  });
});
