import { createHash, randomBytes, randomInt } from 'node:crypto';

/**
 * IAM's unique identifiers: a four-letter prefix naming the kind of entity, then upper-case
 * letters and the digits 2-7 (the base32 alphabet real IAM ids are drawn from).
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type IdPrefix = 'AIDA' | 'AGPA' | 'AROA' | 'ANPA' | 'AKIA' | 'ACCA';

function randomId(prefix: IdPrefix, length: number): string {
  let id = prefix;
  for (let i = 0; i < length; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** AIDA (users), AGPA (groups), AROA (roles), ANPA (policies), ACCA (service credentials): 21 characters. */
export const entityId = (prefix: Exclude<IdPrefix, 'AKIA'>): string => randomId(prefix, 17);

/** Long-term access key ids are 20 characters: AKIA and 16 more. */
export const newAccessKeyId = (): string => randomId('AKIA', 16);

/** 40 characters of base64, like the secrets IAM hands out. */
export const newSecretAccessKey = (): string => randomBytes(30).toString('base64');

/** 32 random bytes as base64: the 44-character passwords of HTTPS Git credentials. */
export const newServicePassword = (): string => randomBytes(32).toString('base64');

/** The same id on every start for something that is not created by a call (AWS managed policies). */
export function stableId(prefix: IdPrefix, seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += ALPHABET[digest[i] % ALPHABET.length];
  return id;
}
