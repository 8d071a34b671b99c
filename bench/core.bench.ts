/**
 * Server core and CodeCommit figures (issue 2): start-to-healthy time and idle RSS of the built
 * server, CreateRepository+GetRepository calls per second, and `git clone` of a repository of
 * 5,000 commits through the server next to git's own transport (`git clone --no-local`).
 * Run with `npm run bench` (it builds first). Prints figures; asserts nothing.
 */
import { CodeCommitClient, CreateRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMITS = 5000;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return kb / 1024;
}

async function startBuilt(dataDir: string): Promise<{ child: ChildProcess; endpoint: string; readyMs: number }> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['dist/cli.js', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/_codesuite/health`)).ok) break;
    } catch {
      await sleep(2);
    }
  }
  return { child, endpoint, readyMs: performance.now() - started };
}

async function stopBuilt(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

function git(args: string[], cwd?: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() } });
}

/** A linear history of COMMITS commits, each changing one of 50 files, written with fast-import. */
function makeHistory(dir: string): void {
  git(['init', '-q', '--bare', '--initial-branch=main', dir]);
  let stream = '';
  for (let i = 1; i <= COMMITS; i++) {
    const content = `line ${i}\n`.repeat(20);
    stream += `blob\nmark :${i * 2}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    const message = `commit ${i}\n`;
    stream += `commit refs/heads/main\nmark :${i * 2 + 1}\ncommitter Bench <bench@example.com> ${1700000000 + i} +0000\ndata ${message.length}\n${message}`;
    if (i > 1) stream += `from :${i * 2 - 1}\n`;
    stream += `M 100644 :${i * 2} file-${i % 50}.txt\n\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream, maxBuffer: 1 << 30 });
  git(['gc', '-q'], dir);
}

function timeClone(source: string, extra: string[], work: string): number {
  const target = join(work, `clone-${Math.random().toString(36).slice(2)}`);
  const t = performance.now();
  git(['clone', '-q', ...extra, source, target]);
  const ms = performance.now() - t;
  rmSync(target, { recursive: true, force: true });
  return ms;
}

const work = mkdtempSync(join(tmpdir(), 'codesuite-bench-'));
try {
  // 1. Start-to-healthy and idle RSS.
  const ready: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const data = join(work, `start-${i}`);
    const { child, readyMs } = await startBuilt(data);
    ready.push(readyMs);
    await sleep(1500);
    rss.push(rssMb(child.pid!));
    await stopBuilt(child);
  }
  console.log(`start to healthy: median ${median(ready).toFixed(0)} ms over ${RUNS} starts (target <= 300 ms)`);
  console.log(`idle RSS:         median ${median(rss).toFixed(1)} MB (target <= 80 MB)`);

  // 2. CreateRepository + GetRepository pairs per second, 8 in flight.
  const { child, endpoint } = await startBuilt(join(work, 'api'));
  const cc = new CodeCommitClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const PAIRS = 1000;
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < PAIRS) {
        const name = `bench-${next++}`;
        await cc.send(new CreateRepositoryCommand({ repositoryName: name }));
        await cc.send(new GetRepositoryCommand({ repositoryName: name }));
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  console.log(`API: ${(PAIRS / seconds).toFixed(0)} CreateRepository+GetRepository pairs/s (${((2 * PAIRS) / seconds).toFixed(0)} calls/s), 8 concurrent`);

  // 3. Clone of a 5,000-commit repository: through the server vs git's own transport.
  const bare = join(work, 'history.git');
  makeHistory(bare);
  const { repositoryMetadata } = await cc.send(new CreateRepositoryCommand({ repositoryName: 'history' }));
  git(['push', '-q', repositoryMetadata!.cloneUrlHttp!, 'main'], bare);
  // The server repacks a pushed repository once pushes stop (as git hosts do); clone after that.
  await sleep(4000);
  const viaServer: number[] = [];
  const viaGit: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    viaServer.push(timeClone(repositoryMetadata!.cloneUrlHttp!, [], work));
    viaGit.push(timeClone(bare, ['--no-local'], work));
  }
  const s = median(viaServer);
  const g = median(viaGit);
  console.log(`git clone of ${COMMITS} commits: server ${s.toFixed(0)} ms, git --no-local ${g.toFixed(0)} ms, ratio ${(g / s).toFixed(2)} (target >= 0.9)`);
  await stopBuilt(child);
} finally {
  rmSync(work, { recursive: true, force: true });
}
