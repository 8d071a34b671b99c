/**
 * Lambda figures (issue 14): cold start and warm invoke latency of a trivial Node.js and Python
 * handler through the SDK, codesuite's own share of a warm invoke (the round trip minus the
 * function's Duration in its REPORT line), and warm invocations per second with 8 concurrent
 * callers. Run with `npx tsx bench/lambda.bench.ts`. Prints figures; asserts nothing.
 */
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { startServer } from '../src/server.js';
import { zipOf } from '../test/lambda/helpers.js';

const WARM = 300;
const COLD = 5;
const CALLERS = 8;
const SECONDS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

const server = await startServer({ port: 0, inMemory: true, logLevel: 'silent' });
const client = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

async function settle(name: string): Promise<void> {
  for (;;) {
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    if (c.State === 'Active' && c.LastUpdateStatus !== 'InProgress') return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function invoke(name: string): Promise<{ ms: number; duration: number; init?: number }> {
  const started = performance.now();
  const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"x":1}'), LogType: 'Tail' }));
  const ms = performance.now() - started;
  if (out.FunctionError) throw new Error(Buffer.from(out.Payload!).toString());
  const tail = Buffer.from(out.LogResult!, 'base64').toString();
  const duration = Number(/Duration: ([\d.]+) ms/.exec(tail)![1]);
  const init = /Init Duration: ([\d.]+) ms/.exec(tail);
  return { ms, duration, init: init ? Number(init[1]) : undefined };
}

for (const [runtime, handler, files] of [
  ['nodejs20.x', 'index.handler', { 'index.js': 'exports.handler = async (e) => e;' }],
  ['python3.11', 'app.handler', { 'app.py': 'def handler(event, context):\n    return event\n' }],
] as const) {
  const name = `bench-${runtime.replace('.', '')}`;
  await client.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Handler: handler, Role: 'arn:aws:iam::000000000000:role/bench', Code: { ZipFile: await zipOf(files) } }));
  await settle(name);
  const cold: number[] = [];
  const init: number[] = [];
  for (let i = 0; i < COLD; i++) {
    // A configuration change retires the warm environment, so the next invocation starts cold.
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `cold ${i}` }));
    await settle(name);
    const r = await invoke(name);
    cold.push(r.ms);
    init.push(r.init ?? 0);
  }
  const warm: number[] = [];
  const own: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const r = await invoke(name);
    warm.push(r.ms);
    own.push(r.ms - r.duration);
  }
  let count = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (performance.now() < until) {
        await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"x":1}') }));
        count++;
      }
    }),
  );
  console.log(
    `${runtime}: cold start median ${median(cold).toFixed(1)} ms (init ${median(init).toFixed(1)} ms); warm invoke median ${median(warm).toFixed(2)} ms, p95 ${p95(warm).toFixed(2)} ms; ` +
      `codesuite's own time per warm invoke median ${median(own).toFixed(2)} ms; ${(count / SECONDS).toFixed(0)} warm invocations/s with ${CALLERS} callers`,
  );
}
await server.stop();
