import type { BuildArtifacts, ProjectArtifacts } from '@aws-sdk/client-codebuild';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { CallerIdentity } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import type { ArtifactSpec } from './buildspec.js';
import { selectFiles } from './file-patterns.js';
import type { Platform } from './platform.js';
import { parseS3Location } from './sources.js';
import { writeZip } from '../core/archives/zip.js';

/** UPLOAD_ARTIFACTS failed: the phase context. */
export class ArtifactError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface UploadContext {
  platform: Platform;
  principal: CallerIdentity;
  buildArn: string;
  buildUuid: string;
  /** Host directory holding CODEBUILD_SRC_DIR's files. */
  root: string;
  scratch: string;
  log: (line: string) => void;
  /** Evaluates `artifacts.name` in the build's shell. */
  expandName: (name: string) => Promise<string>;
}

/** Joins key parts with single slashes, dropping empty ones. */
const keyOf = (...parts: (string | undefined)[]) =>
  parts
    .filter((p): p is string => p !== undefined && p !== '' && p !== '/')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');

/**
 * Collects the files a buildspec `artifacts` section selects and stores them where the project's
 * artifacts configuration says: one zip, or each file under a prefix, in S3 (CODEPIPELINE: the
 * output artifact's zip in the pipeline's artifact store).
 */
export async function uploadArtifact(config: ProjectArtifacts, spec: ArtifactSpec | undefined, ctx: UploadContext, secondary: boolean): Promise<BuildArtifacts> {
  const base: BuildArtifacts = {
    ...(config.artifactIdentifier ? { artifactIdentifier: config.artifactIdentifier } : {}),
    ...(config.overrideArtifactName !== undefined ? { overrideArtifactName: config.overrideArtifactName } : {}),
    ...(config.encryptionDisabled !== undefined ? { encryptionDisabled: config.encryptionDisabled } : {}),
  };
  if (config.type === 'NO_ARTIFACTS') return { ...base, location: '' };
  if (!spec || spec.files.length === 0) {
    throw new ArtifactError(
      'CLIENT_ERROR',
      secondary ? `no definition for secondary artifact ${config.artifactIdentifier ?? ''} in buildspec` : 'no definition for primary artifacts in buildspec',
    );
  }
  ctx.log(`Expanding base directory path: ${spec.baseDirectory ?? '.'}`);
  ctx.log('Assembling file list');
  for (const pattern of spec.files) ctx.log(`Expanding ${pattern}`);
  const { matched, unmatched } = await selectFiles(ctx.root, {
    files: spec.files,
    baseDirectory: spec.baseDirectory,
    discardPaths: spec.discardPaths,
    excludePaths: spec.excludePaths,
  });
  for (const pattern of unmatched) ctx.log(`Skipping invalid file path ${pattern}`);
  if (matched.length === 0) throw new ArtifactError('CLIENT_ERROR', 'no matching artifact paths found');
  ctx.log(`Found ${matched.length} file(s)`);

  let name = config.name ?? '';
  if (config.overrideArtifactName && spec.name) name = await ctx.expandName(spec.name);
  const metadata = { 'codebuild-buildarn': ctx.buildArn };
  try {
    if (config.type === 'CODEPIPELINE') {
      const location = parseS3Location(config.location ?? '');
      if (!location) throw new ArtifactError('CLIENT_ERROR', `invalid CODEPIPELINE artifact location ${config.location ?? ''}`);
      const zip = join(ctx.scratch, `artifact-${config.artifactIdentifier ?? 'primary'}.zip`);
      const sums = await writeZip(zip, matched, { symlinks: spec.enableSymlinks });
      await ctx.platform.putObject(ctx.principal, location.bucket, location.key, createReadStream(zip), {
        ...metadata,
        'codebuild-content-md5': sums.md5,
        'codebuild-content-sha256': sums.sha256,
      }, 'application/zip');
      return { ...base, location: `arn:aws:s3:::${location.bucket}/${location.key}`, md5sum: sums.md5, sha256sum: sums.sha256 };
    }
    const bucket = config.location ?? '';
    const prefix = config.namespaceType === 'BUILD_ID' ? keyOf(spec.s3Prefix ?? config.path, ctx.buildUuid) : keyOf(config.path);
    if (config.packaging === 'ZIP') {
      const key = keyOf(prefix, name);
      const zip = join(ctx.scratch, `artifact-${config.artifactIdentifier ?? 'primary'}.zip`);
      const sums = await writeZip(zip, matched, { symlinks: spec.enableSymlinks });
      await ctx.platform.putObject(ctx.principal, bucket, key, createReadStream(zip), {
        ...metadata,
        'codebuild-content-md5': sums.md5,
        'codebuild-content-sha256': sums.sha256,
      }, 'application/zip');
      return { ...base, location: `arn:aws:s3:::${bucket}/${key}`, md5sum: sums.md5, sha256sum: sums.sha256 };
    }
    const folder = keyOf(prefix, name);
    for (const file of matched) {
      await ctx.platform.putObject(ctx.principal, bucket, keyOf(folder, file.name), createReadStream(file.path), metadata);
    }
    return { ...base, location: `arn:aws:s3:::${folder ? `${bucket}/${folder}` : bucket}` };
  } catch (err) {
    if (isAwsError(err)) throw new ArtifactError('CLIENT_ERROR', `Error while uploading artifacts: ${err.code}: ${err.message}`);
    throw err;
  }
}
