import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { createCloudWatch } from './cloudwatch/service.js';
import { createCodeBuild } from './codebuild/service.js';
import { createCodeCommit } from './codecommit/service.js';
import { createCodeDeploy, createCodeDeployCommands } from './codedeploy/service.js';
import { createCodePipeline } from './codepipeline/service.js';
import { parseConfig, type Config, type ConfigInput } from './config.js';
import { mountAwsFront } from './core/aws-front.js';
import { answerClientError } from './core/client-errors.js';
import { randomIds, systemClock, type Clock, type IdGenerator } from './core/clock.js';
import type { ServiceDeps } from './core/deps.js';
import { allowAll } from './core/dispatch.js';
import { EventBus } from './core/events.js';
import { Scheduler } from './core/scheduler.js';
import { DeliveryRegistry } from './core/delivery.js';
import { mountDeliveryRoute } from './core/delivery-route.js';
import { InternalClient } from './core/internal-client.js';
import { MetricSink } from './core/metric-sink.js';
import { Identity } from './core/identity.js';
import type { ServiceDefinition } from './core/service.js';
import { openDatabase } from './core/store/db.js';
import { createEvents } from './events/service.js';
import { createIam } from './iam/service.js';
import { createSecretsManager } from './secretsmanager/service.js';
import { createSns } from './sns/service.js';
import { createSqs } from './sqs/service.js';
import { createSsm } from './ssm/service.js';
import { createLambda } from './lambda/service.js';
import { createLogs } from './logs/service.js';
import { createNotifications } from './notifications/service.js';
import { createS3 } from './s3/service.js';
import { createSts } from './sts/service.js';
import { StsSessions } from './sts/sessions.js';
import { IamDirectory } from './iam/api/principal-policies.js';
import { createAuthorizer } from './iam/enforcement/authorizer.js';
import { knownSchema } from './schema.js';
import { restoreAtStart } from './snapshot/restore.js';
import { mountSnapshotRoute } from './snapshot/route.js';
import { VERSION } from './version.js';

