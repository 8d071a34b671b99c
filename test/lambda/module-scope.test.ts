import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { tempDir } from '../helpers/git.js';
import { testServer } from '../helpers/server.js';
import { json, lambda, ROLE, settled, zipOf } from './helpers.js';

/** Where `npm start` puts its data by default: inside a project whose package.json says "module" (codesuite's own). */
const project = tempDir();
let server: RunningServer;
beforeAll(async () => {
  writeFileSync(join(project.path, 'package.json'), '{"type":"module"}\n');
  server = await testServer({ inMemory: false, dataDir: join(project.path, '.codesuite') });
});
afterAll(async () => {
  await server?.stop();
  project.remove();
});

describe('function code under a data directory inside an ES module project', () => {
  it('is CommonJS unless the function says otherwise, as on Lambda', async () => {
    const client = lambda(server);
    const cjs = await zipOf({ 'index.js': 'exports.handler = async (e) => ({ kind: typeof require, name: e.name });' });
    await client.send(new CreateFunctionCommand({ FunctionName: 'cjs', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: cjs } }));
    const esm = await zipOf({ 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => ({ kind: typeof require });' });
    await client.send(new CreateFunctionCommand({ FunctionName: 'esm', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Code: { ZipFile: esm } }));
    await settled(client, 'cjs');
    await settled(client, 'esm');
    const a = await client.send(new InvokeCommand({ FunctionName: 'cjs', Payload: Buffer.from('{"name":"x"}') }));
    expect(a.FunctionError).toBeUndefined();
    expect(json(a.Payload)).toEqual({ kind: 'function', name: 'x' });
    const b = await client.send(new InvokeCommand({ FunctionName: 'esm', Payload: Buffer.from('{}') }));
    expect(json(b.Payload)).toEqual({ kind: 'undefined' });
  });
});
