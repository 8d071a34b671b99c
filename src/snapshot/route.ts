import type { FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.js';
import { isAwsError } from '../core/errors.js';
import type { Identity } from '../core/identity.js';
import { sha256Hex } from '../core/sigv4-verify.js';
import type { Db } from '../core/store/db.js';
import { packSnapshot } from './archive.js';
import { captureSnapshot, sweepStaging } from './capture.js';
import { makeManifest } from './manifest.js';

export const SNAPSHOT_PATH = '/_codesuite/snapshot';

export interface SnapshotRouteDeps {
  db: Db;
  dataDir: string;
  accountId: string;
  identity: Identity;
  clock: Clock;
  endpoint: () => string;
  skip: (relativePath: string) => boolean;
}

/**
 * `POST /_codesuite/snapshot`: the server's whole state as a tar.gz (see captureSnapshot for
 * how it stays consistent while requests keep coming). It hands out every secret the server
 * holds, so under IAM enforcement only the account's root user, by a verified signature, may
 * take it: no IAM action covers it, and no policy can grant it.
 */
export function mountSnapshotRoute(app: FastifyInstance, deps: SnapshotRouteDeps): void {
  sweepStaging(deps.dataDir);
  app.post(SNAPSHOT_PATH, async (request, reply) => {
    if (deps.identity.enforcing) {
      try {
        const ctx = deps.identity.context(request, deps.endpoint(), 'json', sha256Hex(''));
        if (ctx.caller.type !== 'root') {
          return reply.code(403).send({ __type: 'AccessDeniedException', message: `${ctx.caller.arn} is not authorized to take a snapshot: only the account's root user may` });
        }
      } catch (err) {
        if (!isAwsError(err)) throw err;
        return reply.code(err.statusCode).send({ __type: err.code, message: err.message });
      }
    }
    const manifest = makeManifest(deps.db, deps.accountId, deps.clock.now());
    const staging = captureSnapshot({ db: deps.db, dataDir: deps.dataDir, skip: deps.skip });
    return reply
      .header('content-type', 'application/gzip')
      .header('content-disposition', `attachment; filename="codesuite-${manifest.createdAt.replace(/[:.]/g, '-')}.tar.gz"`)
      .send(packSnapshot(staging, manifest));
  });
}
