import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';

const bytes = (d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** The hash the SDK's SigV4 signer takes: SHA-256, or HMAC-SHA-256 when given a key. */
export class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(key?: string | ArrayBuffer | ArrayBufferView) {
    this.h = key ? createHmac('sha256', bytes(key)) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
}