export interface RunningServer {
  /** Base URL of the server, e.g. `http://127.0.0.1:4577`. */
  endpoint: string;
  port: number;
  config: Config;
  /** Where the state lives: the configured data directory, or a temporary one with --in-memory. */
  dataDir: string;
  app: FastifyInstance;
  events: EventBus;
  /** The persisted job scheduler every service shares (tests drive it with `tick()`). */
  scheduler: Scheduler;
  /** Where receivers register the ARNs they own (tests stand in for a receiver codesuite does not serve yet). */
  delivery: DeliveryRegistry;
  /** The mounted services, for tools such as the API coverage report. */
  services: readonly ServiceDefinition[];
  /** What the services chose at start (where builds run), for the start-up line. */
  notes(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface StartOptions extends Partial<ConfigInput> {
  clock?: Clock;
  ids?: IdGenerator;
}

const STOP_GRACE_MS = 3000;

type ServiceFactory = { name: string; create: (deps: ServiceDeps) => ServiceDefinition };

/** Every service codesuite serves; the core knows them only through this list. */
const SERVICES: ServiceFactory[] = [
  { name: 'codecommit', create: createCodeCommit },
  { name: 'sts', create: createSts },
  { name: 'iam', create: createIam },
  { name: 'ssm', create: createSsm },
  { name: 'secretsmanager', create: createSecretsManager },
  { name: 'logs', create: createLogs },
  { name: 'events', create: createEvents },
  { name: 'cloudwatch', create: createCloudWatch },
  { name: 's3', create: createS3 },
  { name: 'sqs', create: createSqs },
  { name: 'sns', create: createSns },
  { name: 'codebuild', create: createCodeBuild },
  { name: 'lambda', create: createLambda },
  { name: 'codedeploy', create: createCodeDeploy },
  { name: 'codedeploy-commands', create: createCodeDeployCommands('codedeploy-commands') },
  { name: 'codedeploy-commands-secure', create: createCodeDeployCommands('codedeploy-commands-secure') },
  { name: 'codepipeline', create: createCodePipeline },
  { name: 'codestar-notifications', create: createNotifications },
];

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { clock = systemClock, ids = randomIds, ...settings } = options;
  const config = parseConfig(settings);
  const dataDir = config.inMemory ? mkdtempSync(join(tmpdir(), 'codesuite-')) : resolve(config.dataDir);
  const image = config.restore ? await restoreAtStart(config.restore, dataDir, { ...config, knownSchema: knownSchema() }) : undefined;
  mkdirSync(dataDir, { recursive: true });
  const logger = pino({ level: config.logLevel, redact: ['req.headers.authorization'] });
  const db = openDatabase(config.inMemory ? undefined : dataDir, image);
  const events = new EventBus((err, event) => logger.error({ err, detailType: event['detail-type'] }, 'event listener failed'));

  const scheduler = new Scheduler(db, clock, logger.child({ component: 'scheduler' }));
  const internal = new InternalClient();
  const delivery = new DeliveryRegistry(db, scheduler, clock, logger.child({ component: 'delivery' }));
  const metrics = new MetricSink();
  const services = SERVICES.map(({ name, create }) => {
    const filesDir = join(dataDir, name);
    mkdirSync(filesDir, { recursive: true });
    return create({ config, db, filesDir, events, clock, ids, scheduler, internal, delivery, metrics, logger: logger.child({ service: name }) });
  });
  // Started once every service has registered its job kinds, so no job waits for its handler.
  scheduler.start();

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // One line per request, written by the onResponse hook below.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    bodyLimit: config.bodyLimit,
    clientErrorHandler: answerClientError,
    // Git and the AWS CLI send paths such as `/v1/repos/demo/` and `//`; treat them as written.
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    frameworkErrors: (err, request, reply) => awsFront.frameworkError(err, request, reply),
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], operation: request.awsOperation, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  let endpoint = config.publicUrl ?? '';
  app.get('/_codesuite/health', async () => ({
    status: 'running',
    version: VERSION,
    services: Object.fromEntries(services.map((s) => [s.name, { status: 'running', ...s.health?.() }])),
  }));
  const identity = new Identity(services, config, clock);
  const sessions = new StsSessions(db, clock);
  const authorize = config.enforceIam
    ? createAuthorizer({
        directory: new IamDirectory(db, clock),
        sessionFor: (key) => sessions.sessionFor(key),
        clock,
        logger: logger.child({ component: 'iam-enforcement' }),
        softMode: config.iamSoftMode,
      }).authorize
    : allowAll;
  internal.bind(services, authorize, () => endpoint);
  for (const service of services) service.routes?.(app, { identity, authorize });
  mountDeliveryRoute(app, delivery);
  // Work in progress under each service's files (uploads being received, build workspaces) is no state to snapshot.
  const skips = services.flatMap((s) => (s.transientFiles ? [{ prefix: `${s.name}/`, skip: s.transientFiles }] : []));
  mountSnapshotRoute(app, {
    db,
    dataDir,
    accountId: config.accountId,
    identity,
    clock,
    endpoint: () => endpoint,
    skip: (path) => skips.some((s) => path.startsWith(s.prefix) && s.skip(path.slice(s.prefix.length))),
  });
  const awsFront = mountAwsFront(app, services, identity, () => endpoint, authorize, config.bodyLimit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // Draining waits for requests in flight, but not forever: a client that stopped reading a
      // response must not keep the server from stopping.
      const grace = setTimeout(() => app.server.closeAllConnections(), STOP_GRACE_MS);
      await app.close();
      clearTimeout(grace);
      await scheduler.stop();
      for (const service of services) await service.close?.();
      db.close();
      if (config.inMemory) rmSync(dataDir, { recursive: true, force: true });
    })());

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    // A busy port must not leave the database open and the scheduler running in the caller's process,
    // nor a restored data directory that the next `--restore` would refuse as not empty.
    await stop();
    if (config.restore && !config.inMemory) for (const name of readdirSync(dataDir)) rmSync(join(dataDir, name), { recursive: true, force: true });
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  endpoint = (config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`).replace(/\/$/, '');

  const notes = async () => Promise.all(services.flatMap((s) => (s.startupNote ? [s.startupNote()] : [])));
  return { endpoint, port, config, dataDir, app, events, scheduler, delivery, services, notes, stop };
}

