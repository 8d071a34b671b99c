import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDefinition } from '../../src/core/service.js';
import type { RunningServer } from '../../src/server.js';
import { testServer, unverifiedSigV4 } from '../helpers/server.js';
import { Random, requestSeed } from './random.js';
import { generate } from './values.js';
import { jsonRequest, queryRequest, restJsonRequest, restXmlRequest, rpcV2CborRequest, unreadable, type WireRequest } from './wire.js';

/**
 * Every operation of every mounted service, sent generated inputs on the wire: plausible ones and
 * hostile ones, plus protocol probes. No answer may be a 5xx (a deliberate 501 for an operation
 * not implemented yet aside) or a body its protocol cannot read, and the server must keep
 * answering its health check. Seeded: FUZZ_SEED=<seed> replays a run, FUZZ_ROUNDS sets requests
 * per operation (a long local run: FUZZ_ROUNDS=70 is over 50,000 requests), FUZZ_SERVICES=a,b
 * fuzzes only those services, with the same requests as in the full run. The suite runs a fixed
 * seed so CI never fails on a seed nobody tried; FUZZ_SEED=random explores new ones (run it in a
 * loop before landing a service, and add what it finds as a fix).
 */
const SEED =
  process.env.FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 1531532352);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 20);
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 30_000;

interface Case {
  index: number;
  service: ServiceDefinition;
  label: string;
  request: WireRequest;
  /** How a successful response body is read; `skip` for raw payloads (object bytes). */
  okBody: 'json' | 'xml' | 'cbor' | 'skip';
  errorBody: 'json' | 'xml' | 'cbor';
}

let server: RunningServer;
beforeAll(async () => {
  // Builds the fuzzer happens to start must not run anything: no image by this name exists,
  // and codesuite never pulls one.
  server = await testServer({ buildExecutor: 'docker', buildImageMap: '*=codesuite-fuzz/no-such-image:none' });
});
afterAll(() => server?.stop());

