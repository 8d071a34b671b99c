import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../helpers/server.js';
import { secretsManager } from './helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'codesuite-sm-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('a restart on the same data directory', () => {
  it('keeps secrets, their versions and stages and a scheduled deletion, values encrypted at rest', async () => {
    const first = await testServer({ inMemory: false, dataDir });
    const before = secretsManager(first);
    const created = await before.send(new CreateSecretCommand({ Name: 'kept', SecretString: 'correct-horse-1', Tags: [{ Key: 'k', Value: 'v' }] }));
    await before.send(new PutSecretValueCommand({ SecretId: 'kept', SecretString: 'correct-horse-2' }));
    await before.send(new CreateSecretCommand({ Name: 'kept-binary', SecretBinary: Buffer.from('battery-staple') }));
    await before.send(new CreateSecretCommand({ Name: 'scheduled', SecretString: 'x' }));
    await before.send(new DeleteSecretCommand({ SecretId: 'scheduled', RecoveryWindowInDays: 10 }));
    await first.stop();

    expect(statSync(join(dataDir, 'secretsmanager', 'at-rest.key')).mode & 0o777).toBe(0o600);
    const db = new Database(join(dataDir, 'codesuite.db'), { readonly: true });
    try {
      const values = db.prepare('SELECT value FROM secretsmanager_versions').pluck().all() as Buffer[];
      expect(values).toHaveLength(4);
      expect(values.some((v) => v.includes('correct-horse') || v.includes('battery-staple'))).toBe(false);
    } finally {
      db.close();
    }

    const second = await testServer({ inMemory: false, dataDir });
    try {
      const after = secretsManager(second);
      const current = await after.send(new GetSecretValueCommand({ SecretId: created.ARN }));
      expect(current.SecretString).toBe('correct-horse-2');
      expect((await after.send(new GetSecretValueCommand({ SecretId: 'kept', VersionId: created.VersionId }))).VersionStages).toEqual(['AWSPREVIOUS']);
      expect(Buffer.from((await after.send(new GetSecretValueCommand({ SecretId: 'kept-binary' }))).SecretBinary!).toString()).toBe('battery-staple');
      expect((await after.send(new DescribeSecretCommand({ SecretId: 'kept' }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
      expect((await after.send(new DescribeSecretCommand({ SecretId: 'scheduled' }))).DeletedDate).toBeInstanceOf(Date);
    } finally {
      await second.stop();
    }
  });
});
