import type { ProjectSource } from '@aws-sdk/client-codebuild';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gitEnv } from '../codecommit/git-env.js';
import type { CallerIdentity } from '../core/context.js';
import { isAwsError } from '../core/errors.js';
import type { Scope } from './arns.js';
import type { Platform, RepositoryRef } from './platform.js';
import { extractZip, ZipError } from '../core/archives/zip.js';

const run = promisify(execFile);

/** A source CodeBuild could not download: DOWNLOAD_SOURCE fails with this context. */
export class SourceError extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface FetchedSource {
  /** CODEBUILD_RESOLVED_SOURCE_VERSION: the commit a git source was checked out at. */
  resolvedVersion?: string;
  /** CODEBUILD_SOURCE_REPO_URL. */
  repoUrl: string;
  /** The directory under the build's source root (`git-codecommit.<region>.amazonaws.com/v1/repos/<repo>` for CodeCommit). */
  subPath: string;
}

export interface FetchContext {
  platform: Platform;
  scope: Scope;
  principal: CallerIdentity;
  /** Which source this is in messages: `primary source` or `secondary source <id>`. */
  label: string;
  log: (line: string) => void;
}

/** `https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>` or codesuite's own clone URL: the repository's name and region. */
export function parseCodeCommitLocation(location: string, fallbackRegion: string): { name: string; region: string } | undefined {
  const m = /\/v1\/repos\/([^/?#]+?)(?:\.git)?\/?$/.exec(location);
  if (!m) return undefined;
  const host = /git-codecommit\.([a-z0-9-]+)\.amazonaws\.com/.exec(location)?.[1];
  const pathRegion = /\/([a-z]{2}(?:-[a-z]+)+-\d+)\/v1\/repos\//.exec(location)?.[1];
  return { name: decodeURIComponent(m[1]), region: host ?? pathRegion ?? fallbackRegion };
}

/** `bucket/key`, `arn:aws:s3:::bucket/key` or `s3://bucket/key`. */
export function parseS3Location(location: string): { bucket: string; key: string } | undefined {
  const rest = location.replace(/^arn:aws[a-z-]*:s3:::/, '').replace(/^s3:\/\//, '');
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  return { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

/** Downloads one source into `dest` (a host directory). */
export async function fetchSource(source: ProjectSource, version: string | undefined, dest: string, gitCloneDepth: number | undefined, ctx: FetchContext): Promise<FetchedSource> {
  await mkdir(dest, { recursive: true });
  switch (source.type) {
    case 'NO_SOURCE':
      return { repoUrl: '', subPath: '' };
    case 'CODECOMMIT':
      return fetchCodeCommit(source, version, dest, gitCloneDepth, ctx);
    case 'S3':
    case 'CODEPIPELINE':
      return fetchS3Zip(source, version, dest, ctx);
    default:
      throw new SourceError(
        'CLIENT_ERROR',
        `codesuite cannot download ${source.type} sources: builds reach only codesuite's own CodeCommit repositories and S3 buckets (${ctx.label})`,
      );
  }
}

async function fetchS3Zip(source: ProjectSource, version: string | undefined, dest: string, ctx: FetchContext): Promise<FetchedSource> {
  const location = parseS3Location(source.location ?? '');
  if (!location || !location.key) throw new SourceError('CLIENT_ERROR', `invalid S3 source location ${source.location ?? ''} for ${ctx.label}`);
  if (location.key.endsWith('/')) {
    throw new SourceError('CLIENT_ERROR', `codesuite downloads S3 sources that are zip files; ${source.location} names a folder (${ctx.label})`);
  }
  const repoUrl = `s3://${location.bucket}/${location.key}`;
  // Under CodePipeline the version is the input artifact's ARN, not an object version.
  const versionId = source.type === 'S3' && version ? version : undefined;
  let body: Buffer;
  try {
    body = await ctx.platform.getObject(ctx.principal, location.bucket, location.key, versionId);
  } catch (err) {
    if (isAwsError(err)) {
      const code = err.code === 'AccessDenied' || err.code === 'AccessDeniedException' ? 'ACCESS_DENIED' : 'CLIENT_ERROR';
      throw new SourceError(code, `error while downloading key ${location.key}, error: ${err.code}: ${err.message} for ${ctx.label}`);
    }
    throw err;
  }
  try {
    const n = await extractZip(body, dest);
    ctx.log(`Extracted ${n} file(s) from ${repoUrl}`);
  } catch (err) {
    if (err instanceof ZipError) throw new SourceError('CLIENT_ERROR', `zip: not a valid zip file (${location.key}): ${err.message} for ${ctx.label}`);
    throw err;
  }
  return { repoUrl, subPath: '' };
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-c', 'advice.detachedHead=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env: gitEnv(), maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

interface ResolvedVersion {
  /** What to fetch: a ref name or a commit id. */
  fetch: string;
  commit: string;
  /** A branch to check out under its own name. */
  branch?: string;
}

async function resolveVersion(platform: Platform, repo: RepositoryRef, version: string | undefined, label: string): Promise<ResolvedVersion> {
  const refs = await platform.refs(repo);
  const notFound = () => new SourceError('CLIENT_ERROR', `reference not found for ${label} and source version ${version ?? ''}`);
  if (!version) {
    const branch = repo.defaultBranch ?? (refs.has('refs/heads/main') ? 'main' : [...refs.keys()].find((r) => r.startsWith('refs/heads/'))?.slice(11));
    const commit = branch ? refs.get(`refs/heads/${branch}`) : undefined;
    if (!branch || !commit) throw new SourceError('CLIENT_ERROR', `repository ${repo.name} is empty: there is no default branch to build (${label})`);
    return { fetch: `refs/heads/${branch}`, commit, branch };
  }
  // `refs/heads/<branch>^{<commit>}`: that commit, as reached from that branch.
  const pinned = /^(refs\/[^^]+)\^\{([0-9a-f]{40})\}$/.exec(version);
  if (pinned) {
    if ((await platform.objectType(repo, pinned[2])) !== 'commit') throw notFound();
    const branch = pinned[1].startsWith('refs/heads/') ? pinned[1].slice(11) : undefined;
    return { fetch: pinned[2], commit: pinned[2], branch };
  }
  for (const ref of version.startsWith('refs/') ? [version] : [`refs/heads/${version}`, `refs/tags/${version}`]) {
    const oid = refs.get(ref);
    if (oid) {
      const commit = ref.startsWith('refs/tags/') ? (await platform.objectType(repo, oid)) === 'tag' ? await peel(repo, oid) : oid : oid;
      return { fetch: ref, commit, branch: ref.startsWith('refs/heads/') ? ref.slice(11) : undefined };
    }
  }
  if (/^[0-9a-f]{40}$/.test(version) && (await platform.objectType(repo, version)) === 'commit') return { fetch: version, commit: version };
  if (/^[0-9a-f]{4,39}$/.test(version)) {
    try {
      const full = (await git(repo.gitDir, 'rev-parse', '--verify', '--quiet', `${version}^{commit}`)).trim();
      if (full) return { fetch: full, commit: full };
    } catch {
      // Not a commit of this repository.
    }
  }
  throw notFound();
}

async function peel(repo: RepositoryRef, oid: string): Promise<string> {
  return (await git(repo.gitDir, 'rev-parse', `${oid}^{commit}`)).trim();
}

/**
 * A full checkout (with `.git`) of the requested commit, branch or tag, from the server's own
 * bare repository, the way CodeBuild checks out a CodeCommit source. `gitCloneDepth` 1–25
 * makes a shallow history; 0 or anything larger takes all of it.
 */
async function fetchCodeCommit(source: ProjectSource, version: string | undefined, dest: string, depth: number | undefined, ctx: FetchContext): Promise<FetchedSource> {
  const location = source.location ?? '';
  const parsed = parseCodeCommitLocation(location, ctx.scope.region);
  if (!parsed) throw new SourceError('CLIENT_ERROR', `invalid CodeCommit source location ${location} for ${ctx.label}`);
  const scope = { accountId: ctx.scope.accountId, region: parsed.region };
  const repo = ctx.platform.repository(scope, parsed.name);
  const arn = `arn:aws:codecommit:${scope.region}:${scope.accountId}:${parsed.name}`;
  if (!repo) throw new SourceError('CLIENT_ERROR', `repository not found for ${ctx.label} and source version ${version ?? ''}: ${parsed.name}`);
  try {
    await ctx.platform.authorize(ctx.principal, scope.region, 'codecommit:GitPull', arn);
  } catch (err) {
    if (isAwsError(err)) throw new SourceError('ACCESS_DENIED', `${err.message} (${ctx.label})`);
    throw err;
  }
  const resolved = await resolveVersion(ctx.platform, repo, version, ctx.label);
  const shallow = depth !== undefined && depth > 0 && depth <= 25;
  const repoUrl = `https://git-codecommit.${scope.region}.amazonaws.com/v1/repos/${parsed.name}`;
  ctx.log(`Cloning ${repoUrl} at ${version ?? resolved.branch ?? resolved.commit}${shallow ? ` with depth ${depth}` : ''}`);
  await git(dest, 'init', '-q');
  await git(dest, 'remote', 'add', 'origin', repoUrl);
  // Fetch from the bare repository itself; `origin` keeps the CodeCommit URL, as in a CodeBuild checkout.
  const fetchArgs = ['fetch', '-q', '--no-tags', ...(shallow ? [`--depth=${depth}`] : []), `file://${repo.gitDir}`];
  await git(dest, ...fetchArgs, shallow ? resolved.fetch : `+${resolved.fetch}:refs/codesuite/build`);
  if (!shallow && resolved.branch) await git(dest, 'fetch', '-q', `file://${repo.gitDir}`, `+refs/heads/*:refs/remotes/origin/*`, '+refs/tags/*:refs/tags/*');
  if (resolved.branch) await git(dest, 'checkout', '-q', '-B', resolved.branch, resolved.commit);
  else await git(dest, 'checkout', '-q', '--detach', resolved.commit);
  if (!shallow) await git(dest, 'update-ref', '-d', 'refs/codesuite/build').catch(() => '');
  return { resolvedVersion: resolved.commit, repoUrl, subPath: `git-codecommit.${scope.region}.amazonaws.com/v1/repos/${parsed.name}` };
}
