/** git's pkt-line framing: a 4-hex-digit length (including itself) then the payload; 0000 flushes. */
export function pktLine(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0'), 'ascii'), body]);
}

export const FLUSH = Buffer.from('0000', 'ascii');

/** One ref update a push asks for. An all-zero id means "none": create or delete. */
export interface PushCommand {
  oldId: string;
  newId: string;
  ref: string;
}

export const ZERO_ID = '0'.repeat(40);

export interface PushRequestHead {
  commands: PushCommand[];
  capabilities: Set<string>;
  /** Bytes up to and including the flush that ends the command list. */
  length: number;
}

/**
 * Reads the command list at the start of a receive-pack request, or returns undefined while
 * `data` does not yet hold all of it. Shallow lines before the commands are skipped.
 */
export function parsePushHead(data: Buffer): PushRequestHead | undefined {
  const commands: PushCommand[] = [];
  let capabilities = new Set<string>();
  let offset = 0;
  for (;;) {
    if (data.length < offset + 4) return undefined;
    const size = parseInt(data.toString('ascii', offset, offset + 4), 16);
    if (Number.isNaN(size) || (size > 0 && size < 4)) throw new Error('malformed pkt-line');
    if (size === 0) return { commands, capabilities, length: offset + 4 };
    if (data.length < offset + size) return undefined;
    let line = data.toString('utf8', offset + 4, offset + size).replace(/\n$/, '');
    offset += size;
    if (line.startsWith('shallow ')) continue;
    const nul = line.indexOf('\0');
    if (nul >= 0) {
      capabilities = new Set(line.slice(nul + 1).split(' ').filter(Boolean));
      line = line.slice(0, nul);
    }
    const [oldId, newId, ref] = line.split(' ');
    if (!/^[0-9a-f]{40}$/.test(oldId) || !/^[0-9a-f]{40}$/.test(newId) || !ref) throw new Error('malformed push command');
    commands.push({ oldId, newId, ref });
  }
}

/**
 * A receive-pack answer that refuses every command, in the report-status format the client asked
 * for (inside side-band channel 1 when it negotiated a side band).
 */
export function rejectionReport(commands: PushCommand[], reasons: Map<string, string>, capabilities: Set<string>): Buffer {
  const report = Buffer.concat([
    pktLine('unpack ok\n'),
    ...commands.map((c) => pktLine(`ng ${c.ref} ${reasons.get(c.ref) ?? 'atomic push failure'}\n`)),
    FLUSH,
  ]);
  if (!capabilities.has('side-band-64k') && !capabilities.has('side-band')) return report;
  const max = capabilities.has('side-band-64k') ? 65515 : 995;
  const packets: Buffer[] = [];
  for (let i = 0; i < report.length; i += max) {
    packets.push(pktLine(Buffer.concat([Buffer.from([1]), report.subarray(i, i + max)])));
  }
  return Buffer.concat([...packets, FLUSH]);
}
