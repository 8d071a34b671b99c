import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig([], {})).toMatchObject({ port: 4577, host: '127.0.0.1', dataDir: './.codesuite', inMemory: false, accountId: '000000000000' });
  });

  it('takes flags over CODESUITE_* variables', () => {
    const config = loadConfig(['--port', '5000', '--in-memory', '--account-id=111122223333'], {
      CODESUITE_PORT: '6000',
      CODESUITE_DATA_DIR: '/tmp/x',
      CODESUITE_PUBLIC_URL: 'http://codesuite:4577',
    });
    expect(config).toMatchObject({ port: 5000, inMemory: true, accountId: '111122223333', dataDir: '/tmp/x', publicUrl: 'http://codesuite:4577' });
    expect(loadConfig([], { CODESUITE_IN_MEMORY: 'false' }).inMemory).toBe(false);
  });

  it('rejects unknown options and bad values with a clear message', () => {
    expect(() => loadConfig(['--nope'], {})).toThrow('unknown option --nope (see codesuite --help)');
    expect(() => loadConfig(['--prot', '1'], {})).toThrow('unknown option --prot (did you mean --port? see codesuite --help)');
    expect(() => loadConfig(['-data-dir', 'x'], {})).toThrow('unknown option -data-dir (did you mean --data-dir? see codesuite --help)');
    expect(() => loadConfig(['--enforce-iam-please'], {})).toThrow('unknown option --enforce-iam-please (see codesuite --help)');
    expect(() => loadConfig(['--account-id', '12'], {})).toThrow(/account id must be 12 digits/);
    expect(() => loadConfig(['--port'], {})).toThrow(/needs a value/);
  });
});
