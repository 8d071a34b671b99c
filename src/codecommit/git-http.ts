import { spawn } from 'node:child_process';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, pipeline, Readable, type Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { rootCaller, type RequestContext } from '../core/context.js';
import type { Authorizer } from '../core/dispatch.js';
import type { Identity } from '../core/identity.js';
import { repositoryArn } from './arns.js';
import { authenticateGit } from './git-auth.js';
import { gitEnv } from './git-env.js';
import { FLUSH, parsePushHead, pktLine, rejectionReport, ZERO_ID, type PushCommand, type PushRequestHead } from './pkt-line.js';
import { defaultBranchOf } from './recovery.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishRefChanges, type RefChange } from './state-change-events.js';

type GitService = 'git-upload-pack' | 'git-receive-pack';
const MAX_REFS_PER_PUSH = 4000;

/**
 * git's smart HTTP protocol served by git's own upload-pack and receive-pack in stateless-RPC
 * mode: every git feature (shallow clones, protocol v2, filters) works as git itself does. A
 * push's ref updates are read and judged before receive-pack sees them.
 */
export function mountGitHttp(
  app: FastifyInstance,
  repos: Repositories,
  { identity, authorize }: { identity: Identity; authorize: Authorizer },
): void {
  app.register(async (scope) => {
    // Pack data is streamed to git, never buffered: hand the raw request stream through.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

    for (const prefix of ['/v1/repos/:name', '/:region/v1/repos/:name']) {
      scope.get(`${prefix}/info/refs`, (request, reply) => advertise(request, reply));
      scope.post(`${prefix}/git-upload-pack`, (request, reply) => rpc(request, reply, 'git-upload-pack'));
      scope.post(`${prefix}/git-receive-pack`, (request, reply) => rpc(request, reply, 'git-receive-pack'));
    }
  });

  /**
   * The repository a request names and who is asking, once the caller is authenticated (with
   * IAM enforcement) and allowed `action`; otherwise the answer is sent and undefined returned.
   */
  async function locate(
    request: FastifyRequest,
    reply: FastifyReply,
    action: 'codecommit:GitPull' | 'codecommit:GitPush',
  ): Promise<{ repo: RepositoryRecord; ctx: RequestContext } | undefined> {
    const { name, region: regionParam } = request.params as { name: string; region?: string };
    const region = regionParam ?? repos.deps.config.defaultRegion;
    const ctx: RequestContext = { ...gitContext(request), region };
    if (identity.enforcing) {
      const auth = authenticateGit(request, identity, [region, repos.deps.config.defaultRegion]);
      if ('status' in auth) {
        if (auth.status === 401) reply.header('www-authenticate', 'Basic realm="codesuite"');
        reply.status(auth.status).type('text/plain').send(`${auth.message}\n`);
        return undefined;
      }
      Object.assign(ctx, { caller: auth.caller, principalArn: auth.caller.arn, accessKeyId: auth.caller.accessKeyId });
    }
    // `.../demo.git` is how many people write remotes; CodeCommit names cannot end in .git.
    const repo = repos.find(ctx, name) ?? repos.find(ctx, name.replace(/\.git$/, ''));
    if (!repo || !repos.git.exists(repo.id)) {
      reply.status(404).type('text/plain').send(`Repository ${name} does not exist in ${region}\n`);
      return undefined;
    }
    // Pushes are checked here without a reference (a Deny lacking the Null guard stops them all),
    // then once per pushed reference.
    const decision = await authorize({ iam: { action, resource: () => repositoryArn(repo) }, input: {}, ctx });
    if (!decision.allowed) {
      reply.status(403).type('text/plain').send(`${decision.message}\n`);
      return undefined;
    }
    return { repo, ctx };
  }

  /** Without enforcement git is anonymous and acts as the account root, like unsigned API calls. */
  function gitContext(request: FastifyRequest): RequestContext {
    const caller = rootCaller(repos.deps.config.accountId);
    return {
      requestId: request.id,
      accountId: repos.deps.config.accountId,
      region: repos.deps.config.defaultRegion,
      caller,
      principalArn: caller.arn,
      endpoint: '',
      sourceIp: request.ip,
    };
  }

  let v2Capabilities: Promise<Buffer> | undefined;

  async function advertise(request: FastifyRequest, reply: FastifyReply) {
    const service = (request.query as { service?: string }).service;
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') {
      return reply.status(403).type('text/plain').send('Only the smart HTTP protocol is served.\n');
    }
    const found = await locate(request, reply, service === 'git-upload-pack' ? 'codecommit:GitPull' : 'codecommit:GitPush');
    if (!found) return reply;
    // A push whose refs landed but whose bookkeeping never ran is retried as "Everything
    // up-to-date", which sends no pack: the record is put right when the retry looks at the refs.
    if (service === 'git-receive-pack' && !found.repo.defaultBranch) await adoptDefaultBranch(found.repo);
    const protocol = protocolVersion(request, service);
    reply
      .header('content-type', `application/x-${service}-advertisement`)
      .header('cache-control', 'no-cache, max-age=0, must-revalidate')
      .header('expires', 'Fri, 01 Jan 1980 00:00:00 GMT');
    // Protocol v2 starts with its capability list, which names no ref and is the same for every
    // repository (they share one configuration): ask git once, not on every fetch.
    if (protocol === 'version=2') {
      v2Capabilities ??= collect(spawnGit(service, ['--stateless-rpc', '--advertise-refs', repos.git.dir(found.repo.id)], protocol).stdout);
      return reply.send(await v2Capabilities);
    }
    const child = spawnGit(service, ['--stateless-rpc', '--advertise-refs', repos.git.dir(found.repo.id)], protocol);
    // Protocol v0 starts with the service line git-http-backend sends, then git's ref list.
    return reply.send(prefixStream(Buffer.concat([pktLine(`# service=${service}\n`), FLUSH]), child.stdout));
  }

  async function rpc(request: FastifyRequest, reply: FastifyReply, service: GitService) {
    const found = await locate(request, reply, service === 'git-upload-pack' ? 'codecommit:GitPull' : 'codecommit:GitPush');
    if (!found) return reply;
    const body = requestBody(request);
    reply.header('content-type', `application/x-${service}-result`).header('cache-control', 'no-cache, max-age=0, must-revalidate');
    if (service === 'git-upload-pack') {
      const child = spawnGit(service, ['--stateless-rpc', repos.git.dir(found.repo.id)], protocolVersion(request, service));
      feed(body, child.stdin, () => child.kill());
      reply.raw.on('close', () => reply.raw.writableFinished || child.kill());
      return reply.send(child.stdout);
    }
    let pushed: { head: PushRequestHead; rest: Readable };
    try {
      pushed = await readPushHead(body);
    } catch (err) {
      // A client that hung up needs no answer; one that sent something else than a push gets a 400.
      if (reply.raw.destroyed) return reply;
      return reply.status(400).type('text/plain').send(`${(err as Error).message}\n`);
    }
    return receivePack(reply, pushed, found.repo, found.ctx);
  }

  async function receivePack(reply: FastifyReply, { head, rest }: { head: PushRequestHead; rest: Readable }, repo: RepositoryRecord, ctx: RequestContext) {
    const refusals = refuse(repo, head.commands);
    for (const c of head.commands) {
      const decision = await authorize({
        iam: { action: 'codecommit:GitPush', resource: () => repositoryArn(repo), conditionKeys: () => ({ 'codecommit:References': c.ref }) },
        input: {},
        ctx,
      });
      if (!decision.allowed) refusals.set(c.ref, `${decision.message} (reference ${c.ref})`);
    }
    if (refusals.size > 0) {
      // The client is still sending its pack: take it all before answering, or it sees a broken pipe.
      try {
        for await (const _ of rest) void _;
      } catch {
        return reply;
      }
      return reply.send(rejectionReport(head.commands, refusals, head.capabilities));
    }
    const child = spawnGit('git-receive-pack', ['--stateless-rpc', repos.git.dir(repo.id)], undefined);
    // A pack cut short (the client stopped or died) closes git's input: receive-pack then fails
    // the unpack, removes its quarantined objects itself and moves no ref.
    feed(rest, child.stdin, () => undefined);
    // The response ends only after the push is recorded, so a client that sees its push succeed
    // also sees the default branch and events it caused. A client gone meanwhile does not stop
    // the bookkeeping: git may already have moved the refs.
    const output = new PassThrough();
    child.stdout.on('data', (chunk: Buffer) => output.destroyed || output.write(chunk));
    child.on('close', () => {
      afterPush(repo, head.commands, ctx)
        .catch((err) => reply.log.error({ err }, 'post-push bookkeeping failed'))
        .finally(() => output.end());
    });
    return reply.send(output);
  }

  async function adoptDefaultBranch(repo: RepositoryRecord): Promise<void> {
    const branches = [...(await repos.git.refs(repo.id)).keys()].filter((r) => r.startsWith('refs/heads/')).map((r) => r.slice('refs/heads/'.length));
    const branch = defaultBranchOf(branches, await readFile(join(repos.git.dir(repo.id), 'HEAD'), 'utf8'));
    if (!branch) return;
    await repos.git.setHead(repo.id, branch);
    repos.store.update(repo.id, { defaultBranch: branch }, repos.now());
  }

  /** Rules CodeCommit applies to a push as a whole, before any ref moves. */
  function refuse(repo: RepositoryRecord, commands: PushCommand[]): Map<string, string> {
    const reasons = new Map<string, string>();
    if (commands.length > MAX_REFS_PER_PUSH) {
      for (const c of commands) reasons.set(c.ref, `a push may update at most ${MAX_REFS_PER_PUSH} references`);
      return reasons;
    }
    for (const c of commands) {
      if (c.newId === ZERO_ID && repo.defaultBranch && c.ref === `refs/heads/${repo.defaultBranch}`) {
        reasons.set(c.ref, 'the default branch cannot be deleted');
      }
    }
    return reasons;
  }

  /** Records what the push changed: default branch, last-modified date, state-change events. */
  async function afterPush(repo: RepositoryRecord, commands: PushCommand[], ctx: RequestContext) {
    const refs = await repos.git.refs(repo.id);
    const applied: RefChange[] = commands
      .filter((c) => (c.newId === ZERO_ID ? !refs.has(c.ref) : refs.get(c.ref) === c.newId))
      .map((c) => ({ ref: c.ref, oldCommitId: c.oldId === ZERO_ID ? undefined : c.oldId, newCommitId: c.newId === ZERO_ID ? undefined : c.newId }));
    if (applied.length === 0) return;
    repos.git.maintenance.schedule(repos.git.dir(repo.id));
    const current = repos.store.byId(repo.id);
    if (!current) return;
    // The first branch pushed becomes the default branch, as on CodeCommit.
    const firstBranch = applied.find((c) => c.newCommitId && c.ref.startsWith('refs/heads/'));
    if (!current.defaultBranch && firstBranch) {
      const branch = firstBranch.ref.slice('refs/heads/'.length);
      await repos.git.setHead(repo.id, branch);
      repos.store.update(repo.id, { defaultBranch: branch }, repos.now());
    } else {
      repos.store.touch(repo.id, repos.now());
    }
    publishRefChanges(repos.deps, current, applied, ctx.principalArn);
  }
}

