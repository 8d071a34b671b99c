import { CreateRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { git, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, testServer } from '../helpers/server.js';

let server: RunningServer;
const work = tempDir();

beforeAll(async () => {
  server = await testServer({ inMemory: false, dataDir: join(work.path, 'data') });
});
afterAll(async () => {
  await server.stop();
  work.remove();
});

async function newRepo(name: string): Promise<{ url: string; id: string }> {
  const { repositoryMetadata } = await codecommit(server).send(new CreateRepositoryCommand({ repositoryName: name }));
  return { url: repositoryMetadata!.cloneUrlHttp!, id: repositoryMetadata!.repositoryId! };
}

/** A local repository with one commit of `files` random 300 KB files. */
async function bigCommit(name: string, files: number): Promise<string> {
  const dir = join(work.path, name);
  mkdirSync(dir);
  await gitOk(dir, ['init', '-q']);
  for (let i = 0; i < files; i++) writeFileSync(join(dir, `f${i}.bin`), randomBytes(300 * 1024));
  await gitOk(dir, ['add', '.']);
  await gitOk(dir, ['commit', '-qm', 'big']);
  return dir;
}

async function healthy(): Promise<boolean> {
  return (await fetch(`${server.endpoint}/_codesuite/health`)).status === 200;
}

function objectsDir(id: string): string {
  return join(work.path, 'data', 'codecommit', `${id}.git`, 'objects');
}

/** What a push cut short leaves in the bare repository once receive-pack has exited. */
async function leftovers(id: string): Promise<string[]> {
  // receive-pack removes its quarantine as it exits; give it the moment it needs, boundedly.
  for (let i = 0; i < 100; i++) {
    const found = readdirSync(objectsDir(id)).filter((f) => f.startsWith('tmp_objdir') || f.startsWith('incoming'));
    if (found.length === 0) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  return readdirSync(objectsDir(id)).filter((f) => f.startsWith('tmp_objdir') || f.startsWith('incoming'));
}

describe('a client that stops in the middle of a push', () => {
  it('whose pack-objects fails part-way (a blob missing locally) fails its push, not the server', async () => {
    const { url, id } = await newRepo('broken-client');
    const dir = await bigCommit('broken-client', 30);
    const blob = (await gitOk(dir, ['rev-parse', 'HEAD:f17.bin'])).trim();
    rmSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const push = await git(dir, ['push', url, 'HEAD:main']);
    expect(push.code).not.toBe(0);
    expect(await healthy()).toBe(true);
    const { repositoryMetadata } = await codecommit(server).send(new GetRepositoryCommand({ repositoryName: 'broken-client' }));
    expect(repositoryMetadata?.defaultBranch).toBeUndefined();
    expect(await leftovers(id)).toEqual([]);
  });

  it('whose connection drops after part of the pack leaves no trace and the next push works', async () => {
    const { url, id } = await newRepo('dropped');
    const dir = await bigCommit('dropped', 4);
    const commit = (await gitOk(dir, ['rev-parse', 'HEAD'])).trim();
    const pack = await packOf(dir, commit);
    const head = pkt(`${'0'.repeat(40)} ${commit} refs/heads/main\0report-status side-band-64k\n`);
    const body = Buffer.concat([head, Buffer.from('0000'), pack.subarray(0, pack.length / 2)]);
    const path = new URL(url).pathname;
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      `POST ${path}/git-receive-pack HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-git-receive-pack-request\r\n` +
        `Content-Length: ${head.length + 4 + pack.length}\r\n\r\n`,
    );
    socket.write(body);
    // Wait until the server has taken the bytes, then vanish as a killed client does.
    await new Promise<void>((r) => socket.end(() => r()));
    socket.destroy();
    expect(await healthy()).toBe(true);
    expect(await leftovers(id)).toEqual([]);
    await gitOk(dir, ['push', '-q', url, 'HEAD:main']);
    expect((await gitOk(dir, ['ls-remote', url, 'refs/heads/main'])).split('\t')[0]).toBe(commit);
  });

  it('killed while sending survives as Ctrl-C would leave it', async () => {
    const { url } = await newRepo('killed');
    const dir = await bigCommit('killed', 30);
    const child = spawn('git', ['push', url, 'HEAD:main'], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, stdio: 'ignore' });
    // git is killed as soon as the server starts answering its push, mid-transfer.
    await new Promise((r) => setTimeout(r, 400));
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await healthy()).toBe(true);
    // The server may still be taking in a pack that arrived whole: a push racing it can lose once.
    let retried = await git(dir, ['push', '-q', url, 'HEAD:main']);
    for (let i = 0; i < 50 && retried.code !== 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      retried = await git(dir, ['push', '-q', url, 'HEAD:main']);
    }
    expect(retried.stderr).toBe('');
    const { repositoryMetadata } = await codecommit(server).send(new GetRepositoryCommand({ repositoryName: 'killed' }));
    expect(repositoryMetadata?.defaultBranch).toBe('main');
    expect((await gitOk(dir, ['ls-remote', url, 'refs/heads/main'])).split('\t')[0]).toBe((await gitOk(dir, ['rev-parse', 'HEAD'])).trim());
  });

  it('answers a body that is not a push with 400, and a broken gzip body without falling over', async () => {
    const { url } = await newRepo('garbage');
    const path = new URL(url).pathname;
    const garbage = await fetch(`${server.endpoint}${path}/git-receive-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-git-receive-pack-request' },
      body: 'zzzz not pkt-lines',
    });
    expect(garbage.status).toBe(400);
    for (const service of ['git-upload-pack', 'git-receive-pack']) {
      const res = await fetch(`${server.endpoint}${path}/${service}`, {
        method: 'POST',
        headers: { 'content-type': `application/x-${service}-request`, 'content-encoding': 'gzip' },
        body: 'this is not gzip',
      });
      await res.arrayBuffer();
      expect(res.status).toBeLessThan(500);
    }
    expect(await healthy()).toBe(true);
  });
});

function pkt(line: string): Buffer {
  const body = Buffer.from(line);
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}

async function packOf(dir: string, commit: string): Promise<Buffer> {
  const child = spawn('git', ['pack-objects', '--stdout', '--revs'], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.end(`${commit}\n`);
  const chunks: Buffer[] = [];
  for await (const c of child.stdout) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
