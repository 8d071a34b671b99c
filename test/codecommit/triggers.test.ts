import {
  CreateBranchCommand,
  GetRepositoryTriggersCommand,
  PutFileCommand,
  PutRepositoryTriggersCommand,
  TestRepositoryTriggersCommand,
  type RepositoryTrigger,
} from '@aws-sdk/client-codecommit';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootCaller, type RequestContext } from '../../src/core/context.js';
import { delivered, type Delivery } from '../../src/core/delivery.js';
import { openDatabase } from '../../src/core/store/db.js';
import { createCodeCommit } from '../../src/codecommit/service.js';
import type { RunningServer } from '../../src/server.js';
import { createRepo, text } from '../codecommit-content/helpers.js';
import { standaloneDeps } from '../helpers/service-deps.js';
import { awsError, codecommit, testServer } from '../helpers/server.js';

const TOPIC = 'arn:aws:sns:us-east-1:000000000000:pushes';
const FUNCTION = 'arn:aws:lambda:us-east-1:000000000000:function:on-push';

describe('repository triggers through the API', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(() => server.stop());

  it('stores, reads and validates triggers with CodeCommit’s exceptions', async () => {
    const cc = codecommit(server);
    await createRepo(cc, 'triggered');
    const triggers: RepositoryTrigger[] = [
      { name: 'main-pushes', destinationArn: TOPIC, branches: ['main'], events: ['updateReference', 'createReference'], customData: 'team-a' },
      { name: 'everything', destinationArn: FUNCTION, events: ['all'] },
    ];
    const { configurationId } = await cc.send(new PutRepositoryTriggersCommand({ repositoryName: 'triggered', triggers }));
    expect(configurationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await cc.send(new GetRepositoryTriggersCommand({ repositoryName: 'triggered' }))).toMatchObject({
      configurationId,
      triggers: [triggers[0], { ...triggers[1], branches: [] }],
    });

    const fail = async (trigger: object) =>
      (await awsError(cc.send(new PutRepositoryTriggersCommand({ repositoryName: 'triggered', triggers: [{ name: 't', destinationArn: TOPIC, events: ['all'], ...trigger }] as never })))).name;
    expect(await fail({ destinationArn: 'arn:aws:sqs:us-east-1:000000000000:q' })).toBe('InvalidRepositoryTriggerDestinationArnException');
    expect(await fail({ destinationArn: 'arn:aws:sns:eu-west-1:000000000000:t' })).toBe('InvalidRepositoryTriggerRegionException');
    expect(await fail({ events: ['all', 'createReference'] })).toBe('InvalidRepositoryTriggerEventsException');
    expect(await fail({ events: [] })).toBe('RepositoryTriggerEventsListRequiredException');
    expect(await fail({ branches: ['bad..branch'] })).toBe('InvalidRepositoryTriggerBranchNameException');
    expect(await fail({ name: '' })).toBe('RepositoryTriggerNameRequiredException');
    expect(await fail({ customData: 'x'.repeat(1001) })).toBe('InvalidRepositoryTriggerCustomDataException');
  });

  it('delivers a push to main, and not one to another branch, as recorded deliveries; tests report each trigger', async () => {
    const cc = codecommit(server);
    await createRepo(cc, 'pushed');
    await cc.send(new PutRepositoryTriggersCommand({ repositoryName: 'pushed', triggers: [{ name: 'main-only', destinationArn: TOPIC, branches: ['main'], events: ['all'] }] }));
    const first = (await cc.send(new PutFileCommand({ repositoryName: 'pushed', branchName: 'main', filePath: 'a', fileContent: text('a') }))).commitId!;
    await cc.send(new CreateBranchCommand({ repositoryName: 'pushed', branchName: 'other', commitId: first }));
    await server.scheduler.tick();
    const source = 'arn:aws:codecommit:us-east-1:000000000000:pushed';
    const { deliveries } = (await (await fetch(`${server.endpoint}/_codesuite/deliveries?source=${encodeURIComponent(source)}`)).json()) as {
      deliveries: { sender: string; targetArn: string; status: string; detail: string }[];
    };
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ sender: 'codecommit.trigger', targetArn: TOPIC });

    const tested = await cc.send(new TestRepositoryTriggersCommand({ repositoryName: 'pushed', triggers: [{ name: 'probe', destinationArn: FUNCTION, events: ['all'] }] }));
    // Whether it arrives depends on the function existing; either way the trigger is named with how it went.
    const names = [...(tested.successfulExecutions ?? []), ...(tested.failedExecutions ?? []).map((f) => f.trigger)];
    expect(names).toEqual(['probe']);
    for (const f of tested.failedExecutions ?? []) expect(f.failureMessage).toBeTruthy();
  });
});

