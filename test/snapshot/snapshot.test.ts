import { BatchGetBuildsCommand, CreateProjectCommand, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { CreateRepositoryCommand, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tarStream from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runSnapshot } from '../../src/snapshot/command.js';
import { knownSchema } from '../../src/schema.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { codebuild, ROLE, s3Client } from '../codebuild/helpers.js';
import { commitFile, gitOk, tempDir } from '../helpers/git.js';
import { codecommit, credentials, testServer } from '../helpers/server.js';
import { writeArchive, type ArchiveEntry } from './archives.js';

const work = tempDir('codesuite-snapshot-');
afterAll(() => work.remove());

/** `codesuite snapshot save FILE --endpoint URL`, in-process, with the given credentials. */
async function save(server: RunningServer, file: string, env: Record<string, string> = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }): Promise<void> {
  await runSnapshot(['save', file, '--endpoint', server.endpoint], env);
}

/** The manifest an archive begins with. */
async function manifestOf(file: string): Promise<Record<string, unknown>> {
  const extract = tarStream.extract();
  const reading = pipeline(createReadStream(file), createGunzip(), extract).catch(() => undefined);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    extract.destroy();
    await reading;
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  }
  throw new Error(`${file} is empty`);
}

describe('lab snapshots', () => {
  // Real pushes, uploads and builds on two cores: minutes, not seconds, on a busy machine.
  it('restores every push, object and build acknowledged before a snapshot taken while they run', { timeout: 240_000 }, async () => {
    const source = await testServer({ buildExecutor: 'local' });
    const cc = codecommit(source);
    const s3 = s3Client(source);
    const cb = codebuild(source);
    const repositories = ['lab-one', 'lab-two'];
    for (const name of repositories) await cc.send(new CreateRepositoryCommand({ repositoryName: name }));
    await s3.send(new CreateBucketCommand({ Bucket: 'lab-objects' }));
    await cb.send(
      new CreateProjectCommand({
        name: 'lab-build',
        source: { type: 'NO_SOURCE', buildspec: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo building\n' },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: ROLE,
      }),
    );

    // Writers that keep going until told to stop, each noting when every write was acknowledged.
    let stopping = false;
    const pushes: { repository: string; commit: string; at: number }[] = [];
    const objects: { key: string; body: Buffer; at: number }[] = [];
    const builds: { id: string; at: number }[] = [];
    const pusher = async (repository: string) => {
      const dir = join(work.path, `clone-${repository}`);
      mkdirSync(dir);
      await gitOk(dir, ['init', '-q']);
      await gitOk(dir, ['remote', 'add', 'origin', `${source.endpoint}/v1/repos/${repository}`]);
      for (let i = 0; !stopping; i++) {
        const commit = await commitFile(dir, `file-${i}.txt`, randomBytes(2048 + i * 512).toString('hex'));
        await gitOk(dir, ['push', '-q', 'origin', 'HEAD:refs/heads/main']);
        pushes.push({ repository, commit, at: performance.now() });
      }
    };
    const uploader = async () => {
      for (let i = 0; !stopping; i++) {
        const body = randomBytes(i % 3 === 0 ? 300 * 1024 : 1024 + i);
        await s3.send(new PutObjectCommand({ Bucket: 'lab-objects', Key: `object-${i}`, Body: body }));
        objects.push({ key: `object-${i}`, body, at: performance.now() });
      }
    };
    const builder = async () => {
      while (!stopping) {
        const { build } = await cb.send(new StartBuildCommand({ projectName: 'lab-build' }));
        builds.push({ id: build!.id!, at: performance.now() });
        await new Promise((r) => setTimeout(r, 400));
      }
    };
    const writers = Promise.all([...repositories.map(pusher), uploader(), builder()]);

    const file = join(work.path, 'lab.tar.gz');
    let restored: RunningServer | undefined;
    try {
      // Let every writer get going, so the snapshot lands in the middle of their work.
      while (pushes.length < 6 || objects.length < 5 || builds.length < 3) await new Promise((r) => setTimeout(r, 50));
      const startedAt = performance.now();
      await save(source, file);
      // And a little more after it, as a lab keeps being used.
      const after = pushes.length + 2;
      while (pushes.length < after) await new Promise((r) => setTimeout(r, 50));
      stopping = true;
      await writers;

      expect(await manifestOf(file)).toMatchObject({ format: 1, accountId: '000000000000' });
      restored = await startServer({ port: 0, inMemory: true, restore: file, logLevel: 'silent', buildExecutor: 'local' });
      const before = <T extends { at: number }>(list: T[]) => list.filter((w) => w.at < startedAt);
      expect(before(pushes).length).toBeGreaterThanOrEqual(6);

      for (const repository of repositories) {
        const clone = join(work.path, `restored-${repository}`);
        await gitOk(work.path, ['clone', '-q', `${restored.endpoint}/v1/repos/${repository}`, clone]);
        for (const push of before(pushes).filter((p) => p.repository === repository)) {
          await gitOk(clone, ['merge-base', '--is-ancestor', push.commit, 'origin/main']);
        }
      }
      const bare = readdirSync(join(restored.dataDir, 'codecommit')).filter((name) => name.endsWith('.git'));
      expect(bare).toHaveLength(repositories.length);
      for (const name of bare) await gitOk(join(restored.dataDir, 'codecommit', name), ['fsck', '--full', '--strict', '--no-dangling']);

      const restoredS3 = s3Client(restored);
      for (const object of before(objects)) {
        const got = await restoredS3.send(new GetObjectCommand({ Bucket: 'lab-objects', Key: object.key }));
        expect(Buffer.from(await got.Body!.transformToByteArray()).equals(object.body)).toBe(true);
      }

      const ids = before(builds).map((b) => b.id);
      const { builds: found, buildsNotFound } = await codebuild(restored).send(new BatchGetBuildsCommand({ ids }));
      expect(buildsNotFound ?? []).toEqual([]);
      expect(found!.map((b) => b.id).sort()).toEqual([...ids].sort());
    } finally {
      stopping = true;
      await writers.catch(() => undefined);
      await restored?.stop();
      await source.stop();
    }
  });

  it('takes the snapshot of an on-disk server and restores it into a new directory, refusing one that is not empty', async () => {
    const dataDir = join(work.path, 'disk-source');
    const source = await startServer({ port: 0, dataDir, logLevel: 'silent', buildExecutor: 'local' });
    const file = join(work.path, 'disk.tar.gz');
    try {
      await codecommit(source).send(new CreateRepositoryCommand({ repositoryName: 'on-disk' }));
      await save(source, file);
    } finally {
      await source.stop();
    }
    expect(readdirSync(dataDir)).not.toContain('.snapshots');

    const target = join(work.path, 'disk-target');
    const restored = await startServer({ port: 0, dataDir: target, restore: file, logLevel: 'silent', buildExecutor: 'local' });
    try {
      const { repositoryMetadata } = await codecommit(restored).send(new GetRepositoryCommand({ repositoryName: 'on-disk' }));
      expect(repositoryMetadata!.repositoryName).toBe('on-disk');
    } finally {
      await restored.stop();
    }
    await expect(startServer({ port: 0, dataDir: target, restore: file, logLevel: 'silent' })).rejects.toThrow(
      `data directory ${target} is not empty: --restore starts a new one; choose a new or empty --data-dir`,
    );
  });

  it('lets only the root user take a snapshot under IAM enforcement', async () => {
    const source = await testServer({ enforceIam: true });
    try {
      const file = join(work.path, 'enforced.tar.gz');
      await expect(save(source, file, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'wrong' })).rejects.toThrow(/refused the snapshot: 403 InvalidSignatureException/);
      const iam = new IAMClient({ endpoint: source.endpoint, region: 'us-east-1', credentials });
      await iam.send(new CreateUserCommand({ UserName: 'student' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'student' }));
      await expect(save(source, file, { AWS_ACCESS_KEY_ID: AccessKey!.AccessKeyId!, AWS_SECRET_ACCESS_KEY: AccessKey!.SecretAccessKey! })).rejects.toThrow(
        /refused the snapshot: 403 AccessDeniedException: arn:aws:iam::000000000000:user\/student is not authorized to take a snapshot/,
      );
      expect(existsSync(file)).toBe(false);
      await save(source, file);
      expect(existsSync(file)).toBe(true);
    } finally {
      await source.stop();
    }
  });
});

