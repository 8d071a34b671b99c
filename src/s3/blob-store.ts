import { randomUUID } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';

/** One stored run of an object's bytes: a file of `size` bytes. Multipart objects have one per part. */
export interface Segment {
  blob: string;
  size: number;
}

/** A file written to the temporary directory, not yet part of the store. */
export interface PendingBlob {
  blob: string;
  size: number;
  /** Moves it into the store (an atomic rename); only then may the database reference it. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Object bytes as files under `<filesDir>/blobs/<xx>/<id>`. A write streams to `tmp/` and is
 * renamed into place only when complete and verified, so a crash leaves no half object (at
 * most an unreferenced file, removed by `sweep` at the next start). A blob that readers still
 * stream is unlinked only after the last of them closes it.
 */
export class BlobStore {
  private readonly blobs: string;
  private readonly tmp: string;
  private readonly readers = new Map<string, number>();
  private readonly doomed = new Set<string>();

  constructor(root: string) {
    this.blobs = join(root, 'blobs');
    this.tmp = join(root, 'tmp');
    rmSync(this.tmp, { recursive: true, force: true });
    mkdirSync(this.tmp, { recursive: true });
    // The 256 fan-out folders are made as objects land in them: making them all here cost start-up time.
    mkdirSync(this.blobs, { recursive: true });
  }

  private path(blob: string): string {
    return join(this.blobs, blob.slice(0, 2), blob);
  }

  /** Streams `source` to a temporary file, handing every chunk to `observe` (hashes) on the way. */
  async write(source: AsyncIterable<Buffer>, observe: (chunk: Buffer) => void, limit = Number.MAX_SAFE_INTEGER): Promise<PendingBlob> {
    const blob = randomUUID().replace(/-/g, '');
    const temp = join(this.tmp, blob);
    // Each chunk is written before the next is read: the socket waits, nothing piles up in memory.
    const out = await open(temp, 'w');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.length;
        if (size > limit) throw new BlobTooLarge(size);
        observe(chunk);
        for (let offset = 0; offset < chunk.length; ) offset += (await out.write(chunk, offset)).bytesWritten;
      }
      await out.close();
    } catch (err) {
      await out.close().catch(() => undefined);
      await unlink(temp).catch(() => undefined);
      throw err;
    }
    return {
      blob,
      size,
      commit: async () => {
        const final = this.path(blob);
        await mkdir(dirname(final), { recursive: true });
        await rename(temp, final);
      },
      discard: () => unlink(temp).catch(() => undefined),
    };
  }

  /**
   * The bytes [start, end] (inclusive) of an object made of `segments`, as one stream. The blobs
   * are claimed now, synchronously, so a delete that commits after this call cannot pull them away.
   */
  read(segments: Segment[], start = 0, end = segments.reduce((n, s) => n + s.size, 0) - 1): Readable {
    const claimed = segments.map((s) => s.blob);
    for (const blob of claimed) this.readers.set(blob, (this.readers.get(blob) ?? 0) + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      for (const blob of claimed) this.releaseOne(blob);
    };
    const paths = segments.map((s) => this.path(s.blob));
    async function* bytes(): AsyncGenerator<Buffer> {
      let offset = 0;
      for (let i = 0; i < segments.length && offset <= end; i++) {
        const segStart = offset;
        const segEnd = offset + segments[i].size - 1;
        offset += segments[i].size;
        if (segEnd < start || segments[i].size === 0) continue;
        const from = Math.max(start, segStart) - segStart;
        const to = Math.min(end, segEnd) - segStart;
        for await (const chunk of createReadStream(paths[i], { start: from, end: to, highWaterMark: 256 * 1024 })) yield chunk as Buffer;
      }
    }
    const stream = Readable.from(bytes(), { objectMode: false });
    stream.once('close', release);
    return stream;
  }

  private releaseOne(blob: string): void {
    const n = (this.readers.get(blob) ?? 1) - 1;
    if (n > 0) {
      this.readers.set(blob, n);
      return;
    }
    this.readers.delete(blob);
    if (this.doomed.delete(blob)) void unlink(this.path(blob)).catch(() => undefined);
  }

  /** Removes blobs no longer referenced, once nobody is reading them. */
  remove(blobs: Iterable<string>): void {
    for (const blob of blobs) {
      if (this.readers.has(blob)) this.doomed.add(blob);
      else void unlink(this.path(blob)).catch(() => undefined);
    }
  }

  /** At start: deletes every stored file the database does not reference (left by a crash). */
  sweep(referenced: Set<string>): number {
    let removed = 0;
    for (const dir of readdirSync(this.blobs)) {
      for (const file of readdirSync(join(this.blobs, dir))) {
        if (!referenced.has(file)) {
          unlinkSync(join(this.blobs, dir, file));
          removed++;
        }
      }
    }
    return removed;
  }
}

export class BlobTooLarge extends Error {
  constructor(readonly size: number) {
    super(`blob larger than allowed (${size} bytes so far)`);
  }
}
