import { randomBytes, randomInt } from 'node:crypto';

/** The base32 alphabet AWS access key ids are drawn from. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

/**
 * A fresh set of temporary credentials: an ASIA key id of 20 characters, a 40-character secret,
 * and a session token that is opaque base64 (AWS promises no size; real ones run to hundreds of
 * characters, which clients must carry, so these do too).
 */
export function newTemporaryCredentials(): TemporaryCredentials {
  let accessKeyId = 'ASIA';
  for (let i = 0; i < 16; i++) accessKeyId += ALPHABET[randomInt(ALPHABET.length)];
  return {
    accessKeyId,
    secretAccessKey: randomBytes(30).toString('base64'),
    sessionToken: randomBytes(360).toString('base64'),
  };
}

/** AWS hands out expirations to the second. */
export function expiration(now: Date, seconds: number): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
}
