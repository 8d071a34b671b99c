import { GetParameterCommand, GetParameterHistoryCommand, LabelParameterVersionCommand, ListTagsForResourceCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../helpers/server.js';
import { ssm } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'codesuite-ssm-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a restart on the same data directory', () => {
  it('keeps parameters, versions, labels and tags, with SecureStrings encrypted at rest', async () => {
    const first = await testServer({ inMemory: false, dataDir });
    const before = ssm(first);
    await before.send(new PutParameterCommand({ Name: '/kept/plain', Value: 'visible', Type: 'String', Tags: [{ Key: 'k', Value: 'v' }] }));
    await before.send(new PutParameterCommand({ Name: '/kept/secret', Value: 'hunter2-first', Type: 'SecureString' }));
    await before.send(new PutParameterCommand({ Name: '/kept/secret', Value: 'hunter2-second', Overwrite: true }));
    await before.send(new LabelParameterVersionCommand({ Name: '/kept/secret', ParameterVersion: 1, Labels: ['old'] }));
    await first.stop();

    const key = statSync(join(dataDir, 'ssm', 'at-rest.key'));
    expect(key.mode & 0o777).toBe(0o600);
    expect(key.size).toBe(32);
    const db = new Database(join(dataDir, 'codesuite.db'), { readonly: true });
    try {
      const values = db.prepare('SELECT value FROM ssm_parameter_versions').pluck().all() as Buffer[];
      expect(values.some((v) => v.toString('utf8') === 'visible')).toBe(true);
      expect(values.some((v) => v.includes('hunter2'))).toBe(false);
    } finally {
      db.close();
    }

    const second = await testServer({ inMemory: false, dataDir });
    try {
      const after = ssm(second);
      expect((await after.send(new GetParameterCommand({ Name: '/kept/plain' }))).Parameter!.Value).toBe('visible');
      expect((await after.send(new GetParameterCommand({ Name: '/kept/secret', WithDecryption: true }))).Parameter).toMatchObject({ Value: 'hunter2-second', Version: 2 });
      expect((await after.send(new GetParameterCommand({ Name: '/kept/secret:old', WithDecryption: true }))).Parameter!.Value).toBe('hunter2-first');
      expect((await after.send(new GetParameterHistoryCommand({ Name: '/kept/secret' }))).Parameters!.map((p) => p.Labels)).toEqual([['old'], []]);
      expect((await after.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/kept/plain' }))).TagList).toEqual([{ Key: 'k', Value: 'v' }]);
    } finally {
      await second.stop();
    }
  });
});
