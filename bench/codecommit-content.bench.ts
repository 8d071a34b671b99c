/**
 * CodeCommit content API figures (issue 4): median latency of GetFile and GetDifferences through
 * the real server and the AWS SDK, on a repository of 5,001 commits and 2,000 files built with
 * `git fast-import` and pushed over git smart HTTP. Run with `npx tsx bench/codecommit-content.bench.ts`.
 * Prints figures; asserts nothing.
 */
import { CodeCommitClient, CreateRepositoryCommand, GetDifferencesCommand, GetFileCommand, ListFileCommitHistoryCommand } from '@aws-sdk/client-codecommit';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/server.js';

const FOLDERS = 40;
const FILES_PER_FOLDER = 50;
const EDITS = 5000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];
const fileName = (n: number) => `src/module-${Math.floor(n / FILES_PER_FOLDER)}/file-${n % FILES_PER_FOLDER}.ts`;
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0' };

function git(args: string[], cwd?: string, input?: string): string {
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', maxBuffer: 1 << 30, env: gitEnv });
}

/** One commit adding every file, then EDITS commits each rewriting one line of one file. */
function makeRepository(dir: string): void {
  git(['init', '-q', '--bare', '--initial-branch=main', dir]);
  const files = FOLDERS * FILES_PER_FOLDER;
  const body = (n: number, version: number) =>
    Array.from({ length: 40 }, (_, line) => (line === version % 40 ? `export const v${n} = ${version};\n` : `// ${n}:${line}\n`)).join('');
  const parts: string[] = [];
  const commit = (mark: number, time: number, message: string, from: number | undefined, changes: string) =>
    parts.push(
      `commit refs/heads/main\nmark :${mark}\ncommitter Bench <bench@example.com> ${time} +0000\ndata ${message.length}\n${message}` +
        (from ? `from :${from}\n` : '') +
        changes +
        '\n',
    );
  let initial = '';
  for (let n = 0; n < files; n++) {
    const content = body(n, 0);
    initial += `M 100644 inline ${fileName(n)}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  commit(1, 1_700_000_000, 'initial import\n', undefined, initial);
  for (let i = 1; i <= EDITS; i++) {
    const n = (i * 7919) % files;
    const content = body(n, i);
    commit(i + 1, 1_700_000_000 + i, `edit ${i}\n`, i, `M 100644 inline ${fileName(n)}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join(''), maxBuffer: 1 << 30, env: gitEnv });
  git(['gc', '-q'], dir);
}

async function time(runs: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await call(i);
    out.push(performance.now() - t);
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'codesuite-content-bench-'));
const server = await startServer({ port: 0, dataDir: join(work, 'data'), logLevel: 'silent' });
try {
  const source = join(work, 'source.git');
  let t = performance.now();
  makeRepository(source);
  const commits = Number(git(['rev-list', '--count', 'main'], source).trim());
  const fileCount = git(['ls-tree', '-r', '--name-only', 'main'], source).trim().split('\n').length;
  console.log(`repository: ${commits} commits, ${fileCount} files, built with fast-import in ${(performance.now() - t).toFixed(0)} ms`);

  const cc = new CodeCommitClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: 'bench' }));
  t = performance.now();
  // Asynchronously: the server answering the push runs in this very process.
  await promisify(execFile)('git', ['push', '-q', repositoryMetadata!.cloneUrlHttp!, 'main'], { cwd: source, env: gitEnv });
  console.log(`pushed through the server in ${(performance.now() - t).toFixed(0)} ms`);

  const head = git(['rev-parse', 'main'], source).trim();
  const parent = git(['rev-parse', 'main~1'], source).trim();
  const old = git(['rev-parse', 'main~4000'], source).trim();
  const root = git(['rev-list', '--max-parents=0', 'main'], source).trim();
  const history = git(['rev-list', '--skip=1000', '--max-count=300', 'main'], source).trim().split('\n');
  const repositoryName = 'bench';

  // The first call pays for loading the pack index; the figures below are for a warm server.
  t = performance.now();
  await cc.send(new GetFileCommand({ repositoryName, filePath: fileName(0) }));
  console.log(`first GetFile (cold pack index): ${(performance.now() - t).toFixed(1)} ms`);

  const report = (label: string, xs: number[]) => console.log(`${label.padEnd(58)} median ${median(xs).toFixed(2)} ms   p95 ${p95(xs).toFixed(2)} ms   (${xs.length} calls)`);
  report('GetFile, default branch, spread over 2,000 files', await time(300, (i) => cc.send(new GetFileCommand({ repositoryName, filePath: fileName((i * 37) % 2000) }))));
  report('GetFile, by commit id 4,000 commits back', await time(300, (i) => cc.send(new GetFileCommand({ repositoryName, commitSpecifier: old, filePath: fileName((i * 53) % 2000) }))));
  report('GetFile, each call at another commit (trees read afresh)', await time(300, (i) => cc.send(new GetFileCommand({ repositoryName, commitSpecifier: history[i], filePath: fileName((i * 53) % 2000) }))));
  report('GetDifferences, each call another commit and its parent', await time(299, (i) => cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: history[i + 1], afterCommitSpecifier: history[i] }))));
  report('GetDifferences, a commit and its parent', await time(200, () => cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: parent, afterCommitSpecifier: head }))));
  report('GetDifferences, 4,000 commits apart (first page of 100)', await time(50, () => cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: old, afterCommitSpecifier: 'main' }))));
  report('GetDifferences, root commit to tip (first page of 100)', await time(50, () => cc.send(new GetDifferencesCommand({ repositoryName, beforeCommitSpecifier: root, afterCommitSpecifier: 'main' }))));
  report('GetDifferences, everything in the tip (no before)', await time(20, () => cc.send(new GetDifferencesCommand({ repositoryName, afterCommitSpecifier: 'main', MaxResults: 1000 }))));
  // Not asked for, but the one content call that walks history: every commit of the branch.
  report('ListFileCommitHistory, one file, whole history walked', await time(5, (i) => cc.send(new ListFileCommitHistoryCommand({ repositoryName, filePath: fileName(i) }))));
} finally {
  await server.stop();
  rmSync(work, { recursive: true, force: true });
}
