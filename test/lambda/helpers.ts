import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { writeZip } from '../../src/core/archives/zip.js';
import type { RunningServer } from '../../src/server.js';
import { credentials } from '../helpers/server.js';

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

export function lambda(server: RunningServer, creds = credentials): LambdaClient {
  return new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: creds });
}

/** A zip of the given files (name -> content; a leading `!` marks an executable). */
export async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-zip-'));
  try {
    const inputs = Object.entries(files).map(([name, content]) => {
      const executable = name.startsWith('!');
      const clean = executable ? name.slice(1) : name;
      const path = join(dir, 'src', clean);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content, { mode: executable ? 0o755 : 0o644 });
      return { path, name: clean };
    });
    await writeZip(join(dir, 'code.zip'), inputs);
    return await readFile(join(dir, 'code.zip'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits until the function (or version) has finished its create or update, as the SDK's waiters do. */
export async function settled(client: LambdaClient, name: string, qualifier?: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const c = await client.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: qualifier }));
    if (c.State !== 'Pending' && c.LastUpdateStatus !== 'InProgress') return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`function ${name} did not settle`);
}

export const text = (payload: Uint8Array | undefined) => Buffer.from(payload ?? []).toString('utf8');
export const json = (payload: Uint8Array | undefined) => JSON.parse(text(payload)) as Record<string, unknown>;
