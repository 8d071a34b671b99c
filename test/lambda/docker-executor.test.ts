import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAvailable, dockerClient } from '../../src/executors/docker.js';
import type { RunningServer } from '../../src/server.js';
import { testServer } from '../helpers/server.js';
import { json, lambda, ROLE, settled, zipOf } from './helpers.js';

/** An image with node that the CI's Docker engine has; codesuite pulls nothing. */
const IMAGE = 'codesuite-ci/base:bookworm-node20.20.2';
const usable = (await dockerAvailable()) && (await (await dockerClient()).getImage(IMAGE).inspect().then(() => true, () => false));

let server: RunningServer;
beforeAll(async () => {
  if (usable) server = await testServer({ functionExecutor: 'docker', functionImageMap: `public.ecr.aws/lambda/nodejs:*=${IMAGE}` });
});
afterAll(() => server?.stop());

describe.skipIf(!usable)('functions in Docker containers', () => {
  it('runs a Node.js function in a container on the host network, warm the second time', async () => {
    const client = lambda(server);
    const code = await zipOf({ 'index.js': 'let n = 0; exports.handler = async (e) => ({ n: ++n, root: process.env.LAMBDA_TASK_ROOT, cwd: process.cwd(), echo: e });' });
    await client.send(new CreateFunctionCommand({ FunctionName: 'in-docker', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: ROLE, Timeout: 30, Code: { ZipFile: code } }));
    await settled(client, 'in-docker');
    const first = json((await client.send(new InvokeCommand({ FunctionName: 'in-docker', Payload: Buffer.from('{"a":1}') }))).Payload);
    expect(first).toEqual({ n: 1, root: '/var/task', cwd: '/var/task', echo: { a: 1 } });
    const second = json((await client.send(new InvokeCommand({ FunctionName: 'in-docker', Payload: Buffer.from('{}') }))).Payload);
    expect(second.n).toBe(2);
  });
});