describe('the record a trigger sends', () => {
  it('names the repository, the trigger and the changed reference, as CodeCommit’s record does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codesuite-triggers-'));
    const db = openDatabase(undefined);
    const deps = standaloneDeps(db, dir);
    const received: Delivery[] = [];
    deps.delivery.register({ service: 'sns', accepts: (arn) => arn === TOPIC, receive: async (d) => (received.push(d), delivered('stored')) });
    const service = createCodeCommit(deps);
    const ctx: RequestContext = {
      requestId: 'r',
      accountId: '000000000000',
      region: 'us-east-1',
      caller: rootCaller('000000000000'),
      principalArn: 'arn:aws:iam::000000000000:root',
      endpoint: 'http://127.0.0.1:1',
      sourceIp: '127.0.0.1',
    };
    try {
      await service.operations.CreateRepository.handler({ repositoryName: 'standalone' }, ctx);
      const { configurationId } = await service.operations.PutRepositoryTriggers.handler(
        { repositoryName: 'standalone', triggers: [{ name: 'to-topic', destinationArn: TOPIC, events: ['createReference'], customData: 'hello' }] },
        ctx,
      );
      const { commitId } = await service.operations.PutFile.handler({ repositoryName: 'standalone', branchName: 'main', filePath: 'a', fileContent: text('a') }, ctx);
      await deps.scheduler.tick();
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ targetArn: TOPIC, sourceService: 'codecommit.amazonaws.com', sourceArn: 'arn:aws:codecommit:us-east-1:000000000000:standalone', sourceAccount: '000000000000' });
      expect(JSON.parse(received[0].message)).toEqual({
        Records: [
          {
            awsRegion: 'us-east-1',
            codecommit: { references: [{ commit: commitId, ref: 'refs/heads/main', created: true }] },
            customData: 'hello',
            eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
            eventName: 'ReferenceChanges',
            eventPartNumber: 1,
            eventSource: 'aws:codecommit',
            eventSourceARN: 'arn:aws:codecommit:us-east-1:000000000000:standalone',
            eventTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
            eventTotalParts: 1,
            eventTriggerConfigId: configurationId,
            eventTriggerName: 'to-topic',
            eventVersion: '1.0',
            userIdentityARN: 'arn:aws:iam::000000000000:root',
          },
        ],
      });
      const tested = await service.operations.TestRepositoryTriggers.handler(
        { repositoryName: 'standalone', triggers: [{ name: 'to-topic', destinationArn: TOPIC, events: ['all'] }, { name: 'to-function', destinationArn: FUNCTION, events: ['all'] }] },
        ctx,
      );
      expect(tested.successfulExecutions).toEqual(['to-topic']);
      expect(tested.failedExecutions).toEqual([{ trigger: 'to-function', failureMessage: expect.stringContaining(FUNCTION) }]);
      expect(JSON.parse(received[1].message).Records[0]).toMatchObject({ eventName: 'TriggerEventTest', codecommit: { references: [{ commit: commitId, ref: 'refs/heads/main' }] } });
    } finally {
      await service.close?.();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
