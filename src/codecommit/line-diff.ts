/** A run of lines `a[aStart, aEnd)` replaced by `b[bStart, bEnd)`; an empty side is a pure insertion or deletion. */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Beyond this many edits Myers' search stops and reports the rest of the region as replaced:
 * still a correct diff, only not a minimal one, with time and memory bounded.
 */
const MAX_EDIT_DISTANCE = 4000;
/** Lines more common than this are not used as anchors by the histogram diff (git's limit). */
const MAX_CHAIN = 64;
/** Deeper than this, the histogram recursion hands the region to Myers instead. */
const MAX_DEPTH = 2000;

/** Splits content into lines, each keeping its `\n`; a last line without one stays as it is. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Maps lines to numbers so sequences compare by integer; equal lines share a number across files. */
export class LineInterner {
  private readonly ids = new Map<string, number>();

  intern(lines: string[]): Int32Array {
    const out = new Int32Array(lines.length);
    lines.forEach((line, i) => {
      let id = this.ids.get(line);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(line, id);
      }
      out[i] = id;
    });
    return out;
  }
}

/**
 * The changes that turn `a` into `b`, computed the way `git merge` computes them for a content
 * merge: git's histogram diff, then git's compaction, which slides each group of changed lines
 * as far down as it can go and back up to meet a change in the other file. Matching git here is
 * what makes a merge clean or conflicted exactly where `git merge` says so.
 */
export function diffLines(a: Int32Array, b: Int32Array): Hunk[] {
  // Flags with a zero sentinel before and after: changed[i + 1] is line i.
  const changedA = new Uint8Array(a.length + 2);
  const changedB = new Uint8Array(b.length + 2);
  histogram(a, b, changedA, changedB, 1, a.length, 1, b.length, 0);
  compact(a, changedA, changedB, b.length);
  compact(b, changedB, changedA, a.length);
  return hunksOf(changedA, a.length, changedB, b.length);
}

function hunksOf(changedA: Uint8Array, n: number, changedB: Uint8Array, m: number): Hunk[] {
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (changedA[i + 1] || changedB[j + 1]) {
      const aStart = i;
      const bStart = j;
      while (i < n && changedA[i + 1]) i++;
      while (j < m && changedB[j + 1]) j++;
      hunks.push({ aStart, aEnd: i, bStart, bEnd: j });
    } else {
      i++;
      j++;
    }
  }
  return hunks;
}

interface Record {
  ptr: number;
  cnt: number;
}

/** git's histogram diff (xhistogram.c) over 1-based line ranges, marking changed lines. */
function histogram(
  A: Int32Array,
  B: Int32Array,
  changedA: Uint8Array,
  changedB: Uint8Array,
  line1: number,
  count1: number,
  line2: number,
  count2: number,
  depth: number,
): void {
  for (;;) {
    if (count1 <= 0 && count2 <= 0) return;
    if (count1 <= 0) {
      for (let i = 0; i < count2; i++) changedB[line2 + i] = 1;
      return;
    }
    if (count2 <= 0) {
      for (let i = 0; i < count1; i++) changedA[line1 + i] = 1;
      return;
    }
    const lcs = depth > MAX_DEPTH ? undefined : findLcs(A, B, line1, count1, line2, count2);
    if (!lcs) {
      myers(A, B, changedA, changedB, line1 - 1, count1, line2 - 1, count2);
      return;
    }
    if (lcs.begin1 === 0 && lcs.begin2 === 0) {
      for (let i = 0; i < count1; i++) changedA[line1 + i] = 1;
      for (let i = 0; i < count2; i++) changedB[line2 + i] = 1;
      return;
    }
    histogram(A, B, changedA, changedB, line1, lcs.begin1 - line1, line2, lcs.begin2 - line2, depth + 1);
    const end1 = line1 + count1 - 1;
    const end2 = line2 + count2 - 1;
    count1 = end1 - lcs.end1;
    line1 = lcs.end1 + 1;
    count2 = end2 - lcs.end2;
    line2 = lcs.end2 + 1;
  }
}

/**
 * The longest common run anchored on the rarest lines, or undefined when every common line is
 * too common to anchor on (git then falls back to Myers for the region).
 */
