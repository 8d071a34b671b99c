import type { RequestContext } from '../core/context.js';
import type { AwsError } from '../core/errors.js';
import { isValidBranchName } from './branch-names.js';
import { listBranches, readRef } from './commit-specifiers.js';
import { branchDoesNotExist, inputError } from './errors.js';
import { FULL_OID, type Signature } from './git-objects.js';
import type { Repositories } from './repositories.js';
import type { RepositoryRecord } from './repository-store.js';
import { publishRefChanges } from './state-change-events.js';

/** CodeCommit limits commit messages to 256 KB. */
const MAX_MESSAGE_BYTES = 256 * 1024;
/** CodeCommit documents a limit for author names without its value; git itself has none. */
const MAX_NAME_LENGTH = 1024;
/** The longest address RFC 5321 allows. */
const MAX_EMAIL_LENGTH = 320;

/** Who a commit made through the API is by, and why. */
export interface Authorship {
  author: Signature;
  message: string;
}

/**
 * The author and committer of an API commit. Without a name CodeCommit uses the caller's ARN and
 * without an email it leaves the address blank, as its API reference says.
 */
export function authorship(
  repos: Repositories,
  ctx: RequestContext,
  input: { name?: string; email?: string; message?: string },
  defaultMessage: string,
): Authorship {
  const name = input.name ?? '';
  if (name.length > MAX_NAME_LENGTH) throw inputError('NameLengthExceededException');
  const email = input.email ?? '';
  if (email.length > MAX_EMAIL_LENGTH || /[<>\s]/.test(email)) throw inputError('InvalidEmailException');
  const message = input.message ?? '';
  if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) throw inputError('CommitMessageLengthExceededException');
  const timestamp = Math.floor(repos.deps.clock.now().getTime() / 1000);
  return {
    // git drops the characters that would break its header line; so does this.
    author: { name: (name || ctx.principalArn).replace(/[<>\n]/g, '').trim(), email, timestamp, timezone: '+0000' },
    message: withNewline(message || defaultMessage),
  };
}

function withNewline(message: string): string {
  return message.endsWith('\n') ? message : `${message}\n`;
}

/** A branch name the content API can write to, with the name checks CodeCommit makes. */
export async function checkWritableBranch(repos: Repositories, repo: RepositoryRecord, branch: string): Promise<string | undefined> {
  if (!isValidBranchName(branch)) throw inputError('InvalidBranchNameException');
  const tip = await readRef(repos, repo, `refs/heads/${branch}`);
  if (!tip && (await readRef(repos, repo, `refs/tags/${branch}`))) throw inputError('BranchNameIsTagNameException');
  return tip;
}

/**
 * The parent a new commit on a branch builds on. An existing branch needs the caller to name its
 * current tip; only a repository without any branch may start one without a parent.
 */
export async function checkParent(
  repos: Repositories,
  repo: RepositoryRecord,
  tip: string | undefined,
  parentCommitId: string | undefined,
): Promise<string | undefined> {
  if (parentCommitId !== undefined && parentCommitId !== '') {
    if (!FULL_OID.test(parentCommitId)) throw inputError('InvalidParentCommitIdException');
    if (!(await repos.git.objects(repo.id).commit(parentCommitId))) throw inputError('ParentCommitDoesNotExistException');
  }
  if (!tip) {
    if ((await listBranches(repos, repo)).length > 0) throw branchDoesNotExist();
    if (parentCommitId) throw inputError('ParentCommitDoesNotExistException');
    return undefined;
  }
  if (!parentCommitId) throw inputError('ParentCommitIdRequiredException');
  if (parentCommitId !== tip) throw inputError('ParentCommitIdOutdatedException');
  return tip;
}

/**
 * Writes a commit and moves the branch to it, but only from the tip the caller's checks saw: a
 * push or another API call that moved the branch meanwhile makes this fail with `onRace` and
 * leaves the branch as the other writer left it. The first branch of an empty repository becomes
 * its default branch. Publishes the same state-change event a push does.
 */
export async function commitToBranch(
  repos: Repositories,
  repo: RepositoryRecord,
  ctx: RequestContext,
  change: { branch: string; expectedTip: string | undefined; tree: string; parents: string[]; authorship: Authorship; onRace: () => AwsError },
): Promise<string> {
  const objects = repos.git.objects(repo.id);
  const { author, message } = change.authorship;
  const commitId = await objects.writeCommit({ tree: change.tree, parents: change.parents, author, committer: author, message });
  await moveBranch(repos, repo, ctx, change.branch, commitId, change.expectedTip, change.onRace);
  return commitId;
}

/** Compare-and-swap of a branch to an existing commit, with the bookkeeping a push gets. */
export async function moveBranch(
  repos: Repositories,
  repo: RepositoryRecord,
  ctx: RequestContext,
  branch: string,
  commitId: string,
  expectedTip: string | undefined,
  onRace: () => AwsError,
): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const reason = `codecommit: ${ctx.principalArn}`;
  if (!(await repos.git.updateRef(repo.id, ref, commitId, expectedTip, reason))) throw onRace();
  const current = repos.store.byId(repo.id) ?? repo;
  if (!current.defaultBranch) {
    await repos.git.setHead(repo.id, branch);
    repos.store.update(repo.id, { defaultBranch: branch }, repos.now());
  } else {
    repos.store.touch(repo.id, repos.now());
  }
  publishRefChanges(repos.deps, current, [{ ref, oldCommitId: expectedTip, newCommitId: commitId }], ctx.principalArn);
}
