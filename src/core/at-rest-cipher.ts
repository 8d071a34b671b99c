import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';

const KEY_FILE = 'at-rest.key';
const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for values kept encrypted at rest (SecureString parameters, secrets). One key per
 * data directory, written with mode 0600 the first time something is encrypted. The associated
 * data names what the value belongs to, so a blob copied to another row no longer decrypts.
 */
export class AtRestCipher {
  private key: Buffer | undefined;

  constructor(private readonly dir: string) {}

  encrypt(plain: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.secretKey(), iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), body]);
  }

  /** Throws when the blob was not made by this key for this context. */
  decrypt(blob: Buffer, context: string): Buffer {
    if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT) throw new Error('not an at-rest ciphertext');
    const iv = blob.subarray(1, 1 + IV_BYTES);
    const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.secretKey(), iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  private secretKey(): Buffer {
    if (this.key) return this.key;
    const file = join(this.dir, KEY_FILE);
    try {
      writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch (err) {
      // Another server on the same data directory may have written it first: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const key = readFileSync(file);
    if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte key`);
    this.key = key;
    return key;
  }
}