function findLcs(A: Int32Array, B: Int32Array, line1: number, count1: number, line2: number, count2: number) {
  const end1 = line1 + count1 - 1;
  const end2 = line2 + count2 - 1;
  const records = new Map<number, Record>();
  const next = new Int32Array(count1);
  const lineMap: Record[] = new Array(count1);
  for (let ptr = end1; ptr >= line1; ptr--) {
    const id = A[ptr - 1];
    let rec = records.get(id);
    if (rec) {
      next[ptr - line1] = rec.ptr;
      rec.ptr = ptr;
      rec.cnt++;
    } else {
      rec = { ptr, cnt: 1 };
      records.set(id, rec);
    }
    lineMap[ptr - line1] = rec;
  }

  const lcs = { begin1: 0, end1: 0, begin2: 0, end2: 0 };
  let best = MAX_CHAIN + 1;
  let hasCommon = false;
  for (let bPtr = line2; bPtr <= end2; ) {
    let bNext = bPtr + 1;
    const rec = records.get(B[bPtr - 1]);
    if (rec) {
      hasCommon = true;
      if (rec.cnt <= best) {
        let as = rec.ptr;
        for (;;) {
          let np = next[as - line1];
          let bs = bPtr;
          let ae = as;
          let be = bs;
          let rc = rec.cnt;
          while (line1 < as && line2 < bs && A[as - 2] === B[bs - 2]) {
            as--;
            bs--;
            if (rc > 1) rc = Math.min(rc, lineMap[as - line1].cnt);
          }
          while (ae < end1 && be < end2 && A[ae] === B[be]) {
            ae++;
            be++;
            if (rc > 1) rc = Math.min(rc, lineMap[ae - line1].cnt);
          }
          if (bNext <= be) bNext = be + 1;
          if (lcs.end1 - lcs.begin1 < ae - as || rc < best) {
            lcs.begin1 = as;
            lcs.begin2 = bs;
            lcs.end1 = ae;
            lcs.end2 = be;
            best = rc;
          }
          if (np === 0) break;
          while (np !== 0 && np <= ae) np = next[np - line1];
          if (np === 0) break;
          as = np;
        }
      }
    }
    bPtr = bNext;
  }
  if (hasCommon && best > MAX_CHAIN) return undefined;
  return lcs;
}

/** Myers' O(ND) diff of `A[aOff, aOff + n)` against `B[bOff, bOff + m)`, marking changed lines. */
function myers(A: Int32Array, B: Int32Array, changedA: Uint8Array, changedB: Uint8Array, aOff: number, n: number, bOff: number, m: number): void {
  const a = A.subarray(aOff, aOff + n);
  const b = B.subarray(bOff, bOff + m);
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let distance = -1;
  search: for (let d = 0; d <= max; d++) {
    if (d > MAX_EDIT_DISTANCE) break;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        distance = d;
        break search;
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1));
  }
  if (distance < 0) {
    for (let i = 0; i < n; i++) changedA[aOff + i + 1] = 1;
    for (let j = 0; j < m; j++) changedB[bOff + j + 1] = 1;
    return;
  }
  let x = n;
  let y = m;
  for (let d = distance; d > 0; d--) {
    const prev = trace[d - 1];
    const at = (k: number) => prev[k + d - 1];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    if (down) changedB[bOff + prevY + 1] = 1;
    else changedA[aOff + prevX + 1] = 1;
    x = prevX;
    y = prevY;
  }
}

/**
 * git's xdl_change_compact without the indent heuristic (a merge does not use it): every group
 * of changed lines slides up and down as far as equal lines allow, merging with groups it meets,
 * then settles at the lowest position that lines up with a change in the other file, if any.
 */
function compact(recs: Int32Array, changed: Uint8Array, other: Uint8Array, otherCount: number): void {
  const n = recs.length;
  const C = (i: number) => changed[i + 1];
  const O = (i: number) => other[i + 1];
  const g = { start: 0, end: 0 };
  const go = { start: 0, end: 0 };
  while (C(g.end)) g.end++;
  while (O(go.end)) go.end++;

  const next = (flag: (i: number) => number, grp: typeof g, count: number) => {
    if (grp.end === count) return false;
    grp.start = grp.end + 1;
    for (grp.end = grp.start; flag(grp.end); grp.end++);
    return true;
  };
  const previous = (flag: (i: number) => number, grp: typeof g) => {
    if (grp.start === 0) return false;
    grp.end = grp.start - 1;
    for (grp.start = grp.end; flag(grp.start - 1); grp.start--);
    return true;
  };
  const slideDown = () => {
    if (g.end < n && recs[g.start] === recs[g.end]) {
      changed[g.start++ + 1] = 0;
      changed[g.end++ + 1] = 1;
      while (C(g.end)) g.end++;
      return true;
    }
    return false;
  };
  const slideUp = () => {
    if (g.start > 0 && recs[g.start - 1] === recs[g.end - 1]) {
      changed[--g.start + 1] = 1;
      changed[--g.end + 1] = 0;
      while (C(g.start - 1)) g.start--;
      return true;
    }
    return false;
  };

  for (;;) {
    if (g.end !== g.start) {
      let groupSize: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        groupSize = g.end - g.start;
        endMatchingOther = -1;
        while (slideUp()) previous(O, go);
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        while (slideDown()) {
          next(O, go, otherCount);
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (groupSize !== g.end - g.start);
      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          slideUp();
          previous(O, go);
        }
      }
    }
    if (!next(C, g, n)) break;
    next(O, go, otherCount);
  }
}
