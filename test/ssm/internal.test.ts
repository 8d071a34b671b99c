import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standaloneDeps } from '../helpers/service-deps.js';
import { rootCaller, type RequestContext } from '../../src/core/context.js';
import { openDatabase } from '../../src/core/store/db.js';
import { getParameterValue } from '../../src/ssm/internal.js';
import { createSsm } from '../../src/ssm/service.js';

const filesDir = mkdtempSync(join(tmpdir(), 'codesuite-ssm-internal-'));
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

describe('getParameterValue, the read CodeBuild uses', () => {
  const service = createSsm(standaloneDeps(db, filesDir));
  const put = (input: Record<string, unknown>) => service.operations.PutParameter.handler(input, ctx);

  it('returns plain and decrypted values, by name, ARN and selector', async () => {
    await put({ Name: '/build/token', Value: 'first', Type: 'SecureString' });
    await put({ Name: '/build/token', Value: 'second', Overwrite: true });
    await put({ Name: 'region', Value: 'eu-west-1', Type: 'String' });
    const scope = { db, accountId: '000000000000', region: 'us-east-1' };
    expect(getParameterValue('/build/token', scope)).toBe('second');
    expect(getParameterValue('/build/token:1', scope)).toBe('first');
    expect(getParameterValue('arn:aws:ssm:us-east-1:000000000000:parameter/build/token', scope)).toBe('second');
    expect(getParameterValue('region', scope)).toBe('eu-west-1');
  });

  it('throws AWS errors for what is missing or in another account', () => {
    expect(() => getParameterValue('/build/none', { db, accountId: '000000000000', region: 'us-east-1' })).toThrow('Parameter /build/none not found.');
    expect(() => getParameterValue('/build/token', { db, accountId: '111111111111', region: 'us-east-1' })).toThrow('not found');
  });
});