function protocolVersion(request: FastifyRequest, service: GitService): string | undefined {
  const header = request.headers['git-protocol'];
  // receive-pack speaks only v0; passing v2 to it would drop the service line it needs.
  return service === 'git-upload-pack' && typeof header === 'string' ? header : undefined;
}

function spawnGit(service: GitService, args: string[], protocol: string | undefined) {
  const child = spawn('git', [service.slice(4), ...args], {
    env: gitEnv(protocol ? { GIT_PROTOCOL: protocol } : {}),
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  // A git that cannot start fails its request (its streams end), not the server.
  child.on('error', () => undefined);
  return child;
}

/**
 * The request body as git reads it, gunzipped when the client compressed it. A broken gzip stream
 * fails the request's reading only: the rest of the body is drained so an answer can still be sent.
 */
function requestBody(request: FastifyRequest): Readable {
  const body = request.body as Readable;
  if (request.headers['content-encoding'] !== 'gzip') return body;
  const gunzip = createGunzip();
  body.on('error', (err) => gunzip.destroy(err));
  gunzip.on('error', () => body.resume());
  return body.pipe(gunzip);
}

/** Streams a request body into git; `abort` runs when either side fails before the end. */
function feed(body: Readable, stdin: Writable, abort: () => void): void {
  pipeline(body, stdin, (err) => err && abort());
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The advertisement git-http-backend would send: a head, then git's own output. */
function prefixStream(head: Buffer, rest: Readable): Readable {
  return Readable.from(
    (async function* () {
      yield head;
      for await (const chunk of rest) yield chunk as Buffer;
    })(),
    { objectMode: false },
  );
}

/**
 * Reads the request until the push's command list is complete. `rest` replays what was read and
 * then streams the remainder (the pack), so nothing is buffered beyond the command list.
 */
async function readPushHead(body: Readable): Promise<{ head: PushRequestHead; rest: Readable }> {
  const chunks = body[Symbol.asyncIterator]();
  let buffered = Buffer.alloc(0);
  let head: PushRequestHead | undefined;
  while (!(head = parsePushHead(buffered))) {
    const next = await chunks.next();
    if (next.done) throw new Error('the push request ended before its command list');
    buffered = Buffer.concat([buffered, next.value as Buffer]);
  }
  const start = buffered;
  const rest = Readable.from(
    (async function* () {
      yield start;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
    })(),
    { objectMode: false },
  );
  return { head, rest };
}
