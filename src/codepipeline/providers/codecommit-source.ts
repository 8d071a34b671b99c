import { execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { extractTar } from '../../core/archives/tar.js';
import { writeZip } from '../../core/archives/zip.js';
import { gitEnv } from '../../codecommit/git-env.js';
import { GitStorage } from '../../codecommit/git-storage.js';
import { RepositoryStore } from '../../codecommit/repository-store.js';
import { filesUnder } from './files.js';
import { failed, type ActionRun, type Provider } from './provider.js';

const run = promisify(execFile);

const git = async (cwd: string, ...args: string[]) =>
  (await run('git', ['-c', 'advice.detachedHead=false', ...args], { cwd, env: gitEnv(), maxBuffer: 128 * 1024 * 1024 })).stdout;

const utc = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Source from CodeCommit: the branch head (or the commit the trigger or an override named),
 * read as the pipeline's role (codecommit:GetBranch and GetCommit decide), zipped into the
 * artifact store. CODEBUILD_CLONE_REF keeps the repository's git metadata in the artifact, so the
 * build that consumes it has a working clone.
 */
export function codeCommitSource(): Provider {
  return {
    async run(r: ActionRun) {
      const config = r.action.input.resolvedConfiguration;
      const as = { caller: r.caller, region: r.action.input.region };
      const repositoryName = config.RepositoryName;
      const branchName = config.BranchName;
      const override = r.execution.sourceOverrides[r.action.action];
      let commitId = override?.revisionType === 'COMMIT_ID' ? override.revisionValue : undefined;
      if (!commitId) {
        const got = await r.deps.internal.call<{ branch?: { commitId?: string } }>('codecommit', 'GetBranch', { repositoryName, branchName }, as);
        commitId = got.branch?.commitId;
      }
      if (!commitId) return failed(`The branch ${branchName} of repository ${repositoryName} has no commit.`, 'RevisionUnavailable');
      await r.deps.internal.call('codecommit', 'GetCommit', { repositoryName, commitId }, as);

      const repo = new RepositoryStore(r.deps.db).find(r.execution.accountId, r.action.input.region, repositoryName);
      if (!repo) return failed(`The repository ${repositoryName} does not exist.`, 'ConfigurationError');
      const gitDir = new GitStorage(join(dirname(r.deps.filesDir), 'codecommit')).dir(repo.id);
      const work = await mkdtemp(join(tmpdir(), 'codepipeline-source-'));
      try {
        const tree = join(work, 'tree');
        const [authorDate, committerDate, ...message] = (await git(work, `--git-dir=${gitDir}`, 'log', '-1', '--format=%aI%n%cI%n%B', commitId)).split('\n');
        if (config.OutputArtifactFormat === 'CODEBUILD_CLONE_REF') {
          await run('git', ['clone', '-q', '--no-checkout', `file://${gitDir}`, tree], { env: gitEnv() });
          await git(tree, 'checkout', '-q', '-B', branchName, commitId);
          await git(tree, 'remote', 'set-url', 'origin', `https://git-codecommit.${repo.region}.amazonaws.com/v1/repos/${repositoryName}`);
        } else {
          const archive = spawn('git', [`--git-dir=${gitDir}`, 'archive', '--format=tar', commitId], { env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
          await extractTar(archive.stdout, tree);
        }
        const zip = join(work, 'artifact.zip');
        await writeZip(zip, await filesUnder(tree));
        const out = r.action.input.outputArtifacts[0];
        await r.artifacts.put(r.caller, out.bucket, out.key, createReadStream(zip), { ContentType: 'application/zip' });
        const commitMessage = message.join('\n').trim();
        return {
          status: 'Succeeded',
          summary: commitMessage.slice(0, 2048),
          externalId: commitId,
          outputVariables: {
            CommitId: commitId,
            CommitMessage: commitMessage.slice(0, 100 * 1024),
            RepositoryName: repositoryName,
            BranchName: branchName,
            AuthorDate: utc(authorDate),
            CommitterDate: utc(committerDate),
          },
          revision: { revisionId: commitId, revisionSummary: commitMessage.slice(0, 2048), created: Date.parse(committerDate) },
        };
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    },
  };
}
