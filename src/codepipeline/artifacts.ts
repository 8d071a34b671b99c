import { randomBytes } from 'node:crypto';
import type { CallerIdentity } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { allowAll, type Authorizer } from '../core/dispatch.js';
import { mountedS3, S3InternalClient, type ObjectBody } from '../s3/internal.js';

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** AWS's artifact store layout: `<pipeline name, 20 chars>/<artifact name, 10 chars>/<7 random chars>`. */
export function artifactKey(pipeline: string, artifact: string): string {
  const suffix = [...randomBytes(7)].map((b) => KEY_CHARS[b % KEY_CHARS.length]).join('');
  return `${pipeline.slice(0, 20)}/${artifact.slice(0, 10)}/${suffix}`;
}

/**
 * The artifact store and S3 actions: objects read and written as the acting role, through S3's
 * own internal client (which weighs bucket policies as a request from outside would).
 */
export class ArtifactStore {
  private client: S3InternalClient | undefined;
  private authorizer: Authorizer = allowAll;

  constructor(private readonly deps: ServiceDeps) {}

  useAuthorizer(authorize: Authorizer): void {
    this.authorizer = authorize;
  }

  /** S3 as the server mounted it, found on first use (services are created one after another). */
  private get s3(): S3InternalClient {
    this.client ??= new S3InternalClient(mountedS3(this.deps.db), (request) => this.authorizer(request), { region: this.deps.config.defaultRegion });
    return this.client;
  }

  async put(caller: CallerIdentity, bucket: string, key: string, body: ObjectBody, extra: Record<string, unknown> = {}): Promise<{ versionId?: string; etag?: string }> {
    const out = await this.s3.putObject(caller, { Bucket: bucket, Key: key, Body: body, ...extra });
    return { versionId: out.VersionId as string | undefined, etag: out.ETag as string | undefined };
  }

  async get(caller: CallerIdentity, bucket: string, key: string, versionId?: string): Promise<{ body: Buffer; versionId?: string; etag?: string }> {
    const out = await this.s3.getObject(caller, { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }, 1024 * 1024 * 1024);
    return { body: out.Body, versionId: out.VersionId as string | undefined, etag: out.ETag as string | undefined };
  }

  async head(caller: CallerIdentity, bucket: string, key: string): Promise<{ versionId?: string; etag?: string }> {
    const out = await this.s3.headObject(caller, { Bucket: bucket, Key: key });
    return { versionId: out.VersionId as string | undefined, etag: out.ETag as string | undefined };
  }
}
