import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { crc32c, crc64nvme, crcCombine, CRC_POLYNOMIALS } from './crc.js';

/**
 * The additional checksums S3 verifies and stores (`x-amz-checksum-<name>`), by their API names.
 * The xxHash family is in the model too but has no implementation here: asking for it is refused.
 */
export const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];
export const UNSUPPORTED_ALGORITHMS = ['XXHASH64', 'XXHASH3', 'XXHASH128'] as const;

export type ChecksumType = 'COMPOSITE' | 'FULL_OBJECT';

/** Digest sizes in bytes, to recognise a well-formed base64 value. */
const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32, SHA512: 64, MD5: 16 };

/** The input member (`ChecksumCRC32`...) and header (`x-amz-checksum-crc32`) of an algorithm. */
export const memberOf = (algorithm: ChecksumAlgorithm) => `Checksum${algorithm}` as const;
export const headerOf = (algorithm: string) => `x-amz-checksum-${algorithm.toLowerCase()}`;

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);
}

export function isWellFormed(algorithm: ChecksumAlgorithm, value: string): boolean {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  return Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm];
}

/** CRCs compose across parts; the SHA and MD5 families do not. */
export const isCrc = (algorithm: ChecksumAlgorithm) => algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';

/** What each algorithm allows for multipart uploads, and what it gets when the client names none. */
export function allowedTypes(algorithm: ChecksumAlgorithm): ChecksumType[] {
  if (algorithm === 'CRC64NVME') return ['FULL_OBJECT'];
  return isCrc(algorithm) ? ['COMPOSITE', 'FULL_OBJECT'] : ['COMPOSITE'];
}
export const defaultType = (algorithm: ChecksumAlgorithm): ChecksumType => (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');

export interface Hasher {
  update(chunk: Uint8Array): void;
  /** Base64 of the digest, as S3 writes checksums. */
  digest(): string;
}

class CryptoHasher implements Hasher {
  private readonly hash: Hash;
  constructor(name: string) {
    this.hash = createHash(name);
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): string {
    return this.hash.digest('base64');
  }
}

class Crc32Hasher implements Hasher {
  private value = 0;
  constructor(private readonly fn: (data: Uint8Array, previous: number) => number) {}
  update(chunk: Uint8Array): void {
    this.value = this.fn(chunk, this.value);
  }
  digest(): string {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.value >>> 0);
    return out.toString('base64');
  }
}

class Crc64Hasher implements Hasher {
  private value: [number, number] = [0, 0];
  update(chunk: Uint8Array): void {
    this.value = crc64nvme(chunk, this.value);
  }
  digest(): string {
    const out = Buffer.alloc(8);
    out.writeUInt32BE(this.value[0]);
    out.writeUInt32BE(this.value[1], 4);
    return out.toString('base64');
  }
}

export function createHasher(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32Hasher((data, previous) => crc32(data, previous));
    case 'CRC32C':
      return new Crc32Hasher(crc32c);
    case 'CRC64NVME':
      return new Crc64Hasher();
    case 'SHA1':
      return new CryptoHasher('sha1');
    case 'SHA256':
      return new CryptoHasher('sha256');
    case 'SHA512':
      return new CryptoHasher('sha512');
    case 'MD5':
      return new CryptoHasher('md5');
  }
}

/** A composite checksum: the algorithm over the concatenated binary part checksums, then `-N`. */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: string[]): string {
  const hasher = createHasher(algorithm);
  for (const value of partChecksums) hasher.update(Buffer.from(value, 'base64'));
  return `${hasher.digest()}-${partChecksums.length}`;
}

/** A full-object CRC from the parts' CRCs and sizes, without reading the data again. */
export function combinedCrc(algorithm: ChecksumAlgorithm, parts: { checksum: string; size: number }[]): string {
  const key = algorithm.toLowerCase() as keyof typeof CRC_POLYNOMIALS;
  const poly = CRC_POLYNOMIALS[key];
  const bytes = poly.width / 8;
  let crc: bigint | undefined;
  for (const part of parts) {
    const value = BigInt('0x' + Buffer.from(part.checksum, 'base64').toString('hex'));
    crc = crc === undefined ? value : crcCombine(crc, value, part.size, poly);
  }
  const out = Buffer.alloc(bytes);
  const hex = (crc ?? 0n).toString(16).padStart(bytes * 2, '0');
  out.write(hex, 'hex');
  return out.toString('base64');
}
