import { CreateFunctionCommand, InvokeCommand, type Runtime } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { credentials, testServer } from '../helpers/server.js';
import { json, lambda, ROLE, settled, zipOf } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.stop());

async function invokeNew(name: string, runtime: string, handler: string, files: Record<string, string>, timeout = 3) {
  const client = lambda(server);
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime as Runtime, Handler: handler, Role: ROLE, Timeout: timeout, Code: { ZipFile: await zipOf(files) } }));
  await settled(client, name);
  return client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
}

describe('bad function code', () => {
  it('a zip without the handler file: Runtime.ImportModuleError', async () => {
    const out = await invokeNew('no-file', 'nodejs20.x', 'index.handler', { 'other.js': 'exports.x = 1;' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: expect.stringContaining("Cannot find module 'index'") });
    const py = await invokeNew('no-file-py', 'python3.11', 'app.handler', { 'other.py': 'x = 1\n' });
    expect(json(py.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: "Unable to import module 'app': No module named 'app'" });
  });

  it('a missing export: Runtime.HandlerNotFound', async () => {
    const out = await invokeNew('no-export', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.other = () => 1;' });
    expect(json(out.Payload)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported' });
    const py = await invokeNew('no-export-py', 'python3.11', 'app.handler', { 'app.py': 'def other(e, c):\n  return 1\n' });
    expect(json(py.Payload)).toMatchObject({ errorType: 'Runtime.HandlerNotFound', errorMessage: "Handler 'handler' missing on module 'app'" });
  });

  it('a syntax error and a throw at init', async () => {
    const syntax = await invokeNew('syntax', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => { return ;; }}' });
    expect(json(syntax.Payload)).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
    const thrown = await invokeNew('init-throws', 'nodejs20.x', 'index.handler', { 'index.js': 'throw new TypeError("bad config");' });
    expect(thrown.FunctionError).toBe('Unhandled');
    expect(json(thrown.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad config' });
  });

  it('a handler that throws: Unhandled with the runtime error body, logged', async () => {
    const out = await invokeNew('throws', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => { throw new RangeError("nope"); };' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toMatchObject({ errorType: 'RangeError', errorMessage: 'nope', trace: expect.any(Array) });
    const py = await invokeNew('throws-py', 'python3.11', 'app.handler', { 'app.py': 'def handler(e, c):\n  raise ValueError("bad value")\n' });
    expect(json(py.Payload)).toMatchObject({ errorType: 'ValueError', errorMessage: 'bad value', stackTrace: expect.any(Array) });
    const logs = new CloudWatchLogsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials });
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/throws-py' }));
    expect(events.events!.some((e) => e.message!.startsWith('[ERROR] ValueError: bad value'))).toBe(true);
  });

  it('a function that never answers times out, and the next invocation starts a fresh environment', async () => {
    const client = lambda(server);
    const out = await invokeNew('forever', 'nodejs20.x', 'index.handler', { 'index.js': 'let n = 0; exports.handler = async (e) => { n++; if (e.hang) await new Promise(() => setInterval(() => {}, 1000)); return n; };' }, 1);
    expect(Buffer.from(out.Payload!).toString()).toBe('1');
    const hung = await client.send(new InvokeCommand({ FunctionName: 'forever', Payload: Buffer.from('{"hang":true}') }));
    expect(hung.FunctionError).toBe('Unhandled');
    expect(json(hung.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 1\.00 seconds$/) });
    const after = await client.send(new InvokeCommand({ FunctionName: 'forever', Payload: Buffer.from('{}') }));
    expect(Buffer.from(after.Payload!).toString()).toBe('1');
  });

  it('a response over 6 MB: Function.ResponseSizeTooLarge', async () => {
    const out = await invokeNew('huge', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => "x".repeat(7 * 1024 * 1024);' });
    expect(out.FunctionError).toBe('Unhandled');
    expect(json(out.Payload)).toEqual({ errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
  });

  it('a runtime the host does not have, and a process that exits', async () => {
    const missing = await invokeNew('no-bootstrap', 'provided.al2023', 'whatever', { 'README': 'no bootstrap here' });
    expect(json(missing.Payload)).toMatchObject({ errorType: 'Runtime.InvalidEntrypoint' });
    const exits = await invokeNew('exits', 'nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async () => { process.exit(3); };' });
    expect(json(exits.Payload)).toMatchObject({ errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Error: Runtime exited with error: exit status 3$/) });
  });
});
