import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { createLogWriter } from '../logs/internal.js';
import { ServiceRoles } from '../sts/service-role.js';
import { AsyncInvocations } from './async-invoke.js';
import { CodeStore } from './code.js';
import type { LambdaParts } from './context.js';
import { FunctionExecutors } from './executors.js';
import { functionOperations } from './function-operations.js';
import { Functions } from './functions.js';
import { invokeOperations } from './invoke-operations.js';
import { Invoker } from './invoker.js';
import { migrations } from './migrations.js';
import { permissionOperations } from './permission-operations.js';
import { functionReceiver } from './receiver.js';
import { settingsOperations } from './settings-operations.js';
import { FunctionStore } from './store.js';
import { versionOperations } from './version-operations.js';

/** How long GetFunction's Code.Location link works, as AWS's presigned link (10 minutes). */
const CODE_LINK_SECONDS = 600;

/** AWS Lambda (REST-JSON, 2015-03-31): functions that really run behind the Runtime API. */
export function createLambda(deps: ServiceDeps): ServiceDefinition {
  migrate(deps.db, 'lambda', migrations);
  // Environments (and half-stored code) of a server that stopped under them are nothing to resume.
  rmSync(join(deps.filesDir, 'environments'), { recursive: true, force: true });
  for (const name of existsSync(join(deps.filesDir, 'code')) ? readdirSync(join(deps.filesDir, 'code')) : []) {
    if (name.startsWith('.')) rmSync(join(deps.filesDir, 'code', name), { recursive: true, force: true });
  }
  const model = loadModel('lambda');
  const store = new FunctionStore(deps.db);
  const code = new CodeStore(join(deps.filesDir, 'code'));
  const roles = new ServiceRoles(deps);
  const executors = new FunctionExecutors(deps.config);
  const linkKey = randomBytes(32);
  let app: FastifyInstance | undefined;
  const endpoint = () => {
    if (deps.config.publicUrl) return deps.config.publicUrl.replace(/\/$/, '');
    const address = app?.server.address() as AddressInfo | null | undefined;
    return address ? `http://${deps.config.host === '0.0.0.0' || deps.config.host === '::' ? '127.0.0.1' : deps.config.host}:${address.port}` : '';
  };
  const invoker = new Invoker(deps, code, roles, createLogWriter(deps), (c) => executors.for(c), endpoint);
  const functions = new Functions(deps, store, async (c) => {
    if (c.PackageType === 'Image') return executors.imageProblem(c.imageUri!);
    if (existsSync(code.taskDir(c.codeKey))) return undefined;
    return `The function's code ${c.CodeSha256} is missing from codesuite's data directory.`;
  });
  const sign = (key: string, expires: number) => createHmac('sha256', linkKey).update(`${key}:${expires}`).digest('hex');
  const parts: LambdaParts = {
    deps,
    store,
    functions,
    code,
    invoker,
    roles,
    codeUrl: (ctx, key) => {
      const expires = Math.floor(deps.clock.now().getTime() / 1000) + CODE_LINK_SECONDS;
      return `${ctx.endpoint}/_codesuite/lambda/code/${key}.zip?Expires=${expires}&Signature=${sign(key, expires)}`;
    },
  };
  const async = new AsyncInvocations(parts);
  deps.delivery.register(functionReceiver(parts, async));
  return {
    name: 'lambda',
    model,
    operations: {
      ...functionOperations(parts),
      ...versionOperations(parts),
      ...invokeOperations(parts, async),
      ...permissionOperations(parts),
      ...settingsOperations(parts),
    },
    routes: (server) => {
      app = server;
      // GetFunction's Code.Location: a link that works without signing for ten minutes, as S3's presigned one.
      server.get<{ Params: { key: string }; Querystring: { Expires?: string; Signature?: string } }>('/_codesuite/lambda/code/:key', async (request, reply) => {
        const key = request.params.key.replace(/\.zip$/, '');
        const expires = Number(request.query.Expires);
        const given = Buffer.from(String(request.query.Signature ?? ''), 'utf8');
        const expected = Buffer.from(/^[0-9a-f]{64}$/.test(key) ? sign(key, expires) : '', 'utf8');
        const valid = given.length === expected.length && expected.length > 0 && timingSafeEqual(given, expected) && expires * 1000 >= deps.clock.now().getTime();
        if (!valid || !existsSync(code.zipPath(key))) return reply.status(403).type('application/xml').send('<Error><Code>AccessDenied</Code><Message>Request has expired or is not signed</Message></Error>');
        return reply.type('application/zip').send(createReadStream(code.zipPath(key)));
      });
    },
    health: () => ({ environments: invoker.environments, queuedEvents: async.pending() }),
    transientFiles: (path) => path.startsWith('environments/'),
    close: () => invoker.shutdown(),
  };
}
