import type { Clock } from '../core/clock.js';
import type { BlobStore } from './blob-store.js';
import type { S3Store } from './store.js';

/** What every S3 operation works with. */
export interface S3Deps {
  store: S3Store;
  blobs: BlobStore;
  clock: Clock;
  /** New version and upload ids. */
  newVersionId: () => string;
  newUploadId: () => string;
}

/** S3's limits: 5 GiB in one PUT or part, 5 TiB for an object, parts of at least 5 MiB but the last. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PARTS = 10000;
