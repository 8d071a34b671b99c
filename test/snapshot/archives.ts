import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tarStream, { type Header } from 'tar-stream';

export type ArchiveEntry = Partial<Header> & { name: string; body?: string };

/** A hand-made .tar.gz, for archives codesuite itself would never write. */
export async function writeArchive(file: string, entries: ArchiveEntry[]): Promise<void> {
  const pack = tarStream.pack();
  const writing = pipeline(pack, createGzip(), createWriteStream(file));
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) => pack.entry({ type: 'file', mode: 0o644, ...header }, body ?? '', (err) => (err ? reject(err) : resolve())));
  }
  pack.finalize();
  await writing;
}
