/**
 * CodeCommit pull request figures (issue 16): latency of CreatePullRequest and
 * MergePullRequestByThreeWay through the real server and the AWS SDK, on a repository of 1,000
 * commits built with `git fast-import` and pushed over git smart HTTP. Each pull request comes from
 * a branch forked 500 commits back, so every merge computes a merge base across that history and
 * writes a merge commit over a tree of 500 files. Run with
 * `npx tsx bench/codecommit-pull-requests.bench.ts`. Prints figures; asserts nothing.
 */
import {
  CodeCommitClient,
  CreateBranchCommand,
  CreatePullRequestCommand,
  CreateRepositoryCommand,
  MergePullRequestByThreeWayCommand,
  PutFileCommand,
} from '@aws-sdk/client-codecommit';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer } from '../src/server.js';

const COMMITS = 1000;
const FILES = 500;
const RUNS = 30;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0' };
const git = (args: string[], cwd?: string) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: gitEnv });

/** One commit adding FILES files, then commits each rewriting one file, COMMITS in all. */
function makeRepository(dir: string): void {
  git(['init', '-q', '--bare', '--initial-branch=main', dir]);
  const parts: string[] = [];
  const commit = (mark: number, message: string, changes: string) =>
    parts.push(
      `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.com> ${1_700_000_000 + mark} +0000\ndata ${message.length}\n${message}` +
        (mark > 1 ? `from :${mark - 1}\n` : '') +
        changes +
        '\n',
    );
  const file = (n: number, version: number) => {
    const content = `// file ${n}, version ${version}\n${'x'.repeat(200)}\n`;
    return `M 100644 inline src/file-${n}.ts\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  };
  commit(1, 'initial\n', Array.from({ length: FILES }, (_, n) => file(n, 0)).join(''));
  for (let i = 2; i <= COMMITS; i++) commit(i, `edit ${i}\n`, file((i * 7919) % FILES, i));
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join(''), maxBuffer: 1 << 30, env: gitEnv });
  git(['gc', '-q'], dir);
}

const work = mkdtempSync(join(tmpdir(), 'codesuite-pr-bench-'));
const server = await startServer({ port: 0, dataDir: join(work, 'data'), logLevel: 'silent' });
try {
  const source = join(work, 'source.git');
  makeRepository(source);
  console.log(`repository: ${git(['rev-list', '--count', 'main'], source).trim()} commits, ${FILES} files`);
  const cc = new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const repositoryName = 'bench';
  const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName }));
  // Asynchronously: the server answering the push runs in this very process.
  await promisify(execFile)('git', ['push', '-q', repositoryMetadata!.cloneUrlHttp!, 'main'], { cwd: source, env: gitEnv });
  const fork = git(['rev-parse', `main~${COMMITS / 2}`], source).trim();

  const created: number[] = [];
  const merged: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const branchName = `feature-${i}`;
    await cc.send(new CreateBranchCommand({ repositoryName, branchName, commitId: fork }));
    await cc.send(new PutFileCommand({ repositoryName, branchName, parentCommitId: fork, filePath: `features/${i}.ts`, fileContent: Buffer.from(`export const f${i} = ${i};\n`) }));
    let t = performance.now();
    const { pullRequest } = await cc.send(
      new CreatePullRequestCommand({ title: `feature ${i}`, targets: [{ repositoryName, sourceReference: branchName, destinationReference: 'main' }] }),
    );
    created.push(performance.now() - t);
    t = performance.now();
    await cc.send(new MergePullRequestByThreeWayCommand({ pullRequestId: pullRequest!.pullRequestId, repositoryName }));
    merged.push(performance.now() - t);
  }
  const report = (label: string, xs: number[]) => console.log(`${label.padEnd(56)} median ${median(xs).toFixed(1)} ms   p95 ${p95(xs).toFixed(1)} ms   (${xs.length} calls)`);
  report('CreatePullRequest, source forked 500 commits back', created);
  report('MergePullRequestByThreeWay, merge base 500+ commits back', merged);
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