function casesFor(service: ServiceDefinition, next: () => number): Case[] {
  const model = service.model;
  // A model may list protocols beside its main one (CloudWatch: RPC v2 CBOR, JSON, Query): each one served is fuzzed.
  const protocols = [model.metadata.protocol, ...(model.metadata.protocols ?? [])].filter((p, i, all) => ['json', 'query', 'rest-xml', 'rest-json', 'smithy-rpc-v2-cbor'].includes(p) && all.indexOf(p) === i);
  const cases: Case[] = [];
  const errorBodyOf = (okBody: Case['okBody']): Case['errorBody'] => (okBody === 'json' || okBody === 'cbor' ? okBody : 'xml');
  const add = (label: string, request: WireRequest, okBody: Case['okBody']) => cases.push({ index: next(), service, label, request, okBody, errorBody: errorBodyOf(okBody) });
  for (const operation of Object.keys(model.operations).sort()) {
    const op = model.operations[operation];
    const inputShape = op.input ? model.shapes[op.input.shape] : { type: 'structure' as const, members: {} };
    // An operation codesuite does not implement yet answers 501 before reading its input: one
    // request shows that, the rest of the budget goes where handlers run.
    const rounds = Object.hasOwn(service.operations, operation) ? ROUNDS : 1;
    for (let round = 0; round < rounds; round++) {
      const index = next();
      // Seeded by what the request is, not where it falls in the run: narrowing a replay to one
      // service (FUZZ_SERVICES) sends that service the very same requests.
      const random = new Random(requestSeed(SEED, `${service.name}.${operation}.${round}`));
      const hostility = round === 0 ? 0 : random.pick([0, 0.05, 0.2, 0.6]);
      const input = generate({ model, random, hostility }, inputShape) as Record<string, unknown>;
      const label = `${service.name} ${operation} #${index}`;
      const push = (request: WireRequest, okBody: Case['okBody']) => cases.push({ index, service, label, request, okBody, errorBody: errorBodyOf(okBody) });
      for (const protocol of protocols) {
        if (protocol === 'json') {
          push(jsonRequest(model, service.name, operation, input), 'json');
          // A JSON service also served over Query (SQS) gets the same budget in Query forms, from its Query model.
          const queryModel = service.queryCompatible?.model;
          const queryOp = queryModel && Object.hasOwn(queryModel.operations, operation) ? queryModel.operations[operation] : undefined;
          if (queryModel && queryOp) {
            const queryRandom = new Random(requestSeed(SEED, `${service.name}.${operation}.${round}.query`));
            const queryShape = queryOp.input ? queryModel.shapes[queryOp.input.shape] : { type: 'structure' as const, members: {} };
            const queryInput = generate({ model: queryModel, random: queryRandom, hostility }, queryShape);
            cases.push({ index, service, label: `${label} (Query)`, request: queryRequest(queryModel, service.name, operation, queryInput), okBody: 'xml', errorBody: 'xml' });
          }
        } else if (protocol === 'smithy-rpc-v2-cbor') {
          push(rpcV2CborRequest(model, service.name, operation, input), 'cbor');
        } else if (protocol === 'query') {
          push(queryRequest(model, service.name, operation, input), 'xml');
        } else if (protocol === 'rest-xml') {
          const outputShape = op.output ? (model.shapes[op.output.shape] as { payload?: string; members?: Record<string, { shape: string }> }) : undefined;
          const rawPayload = outputShape?.payload && model.shapes[outputShape.members![outputShape.payload].shape].type !== 'structure';
          push(restXmlRequest(model, service.name, operation, isRecord(input) ? input : {}), rawPayload ? 'skip' : 'xml');
        } else if (protocol === 'rest-json') {
          const outputShape = op.output ? (model.shapes[op.output.shape] as { payload?: string; members?: Record<string, { shape: string }> }) : undefined;
          const rawPayload = outputShape?.payload && model.shapes[outputShape.members![outputShape.payload].shape].type !== 'structure';
          // A raw payload (Invoke's) is not read, but its errors are still REST-JSON.
          cases.push({ index, service, label, request: restJsonRequest(model, signingName(service), operation, isRecord(input) ? input : {}), okBody: rawPayload ? 'skip' : 'json', errorBody: 'json' });
        }
      }
    }
  }
  // Protocol probes: operation names every object inherits, and bodies that are not the protocol's.
  const inherited = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf', '__defineSetter__'];
  if (protocols.includes('json')) {
    for (const name of inherited) add(`${service.name} ${name}`, jsonRequest(model, service.name, name, {}), 'json');
    for (const body of ['{', '[]', 'null', '"text"', '1', '{"a":', '\x00', '['.repeat(50_000) + ']'.repeat(50_000), '{"__proto__":{"x":1}}']) {
      add(`${service.name} body ${JSON.stringify(body.slice(0, 20))}`, jsonRequest(model, service.name, Object.keys(model.operations)[0], undefined, body), 'json');
    }
  }
  if (protocols.includes('smithy-rpc-v2-cbor')) {
    for (const name of inherited) add(`${service.name} CBOR ${name}`, rpcV2CborRequest(model, service.name, name, {}), 'cbor');
    for (const body of [Buffer.from([0xff]), Buffer.from([0x9f, 0x9f, 0x9f]), Buffer.alloc(0), Buffer.from('{"json":true}'), Buffer.from([0xbf, 0x61, 0x61])]) {
      add(`${service.name} CBOR body ${body.toString('hex')}`, rpcV2CborRequest(model, service.name, Object.keys(model.operations)[0], undefined, body), 'cbor');
    }
  }
  if (protocols.includes('query')) {
    const first = Object.keys(model.operations)[0];
    for (const name of [...inherited, '', '\x00', 'é']) add(`${service.name} Action=${JSON.stringify(name)}`, queryRequest(model, service.name, first, {}, name), 'xml');
  }
  if (protocols.includes('rest-json')) {
    for (const [method, path, body] of [['GET', '/2015-03-31/functions/%ff', ''], ['POST', '/2015-03-31/functions', '{'], ['POST', '/2015-03-31/functions', '[]'], ['POST', '/2015-03-31/functions/x/invocations', '\x00'], ['GET', '/2015-03-31/functions/..%2f..%2fetc/configuration', ''], ['PUT', '/2017-03-31/tags/toString', 'null']]) {
      add(`${service.name} ${method} ${path}`, { method, path, headers: { authorization: unverifiedSigV4(service.name), 'content-type': 'application/json' }, ...(body ? { body } : {}) }, 'json');
    }
  }
  if (protocols.includes('rest-json')) {
    const first = Object.keys(model.operations).sort()[0];
    for (const body of ['{', '[]', 'null', '"text"', '\x00', '{"__proto__":{"x":1}}']) {
      add(`${service.name} body ${JSON.stringify(body)}`, { ...restJsonRequest(model, signingName(service), first, {}), body }, 'json');
    }
  }
  if (protocols.includes('rest-xml')) {
    for (const path of ['/%ff', '/fuzz-bucket/%c0%af', '/..%2f..%2fetc/passwd', '/fuzz-bucket/a%00b', '/fuzz-bucket?list-type=2&max-keys=-1', '/?x-id=toString']) {
      add(`${service.name} GET ${path}`, { method: 'GET', path, headers: { authorization: unverifiedSigV4(service.name) } }, 'xml');
    }
  }
  return cases;
}

