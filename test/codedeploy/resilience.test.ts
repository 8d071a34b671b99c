import { CreateDeploymentCommand, GetDeploymentInstanceCommand } from '@aws-sdk/client-codedeploy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { TestAgent } from '../helpers/codedeploy-agent.js';
import { testServer } from '../helpers/server.js';
import { clients, finished, fleet, hostArn } from './helpers.js';

describe('deployments that outlive a server or an agent', () => {
  let server: RunningServer | undefined;
  const agents: TestAgent[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const a of agents) void a.stop();
    await server?.stop();
    await Promise.all(agents.map((a) => a.stop()));
    agents.length = 0;
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('resumes a deployment where it was after the server restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cd-restart-'));
    dirs.push(dataDir);
    server = await testServer({ inMemory: false, dataDir, deployPollSeconds: 1 });
    const f = await fleet(server, ['web-1', 'web-2']);
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const agent = f.agents.find((a) => a.hostId === hostArn('web-1'))!;
    let first = await agent.poll();
    const host = first ? agent : f.agents.find((a) => a !== agent)!;
    first ??= (await host.poll())!;
    expect(first.CommandName).toBe('DownloadBundle');
    await host.specification(first);
    await host.acknowledge(first);
    await host.complete(first, { status: 'Succeeded' });
    const second = (await host.poll())!;
    expect(second.CommandName).toBe('BeforeInstall');
    await host.acknowledge(second);
    await server.stop();

    server = await testServer({ inMemory: false, dataDir, deployPollSeconds: 1 });
    const again = new TestAgent(server.endpoint, host.hostId);
    // The command the agent held across the restart completes against the new process.
    await again.complete(second, { status: 'Succeeded' });
    const others = [again, new TestAgent(server.endpoint, f.agents.find((a) => a !== host)!.hostId)];
    agents.push(...others);
    for (const a of others) a.start();
    const { cd } = clients(server);
    const info = await finished(cd, deploymentId!);
    expect(info).toMatchObject({ status: 'Succeeded', deploymentOverview: { Succeeded: 2 } });
    expect(again.log).toEqual(['Install', 'AfterInstall', 'ApplicationStart', 'ValidateService']);
  });

  it('fails an event the agent never takes with AGENT_ISSUE, and one it reports failed after its own restart', async () => {
    server = await testServer({ deployPollSeconds: 1, deployAgentTimeoutSeconds: 1 });
    const f = await fleet(server, ['silent']);
    const { deploymentId } = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const info = await finished(f.cd, deploymentId!);
    expect(info).toMatchObject({ status: 'Failed', errorInformation: { code: 'AGENT_ISSUE' } });
    const events = (await f.cd.send(new GetDeploymentInstanceCommand({ deploymentId, instanceId: 'silent' }))).instanceSummary!.lifecycleEvents!;
    expect(events.find((e) => e.lifecycleEventName === 'DownloadBundle')).toMatchObject({ status: 'Failed', diagnostics: { errorCode: 'UnknownError' } });
    expect(events.find((e) => e.lifecycleEventName === 'DownloadBundle')!.diagnostics!.message).toContain('CodeDeploy agent was not able to receive the lifecycle event');
    expect(events.filter((e) => e.status === 'Skipped').map((e) => e.lifecycleEventName)).toEqual(['ApplicationStop', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService']);

    // An agent restarted mid-event completes it Failed with error code 7.
    const second = await f.cd.send(new CreateDeploymentCommand({ applicationName: 'app', deploymentGroupName: 'group', revision: { revisionType: 'S3', s3Location: f.bundle } }));
    const agent = f.agents[0];
    const command = (await agent.poll())!;
    await agent.acknowledge(command);
    await agent.complete(command, { status: 'Failed', diagnostics: { error_code: 7, script_name: '', message: 'Failed: Failing in-progress lifecycle event after an agent restart.', log: '' } });
    const failed = await finished(f.cd, second.deploymentId!);
    expect(failed.status).toBe('Failed');
    const download = (await f.cd.send(new GetDeploymentInstanceCommand({ deploymentId: second.deploymentId, instanceId: 'silent' }))).instanceSummary!.lifecycleEvents!.find((e) => e.lifecycleEventName === 'DownloadBundle')!;
    expect(download.diagnostics).toMatchObject({ errorCode: 'UnknownError', message: 'Failed: Failing in-progress lifecycle event after an agent restart.' });
  });
});
