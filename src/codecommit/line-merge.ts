import { diffLines, LineInterner, splitLines, type Hunk } from './line-diff.js';

export type Range = [start: number, end: number];

/** One place where at least one side changed the base: clean when one side changed it or both alike. */
export interface MergeRegion {
  conflict: boolean;
  /** Which side's lines the clean result takes here. */
  changedBy: 'source' | 'destination' | 'both';
  base: Range;
  source: Range;
  destination: Range;
}

export interface LineMerge {
  base: string[];
  source: string[];
  destination: string[];
  regions: MergeRegion[];
  conflicts: number;
}

/**
 * A three-way merge of text, line by line, with git's rule for what conflicts: changes from the
 * two sides conflict when they overlap or touch (a change directly next to the other side's
 * change is a conflict, as `git merge` reports it), unless both sides made the same change.
 * Texts are handled as latin1 so any bytes survive the round trip.
 */
export function mergeLines(base: Buffer, source: Buffer, destination: Buffer): LineMerge {
  const lines = {
    base: splitLines(base.toString('latin1')),
    source: splitLines(source.toString('latin1')),
    destination: splitLines(destination.toString('latin1')),
  };
  const interner = new LineInterner();
  const b = interner.intern(lines.base);
  const s = interner.intern(lines.source);
  const d = interner.intern(lines.destination);
  const tagged = [
    ...diffLines(b, s).map((h) => ({ ...h, side: 'source' as const })),
    ...diffLines(b, d).map((h) => ({ ...h, side: 'destination' as const })),
  ].sort((x, y) => x.aStart - y.aStart || x.aEnd - y.aEnd);

  const regions: MergeRegion[] = [];
  // How far each side's line numbers have drifted from the base's before the current region.
  const drift = { source: 0, destination: 0 };
  let conflicts = 0;
  for (let i = 0; i < tagged.length; ) {
    const group: (Hunk & { side: 'source' | 'destination' })[] = [tagged[i]];
    let lo = tagged[i].aStart;
    let hi = tagged[i].aEnd;
    for (i++; i < tagged.length && tagged[i].aStart <= hi; i++) {
      group.push(tagged[i]);
      lo = Math.min(lo, tagged[i].aStart);
      hi = Math.max(hi, tagged[i].aEnd);
    }
    const growth = { source: 0, destination: 0 };
    for (const h of group) growth[h.side] += h.bEnd - h.bStart - (h.aEnd - h.aStart);
    const source: Range = [lo + drift.source, hi + drift.source + growth.source];
    const destination: Range = [lo + drift.destination, hi + drift.destination + growth.destination];
    drift.source += growth.source;
    drift.destination += growth.destination;
    const sides = new Set(group.map((h) => h.side));
    const changedBy: MergeRegion['changedBy'] = sides.size === 2 ? 'both' : group[0].side;
    const conflict = changedBy === 'both' && !sameLines(s, source, d, destination);
    if (conflict) conflicts++;
    regions.push({ conflict, changedBy, base: [lo, hi], source, destination });
  }
  return { ...lines, regions, conflicts };
}

function sameLines(a: Int32Array, ra: Range, b: Int32Array, rb: Range): boolean {
  if (ra[1] - ra[0] !== rb[1] - rb[0]) return false;
  for (let i = 0; i < ra[1] - ra[0]; i++) if (a[ra[0] + i] !== b[rb[0] + i]) return false;
  return true;
}

/**
 * The merged text. Clean regions take the side that changed them; conflicting ones take the
 * side `prefer` names, or make the result undefined when there is no preference.
 */
export function mergedText(merge: LineMerge, prefer?: 'source' | 'destination'): Buffer | undefined {
  const out: string[] = [];
  let at = 0;
  for (const r of merge.regions) {
    out.push(...merge.base.slice(at, r.base[0]));
    const side = r.conflict ? prefer : r.changedBy === 'destination' ? 'destination' : 'source';
    if (!side) return undefined;
    const range = side === 'source' ? r.source : r.destination;
    out.push(...merge[side].slice(range[0], range[1]));
    at = r.base[1];
  }
  out.push(...merge.base.slice(at));
  return Buffer.from(out.join(''), 'latin1');
}

/** git's test for binary content: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}