function probesOfUnservedServices(next: () => number, anyService: ServiceDefinition): Case[] {
  const json = (target: string, scope: string): WireRequest => ({
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: unverifiedSigV4(scope) },
    body: '{}',
  });
  const cases: Case[] = [];
  for (const [target, scope] of [['CodePipeline_20150709.ListPipelines', 'codepipeline'], ['NoSuch_20990101.Op', 'nosuch'], ['NoDot', 'nosuch'], ['.', 'x'], ['', 'x']]) {
    cases.push({ index: next(), service: anyService, label: `unserved ${target}`, request: json(target, scope), okBody: 'json', errorBody: 'json' });
  }
  const form: WireRequest = { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: unverifiedSigV4('sns') }, body: 'Action=ListTopics' };
  cases.push({ index: next(), service: anyService, label: 'unserved Query sns', request: form, okBody: 'xml', errorBody: 'xml' });
  return cases;
}

const signingName = (service: ServiceDefinition) => service.model.metadata.signingName ?? service.name;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How many answers fell in each status class, so a run shows how deep it reached. */
const statuses = new Map<string, number>();

async function send(c: Case): Promise<string | undefined> {
  let res: Response;
  try {
    res = await fetch(`${server.endpoint}${c.request.path}`, {
      method: c.request.method,
      headers: c.request.headers,
      body: c.request.body === undefined ? undefined : typeof c.request.body === 'string' ? c.request.body : new Uint8Array(c.request.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    // A request fetch itself refuses to send (a header it will not write) is the fuzzer's, not the server's.
    if (err instanceof TypeError && !/fetch failed/.test(err.message)) return undefined;
    return `no answer: ${(err as Error).message} ${(err as { cause?: Error }).cause?.message ?? ''}`;
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  const body = bytes.toString('utf8');
  const bucket = res.status === 501 ? '501' : `${String(res.status)[0]}xx`;
  statuses.set(bucket, (statuses.get(bucket) ?? 0) + 1);
  if (res.status >= 500 && res.status !== 501) return `HTTP ${res.status}: ${body.slice(0, 300)}`;
  // Node answers a request line and headers past its limit with a bare 431 before any route, or
  // protocol, is known: the status is the whole answer.
  if (c.request.method === 'HEAD' || res.status === 431) return undefined;
  const format = res.status >= 300 ? c.errorBody : c.okBody;
  if (format === 'skip') return undefined;
  const problem = unreadable(format, body, bytes);
  return problem ? `HTTP ${res.status}, ${problem}: ${JSON.stringify(body.slice(0, 300))}` : undefined;
}

async function healthy(): Promise<boolean> {
  try {
    const res = await fetch(`${server.endpoint}/_codesuite/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return res.status === 200 && (await res.json()).status === 'running';
  } catch {
    return false;
  }
}

describe('model-driven fuzzing of every mounted service', () => {
  it('answers every generated request with a readable 4xx or 2xx, and stays up', { timeout: 30 * 60_000 }, async () => {
    let counter = 0;
    const next = () => counter++;
    const only = process.env.FUZZ_SERVICES?.split(',');
    const services = [...server.services].filter((s) => !only || only.includes(s.name)).sort((a, b) => a.name.localeCompare(b.name));
    expect(services.length).toBeGreaterThan(0);
    const failures: string[] = [];
    let sent = 0;
    for (const service of services) {
      const cases = casesFor(service, next);
      if (service === services[0]) cases.push(...probesOfUnservedServices(next, service));
      let cursor = 0;
      const worker = async () => {
        while (cursor < cases.length) {
          const c = cases[cursor++];
          const problem = await send(c);
          sent++;
          if (problem) {
            const body = c.request.body === undefined ? '' : ` ${JSON.stringify(String(c.request.body).slice(0, 400))}`;
            failures.push(`${c.label} ${c.request.method} ${c.request.path.slice(0, 120)}${body}: ${problem}`);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (!(await healthy())) {
        failures.push(`the server stopped answering its health check after ${service.name}`);
        break;
      }
    }
    const summary = `fuzz seed ${SEED}, ${sent} requests over ${services.map((s) => s.name).join(', ')} (${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}); replay with FUZZ_SEED=${SEED} FUZZ_ROUNDS=${ROUNDS} npx vitest run test/fuzz`;
    console.log(summary);
    expect(failures, `${summary}\n${failures.slice(0, 50).join('\n')}`).toEqual([]);
  });
});