describe('restoring a snapshot refuses', () => {
  const manifest = (schema = knownSchema(), extra: Record<string, unknown> = {}) =>
    JSON.stringify({ format: 1, codesuiteVersion: '9.9.9', createdAt: new Date().toISOString(), accountId: '000000000000', schema, ...extra });

  async function refusal(name: string, entries: ArchiveEntry[]): Promise<{ message: string; dataDir: string }> {
    const file = join(work.path, `${name}.tar.gz`);
    await writeArchive(file, entries);
    const dataDir = join(work.path, `${name}-data`);
    const err = await startServer({ port: 0, dataDir, restore: file, logLevel: 'silent' }).then(
      async (server) => {
        await server.stop();
        throw new Error(`${name}: the restore succeeded`);
      },
      (e: Error) => e,
    );
    // Nothing is left of the attempt: the directory it would have filled is not there.
    expect(existsSync(dataDir)).toBe(false);
    return { message: err.message, dataDir };
  }

  it('a snapshot from a newer schema or format, with a message that says what to run', async () => {
    const known = knownSchema();
    const file = join(work.path, 'newer.tar.gz');
    const newer = await refusal('newer', [{ name: 'codesuite-snapshot.json', body: manifest({ ...known, codebuild: known.codebuild + 1 }) }]);
    expect(newer.message).toBe(
      `${file} was made by codesuite 9.9.9 with a newer database schema (codebuild at migration ${known.codebuild + 1}, this codesuite knows up to ${known.codebuild}): restore it with codesuite 9.9.9 or later (this is codesuite 0.1.0)`,
    );
    const unknown = await refusal('newer-service', [{ name: 'codesuite-snapshot.json', body: manifest({ ...known, 'some-future-service': 1 }) }]);
    expect(unknown.message).toContain('(some-future-service at migration 1, unknown to this codesuite)');
    const format = await refusal('newer-format', [{ name: 'codesuite-snapshot.json', body: manifest(known, { format: 2 }) }]);
    expect(format.message).toContain('in snapshot format 2, newer than this codesuite reads (1)');
    const account = await refusal('other-account', [{ name: 'codesuite-snapshot.json', body: manifest(known, { accountId: '111122223333' }) }]);
    expect(account.message).toContain('holds account 111122223333; start with --account-id 111122223333 to restore it');
    const foreign = await refusal('foreign', [{ name: 'README', body: 'hello' }]);
    expect(foreign.message).toContain('is not a codesuite snapshot: it does not begin with codesuite-snapshot.json');
  });

  it('a file that is not a whole .tar.gz', async () => {
    const text = join(work.path, 'text.tar.gz');
    writeFileSync(text, 'just text');
    await expect(startServer({ port: 0, dataDir: join(work.path, 'text-data'), restore: text, logLevel: 'silent' })).rejects.toThrow(`${text} is not a readable .tar.gz (incorrect header check)`);
    const whole = join(work.path, 'whole.tar.gz');
    await writeArchive(whole, [{ name: 'codesuite-snapshot.json', body: manifest() }, { name: 'data/codesuite.db', body: 'x'.repeat(100_000) }]);
    const cut = join(work.path, 'cut.tar.gz');
    writeFileSync(cut, readFileSync(whole).subarray(0, 300));
    const dataDir = join(work.path, 'cut-data');
    await expect(startServer({ port: 0, dataDir, restore: cut, logLevel: 'silent' })).rejects.toThrow(`${cut} is not a readable .tar.gz`);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('entries that leave the data directory: parent paths, absolute paths, symbolic and hard links', async () => {
    const outside = join(work.path, 'escaped');
    mkdirSync(outside, { recursive: true });
    const head: ArchiveEntry = { name: 'codesuite-snapshot.json', body: manifest() };
    const cases: [string, ArchiveEntry[], string][] = [
      ['parent', [{ name: 'data/../escaped/pwned', body: 'x' }], 'entry data/../escaped/pwned points outside the data directory'],
      ['deep-parent', [{ name: 'data/s3/../../../escaped/pwned', body: 'x' }], 'entry data/s3/../../../escaped/pwned points outside the data directory'],
      ['bare-parent', [{ name: '../escaped/pwned', body: 'x' }], 'entry ../escaped/pwned points outside the data directory'],
      ['absolute', [{ name: `${outside}/pwned`, body: 'x' }], `entry ${outside}/pwned points outside the data directory`],
      ['symlink', [{ name: 'data/s3', type: 'symlink', linkname: outside }, { name: 'data/s3/pwned', body: 'x' }], 'entry data/s3 is a symlink; a snapshot holds only files and folders'],
      ['hardlink', [{ name: 'data/key', type: 'link', linkname: '../../escaped/pwned' }], 'entry data/key is a link; a snapshot holds only files and folders'],
      ['device', [{ name: 'data/null', type: 'character-device' }], 'entry data/null is a character-device; a snapshot holds only files and folders'],
    ];
    for (const [name, entries, message] of cases) {
      const { message: got } = await refusal(name, [head, { name: 'data/codesuite.db', body: 'not reached' }, ...entries]);
      expect(got).toContain(message);
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it('into a data directory that already holds something, leaving it untouched', async () => {
    const dataDir = join(work.path, 'occupied');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'keep.txt'), 'mine');
    const file = join(work.path, 'occupied.tar.gz');
    await writeArchive(file, [{ name: 'codesuite-snapshot.json', body: manifest() }]);
    await expect(startServer({ port: 0, dataDir, restore: file, logLevel: 'silent' })).rejects.toThrow(`data directory ${dataDir} is not empty`);
    expect(readdirSync(dataDir)).toEqual(['keep.txt']);
  });
});

describe('the schema catalog', () => {
  // A migration set missing from the catalog would make every snapshot unrestorable.
  it('knows every migration set a started server records, at its version', async () => {
    const server = await testServer();
    try {
      const file = join(work.path, 'catalog.tar.gz');
      await save(server, file);
      expect((await manifestOf(file)).schema).toEqual(knownSchema());
    } finally {
      await server.stop();
    }
  });
});
