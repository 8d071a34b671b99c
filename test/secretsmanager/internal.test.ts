import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standaloneDeps } from '../helpers/service-deps.js';
import { rootCaller, type RequestContext } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/store/db.js';
import { getSecretValue } from '../../src/secretsmanager/internal.js';
import { createSecretsManager } from '../../src/secretsmanager/service.js';

const filesDir = mkdtempSync(join(tmpdir(), 'codesuite-sm-internal-'));
const db = openDatabase(undefined);
afterAll(() => {
  db.close();
  rmSync(filesDir, { recursive: true, force: true });
});

const ctx: RequestContext = {
  requestId: 'r',
  accountId: '000000000000',
  region: 'us-east-1',
  caller: rootCaller('000000000000'),
  principalArn: 'arn:aws:iam::000000000000:root',
  endpoint: 'http://127.0.0.1',
  sourceIp: '127.0.0.1',
};

describe('getSecretValue, the read CodeBuild uses', () => {
  const service = createSecretsManager(standaloneDeps(db, filesDir));
  const call = (op: string, input: Record<string, unknown>) => service.operations[op].handler(input, ctx) as Promise<Record<string, string>>;
  const scope = { db, accountId: '000000000000', region: 'us-east-1' };

  it('reads the current value, or a stage, by name or ARN', async () => {
    const { ARN } = await call('CreateSecret', { Name: 'build/token', SecretString: '{"user":"u","pass":"p"}' });
    await call('PutSecretValue', { SecretId: 'build/token', SecretString: '{"user":"u","pass":"q"}' });
    expect(getSecretValue('build/token', scope).SecretString).toBe('{"user":"u","pass":"q"}');
    expect(getSecretValue(ARN, scope, { versionStage: 'AWSPREVIOUS' }).SecretString).toBe('{"user":"u","pass":"p"}');
  });

  it('fails as GetSecretValue does', async () => {
    expect(() => getSecretValue('nope', scope)).toThrow("Secrets Manager can't find the specified secret.");
    await call('DeleteSecret', { SecretId: 'build/token' });
    expect(() => getSecretValue('build/token', scope)).toThrow('marked for deletion');
  });
});
