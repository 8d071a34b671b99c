// codesuite's runtime client for Node.js functions: speaks the Lambda Runtime API at
// AWS_LAMBDA_RUNTIME_API (a bare host:port), loads the module `_HANDLER` names from
// LAMBDA_TASK_ROOT, and runs async, promise-returning and callback handlers as AWS's runtime does.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const base = '/2018-06-01/runtime';
const taskRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
const handlerName = process.env._HANDLER || '';
let currentRequestId;

function call(method, path, body, headers = {}) {
  return new Promise((done, fail) => {
    const req = http.request({ host, port: Number(port), method, path: base + path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

function errorBody(err) {
  const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
  const type = err instanceof Error ? err.name : typeof err === 'object' && err && err.errorType ? err.errorType : 'Error';
  return { errorType: type, errorMessage: e.message, trace: (e.stack || '').split('\n') };
}

function postError(path, err, type) {
  const body = errorBody(err);
  if (type) body.errorType = type;
  return call('POST', path, JSON.stringify(body), { 'content-type': 'application/json', 'Lambda-Runtime-Function-Error-Type': body.errorType });
}

// Console lines as AWS's Node runtime writes them: timestamp, request id, level, message.
for (const [method, level] of [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']]) {
  console[method] = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${format(...args).replace(/\n/g, '\r')}\n`);
  };
}

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

function moduleType(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module' ? 'esm' : 'cjs';
      } catch {
        return 'cjs';
      }
    }
    if (dir === dirname(dir) || dir.endsWith('node_modules')) return 'cjs';
  }
}

async function loadHandler() {
  if (handlerName.includes('..')) throw new RuntimeError('Runtime.MalformedHandlerName', "'" + handlerName + "' is not a valid handler name. Use absolute paths when specifying root directories in handler names.");
  const slash = handlerName.lastIndexOf('/');
  const moduleRoot = handlerName.slice(0, slash + 1);
  const base = handlerName.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 0) throw new RuntimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const moduleName = base.slice(0, dot);
  const path = base.slice(dot + 1).split('.');
  const stem = resolve(taskRoot, moduleRoot, moduleName);
  const require = createRequire(join(taskRoot, 'index.js'));
  let mod;
  try {
    if (existsSync(stem) && !existsSync(stem + '.js')) mod = require(stem);
    else if (existsSync(stem + '.js')) mod = moduleType(stem + '.js') === 'esm' ? await import(pathToFileURL(stem + '.js').href) : require(stem + '.js');
    else if (existsSync(stem + '.mjs')) mod = await import(pathToFileURL(stem + '.mjs').href);
    else if (existsSync(stem + '.cjs')) mod = require(stem + '.cjs');
    else mod = require(require.resolve(moduleRoot + moduleName, { paths: [taskRoot, resolve(taskRoot, moduleRoot)] }));
  } catch (err) {
    if (err instanceof SyntaxError) throw new RuntimeError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`);
    if (err && (err.code === 'MODULE_NOT_FOUND' || err.code === 'ERR_MODULE_NOT_FOUND')) {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'\nRequire stack:\n- /var/runtime/index.mjs`);
    }
    throw err;
  }
  let fn = mod;
  for (const key of path) fn = fn == null ? undefined : fn[key];
  if (fn === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${moduleRoot}${moduleName}.${path.join('.')} is undefined or not exported`);
  if (typeof fn !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${moduleRoot}${moduleName}.${path.join('.')} is not a function`);
  return fn;
}

function jsonHeader(value) {
  if (!value) return undefined;
  return JSON.parse(value);
}

async function invoke(handler, next) {
  const h = next.headers;
  const requestId = h['lambda-runtime-aws-request-id'];
  const deadline = Number(h['lambda-runtime-deadline-ms']);
  currentRequestId = requestId;
  if (h['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'];
  let settled = false;
  let finish;
  const outcome = new Promise((r) => (finish = r));
  const settle = (err, result) => {
    if (settled) return;
    settled = true;
    finish({ err, result });
  };
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    awsRequestId: requestId,
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    clientContext: jsonHeader(h['lambda-runtime-client-context']),
    identity: jsonHeader(h['lambda-runtime-cognito-identity']),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    succeed: (result) => settle(null, result),
    fail: (err) => settle(err ?? 'handled'),
    done: (err, result) => settle(err, result),
  };
  let event;
  try {
    event = JSON.parse(next.body.toString('utf8'));
  } catch {
    event = next.body.toString('utf8');
  }
  try {
    const returned = handler(event, context, (err, result) => settle(err, result));
    if (returned && typeof returned.then === 'function') returned.then((r) => settle(null, r), (e) => settle(e ?? new Error('Promise rejected')));
    else if (handler.length < 3) settle(null, returned);
  } catch (err) {
    settle(err);
  }
  const { err, result } = await outcome;
  if (err !== null && err !== undefined) {
    const body = errorBody(err);
    console.error('Invoke Error', JSON.stringify(body));
    await postError(`/invocation/${requestId}/error`, err);
  } else {
    await call('POST', `/invocation/${requestId}/response`, JSON.stringify(result === undefined ? null : result), { 'content-type': 'application/json' });
  }
  currentRequestId = undefined;
}

process.on('uncaughtException', async (err) => {
  console.error('Uncaught Exception', JSON.stringify(errorBody(err)));
  if (currentRequestId) await postError(`/invocation/${currentRequestId}/error`, err).catch(() => undefined);
  process.exit(129);
});
process.on('unhandledRejection', async (reason) => {
  console.error('Unhandled Promise Rejection', JSON.stringify(errorBody(reason)));
  if (currentRequestId) await postError(`/invocation/${currentRequestId}/error`, reason, 'Runtime.UnhandledPromiseRejection').catch(() => undefined);
  process.exit(128);
});

let handler;
try {
  handler = await loadHandler();
} catch (err) {
  console.error(`Init Error`, JSON.stringify(errorBody(err)));
  await postError('/init/error', err).catch(() => undefined);
  process.exit(129);
}
for (;;) {
  const next = await call('GET', '/invocation/next');
  if (next.status !== 200) process.exit(1);
  await invoke(handler, next);
}
