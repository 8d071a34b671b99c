import { randomBytes } from 'node:crypto';
import type { ServiceDeps } from '../core/deps.js';
import { loadModel } from '../core/models/model.js';
import type { ServiceDefinition } from '../core/service.js';
import { migrate } from '../core/store/db.js';
import { BlobStore } from './blob-store.js';
import { bucketOperations } from './bucket-operations.js';
import type { S3Deps } from './deps.js';
import { listingOperations } from './listing-operations.js';
import { migrations } from './migrations.js';
import { multipartOperations } from './multipart-operations.js';
import { objectAttributeOperations } from './object-attributes.js';
import { objectOperations } from './object-operations.js';
import { objectTaggingOperations } from './object-tagging-operations.js';
import { registerS3 } from './internal.js';
import { s3Front } from './rest-front.js';
import { S3Store } from './store.js';
import { s3ValidationError } from './validation.js';

/**
 * S3 over REST-XML on the server's one port: buckets, versioned objects streamed to files,
 * multipart uploads, tagging and bucket policies. It takes the requests signed for `s3`,
 * presigned S3 URLs, and unsigned requests no other front took.
 */
/** The S3 service, with the one read other code needs besides its operations: a bucket's policy. */
export interface S3ServiceDefinition extends ServiceDefinition {
  bucketPolicy(bucket: string): string | undefined;
}

export function createS3(deps: ServiceDeps): S3ServiceDefinition {
  migrate(deps.db, 's3', migrations);
  const model = loadModel('s3');
  const store = new S3Store(deps.db);
  const blobs = new BlobStore(deps.filesDir);
  const swept = blobs.sweep(store.referencedBlobs());
  if (swept > 0) deps.logger.warn({ files: swept }, 'removed object files no version or part referenced (left by an interrupted write)');
  const s3: S3Deps = {
    store,
    blobs,
    clock: deps.clock,
    newVersionId: () => randomBytes(24).toString('base64url'),
    newUploadId: () => randomBytes(48).toString('base64url'),
  };
  const front = s3Front(model, () => definition, s3, deps.config.bodyLimit);
  const definition: S3ServiceDefinition = {
    name: 's3',
    bucketPolicy: (bucket) => store.bucket(bucket)?.policy,
    model,
    operations: {
      ...bucketOperations(s3),
      ...objectOperations(s3),
      ...objectAttributeOperations(s3),
      ...listingOperations(s3),
      ...multipartOperations(s3),
      ...objectTaggingOperations(s3),
    },
    validationError: s3ValidationError(model),
    // Uploads still being received; an object exists only once renamed into blobs/.
    transientFiles: (path) => path === 'tmp' || path.startsWith('tmp/'),
    rest: {
      claims: (request, signingService) => signingService === 's3' || signingService === undefined,
      handle: front.handle,
      sendError: front.sendError,
    },
  };
  registerS3(deps.db, definition);
  return definition;
}
