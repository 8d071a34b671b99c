/**
 * The two CRCs S3 uses that Node does not ship: CRC-32C (Castagnoli) and CRC-64/NVME, both
 * reflected, initial value and final XOR all ones, computed slicing-by-8. CRC-64 runs on two
 * 32-bit halves so no BigInt is touched per byte. `crcCombine` joins the CRCs of two adjacent
 * runs of bytes (zlib's method), which is how a multipart upload gets a full-object CRC.
 */

/** Eight 256-entry tables in one array (table k at k*256): flat arrays are markedly faster in V8. */
function tables32(poly: number): Uint32Array {
  const t = new Uint32Array(2048);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n];
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff];
    }
  }
  return t;
}

const C32 = tables32(0x82f63b78);

/** Running CRC-32C: pass the previous value (0 to start) and the next bytes. */
export function crc32c(data: Uint8Array, previous = 0): number {
  const t = C32;
  let crc = ~previous >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = crc ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24));
    crc =
      t[1792 + (a & 0xff)] ^ t[1536 + ((a >>> 8) & 0xff)] ^ t[1280 + ((a >>> 16) & 0xff)] ^ t[1024 + (a >>> 24)] ^
      t[768 + data[i + 4]] ^ t[512 + data[i + 5]] ^ t[256 + data[i + 6]] ^ t[data[i + 7]];
  }
  for (; i < n; i++) crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

// CRC-64/NVME's reflected polynomial, as high and low 32-bit halves.
const POLY64_HI = 0x9a6c9329;
const POLY64_LO = 0xac4bc9b5;

function tables64(): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(2048);
  const lo = new Uint32Array(2048);
  for (let n = 0; n < 256; n++) {
    let h = 0;
    let l = n;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        h = (h ^ POLY64_HI) >>> 0;
        l = (l ^ POLY64_LO) >>> 0;
      }
    }
    hi[n] = h;
    lo[n] = l;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const h = hi[(k - 1) * 256 + n];
      const l = lo[(k - 1) * 256 + n];
      const idx = l & 0xff;
      lo[k * 256 + n] = (((l >>> 8) | (h << 24)) ^ lo[idx]) >>> 0;
      hi[k * 256 + n] = ((h >>> 8) ^ hi[idx]) >>> 0;
    }
  }
  return { hi, lo };
}

const C64 = tables64();

/** Running CRC-64/NVME over two 32-bit halves; start from [0, 0]. */
export function crc64nvme(data: Uint8Array, previous: readonly [hi: number, lo: number] = [0, 0]): [hi: number, lo: number] {
  const { hi: H, lo: L } = C64;
  let h = ~previous[0] >>> 0;
  let l = ~previous[1] >>> 0;
  let i = 0;
  const n = data.length;
  for (; i + 8 <= n; i += 8) {
    const a = (l ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
    const b = (h ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24))) >>> 0;
    const a0 = 1792 + (a & 0xff), a1 = 1536 + ((a >>> 8) & 0xff), a2 = 1280 + ((a >>> 16) & 0xff), a3 = 1024 + (a >>> 24);
    const b0 = 768 + (b & 0xff), b1 = 512 + ((b >>> 8) & 0xff), b2 = 256 + ((b >>> 16) & 0xff), b3 = b >>> 24;
    l = L[a0] ^ L[a1] ^ L[a2] ^ L[a3] ^ L[b0] ^ L[b1] ^ L[b2] ^ L[b3];
    h = H[a0] ^ H[a1] ^ H[a2] ^ H[a3] ^ H[b0] ^ H[b1] ^ H[b2] ^ H[b3];
  }
  for (; i < n; i++) {
    const idx = (l ^ data[i]) & 0xff;
    l = (((l >>> 8) | (h << 24)) ^ L[idx]) >>> 0;
    h = ((h >>> 8) ^ H[idx]) >>> 0;
  }
  return [~h >>> 0, ~l >>> 0];
}

/** Reflected polynomials as BigInt, for combining. */
export const CRC_POLYNOMIALS = {
  crc32: { width: 32, poly: 0xedb88320n },
  crc32c: { width: 32, poly: 0x82f63b78n },
  crc64nvme: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
} as const;

type Poly = { width: number; poly: bigint };

function multModP(a: bigint, b: bigint, { width, poly }: Poly): bigint {
  let m = 1n << BigInt(width - 1);
  let p = 0n;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1n)) === 0n) break;
    }
    m >>= 1n;
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return p;
}

const powerTables = new Map<Poly, bigint[]>();

function powers(p: Poly): bigint[] {
  let table = powerTables.get(p);
  if (!table) {
    table = [1n << BigInt(p.width - 2)];
    for (let n = 1; n < 64; n++) table.push(multModP(table[n - 1], table[n - 1], p));
    powerTables.set(p, table);
  }
  return table;
}

/** x^(8*bytes) modulo the polynomial, the factor that shifts a CRC past `bytes` zero bytes. */
function shiftFactor(bytes: number, p: Poly): bigint {
  const table = powers(p);
  let result = 1n << BigInt(p.width - 1);
  let n = BigInt(bytes);
  let k = 3;
  while (n > 0n) {
    if (n & 1n) result = multModP(table[k & 63], result, p);
    n >>= 1n;
    k++;
  }
  return result;
}

/** CRC of A‖B from crc(A), crc(B) and B's length. */
export function crcCombine(crcA: bigint, crcB: bigint, lengthB: number, p: Poly): bigint {
  if (lengthB === 0) return crcA;
  return multModP(shiftFactor(lengthB, p), crcA, p) ^ crcB;
}
