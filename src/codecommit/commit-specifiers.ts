import type { Commit } from '@aws-sdk/client-codecommit';
import { commitDoesNotExist, inputError } from './errors.js';
import { FULL_OID, type GitObjects, type ParsedCommit, type Signature } from './git-objects.js';
import { isoGit } from './isomorphic-git.js';
import { lookupRef } from './ref-lookup.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';

/** A specifier that can never name a ref (git check-ref-format) is invalid rather than unknown. */
const BAD_REF = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.lock$|\.$/;

/** How an operation names the failures of one of its specifier members. */
export interface SpecifierErrors {
  required?: string;
  invalid?: string;
}

/**
 * Resolves what CodeCommit calls a commit specifier: a full commit id, a branch, a tag, `HEAD` or
 * a full ref (`refs/heads/main`). A name that is both a branch and a tag means the branch: branches
 * are what the content API works with. Annotated tags are followed to their commit.
 */
export async function resolveCommit(
  repos: Repositories,
  repo: RepositoryRecord,
  specifier: string | undefined,
  errors: SpecifierErrors = {},
): Promise<string> {
  if (specifier === undefined || specifier === '') throw inputError(errors.required ?? 'CommitRequiredException');
  const objects = repos.git.objects(repo.id);
  if (FULL_OID.test(specifier.toLowerCase())) {
    const peeled = await objects.peel(specifier.toLowerCase());
    if (peeled?.type === 'commit') return peeled.oid;
    throw commitDoesNotExist();
  }
  if (BAD_REF.test(specifier)) throw inputError(errors.invalid ?? 'InvalidCommitException');
  const candidates = specifier === 'HEAD' || specifier.startsWith('refs/') ? [specifier] : [`refs/heads/${specifier}`, `refs/tags/${specifier}`];
  for (const ref of candidates) {
    const oid = await readRef(repos, repo, ref);
    if (!oid) continue;
    const peeled = await objects.peel(oid);
    if (peeled?.type === 'commit') return peeled.oid;
  }
  throw commitDoesNotExist();
}

/** The commit an omitted specifier means: the tip of the default branch. */
export async function resolveOptionalCommit(repos: Repositories, repo: RepositoryRecord, specifier: string | undefined): Promise<string> {
  if (specifier !== undefined && specifier !== '') return resolveCommit(repos, repo, specifier);
  const head = await readRef(repos, repo, 'HEAD');
  if (!head) throw commitDoesNotExist();
  return head;
}

/** The object a ref points at (symbolic refs followed), or undefined when it does not exist. */
export function readRef(repos: Repositories, repo: RepositoryRecord, ref: string): Promise<string | undefined> {
  return lookupRef(repos.git.dir(repo.id), ref);
}

export async function listBranches(repos: Repositories, repo: RepositoryRecord): Promise<string[]> {
  const { git, fs } = await isoGit();
  return git.listBranches({ fs, gitdir: repos.git.dir(repo.id) });
}

/** The commit as the API describes it. */
export function commitView(c: ParsedCommit): Commit {
  return {
    commitId: c.oid,
    treeId: c.tree,
    parents: c.parents,
    // The object ends its message with a newline, as git writes it; the API shows the text alone.
    message: c.message.replace(/\n$/, ''),
    author: userInfo(c.author),
    committer: userInfo(c.committer),
    additionalData: '',
  };
}

function userInfo(s: Signature) {
  return { name: s.name, email: s.email, date: `${s.timestamp} ${s.timezone}` };
}

/** Reads a commit the caller already resolved; a missing one here means the repository is damaged. */
export async function loadCommit(objects: GitObjects, oid: string): Promise<ParsedCommit> {
  const commit = await objects.commit(oid);
  if (!commit) throw commitDoesNotExist();
  return commit;
}
