import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/store/db.js';
import { createLogWriter } from '../../src/logs/internal.js';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { FakeClock, logsClient } from './helpers.js';

const CLI = '/usr/bin/aws';
/** `aws logs tail` as the AWS CLI v2 on this machine runs it (v2.9 polls FilterLogEvents every 5 seconds). */
const cliVersion = existsSync(CLI) ? spawnSync(CLI, ['--version'], { encoding: 'utf8' }).stdout : '';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

describe.skipIf(!cliVersion.startsWith('aws-cli/2'))('aws logs tail --follow (AWS CLI v2)', () => {
  it('prints the events already there, then new ones as they are written', async () => {
    const logs = logsClient(server);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/codebuild/tail' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/aws/codebuild/tail', logStreamName: 'build-1' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/codebuild/tail', logStreamName: 'build-1', logEvents: [{ timestamp: Date.now(), message: 'phase INSTALL' }] }));

    const child = spawn(CLI, ['--endpoint-url', server.endpoint, 'logs', 'tail', '/aws/codebuild/tail', '--follow', '--format', 'detailed'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        // The CLI's Python buffers a pipe; a terminal would see each line at once.
        PYTHONUNBUFFERED: '1',
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(text) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      return out.includes(text);
    };
    try {
      expect(await waitFor('phase INSTALL')).toBe(true);
      await logs.send(new PutLogEventsCommand({ logGroupName: '/aws/codebuild/tail', logStreamName: 'build-1', logEvents: [{ timestamp: Date.now(), message: 'phase BUILD' }] }));
      expect(await waitFor('phase BUILD')).toBe(true);
      expect(out).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 build-1 phase INSTALL$/m);
    } finally {
      child.kill('SIGINT');
    }
  });
});

describe('the internal writer', () => {
  it('creates the stream (and, when asked, the group), splits long messages and stores events as PutLogEvents does', async () => {
    const clock = new FakeClock(Date.UTC(2026, 4, 1));
    const db = openDatabase(undefined);
    const writer = createLogWriter({ db, clock });
    const target = { accountId: '000000000000', region: 'us-east-1', logGroupName: '/aws/codebuild/p', logStreamName: 'b-1' };
    expect(() => writer.append(target, [{ message: 'x' }])).toThrow('The specified log group does not exist.');
    writer.append(target, [{ message: 'line 1' }, { message: 'é'.repeat(600_000) }, { message: '' }], { createGroup: true });
    expect(writer.groupExists(target)).toBe(true);
    const rows = db.prepare('SELECT message, timestamp FROM logs_events ORDER BY seq').all() as { message: string; timestamp: number }[];
    expect(rows[0]).toEqual({ message: 'line 1', timestamp: clock.ms });
    // 1.2 MB of two-byte characters became two events, each within the 1 MB event limit.
    expect(rows.slice(1).map((r) => Buffer.byteLength(r.message))).toEqual([1_048_550, 151_450]);
    db.close();
  });
});
