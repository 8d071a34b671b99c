import { constantTimeEqual, hmacHex, sha256Hex, signingKey } from './sigv4-verify.js';

/**
 * The password `aws codecommit credential-helper` and git-remote-codecommit derive from AWS
 * credentials: `<YYYYMMDDTHHMMSS>Z<signature>` over the canonical request
 * `GIT\n<path>\n\nhost:<host>\n\nhost\n` (see the project's reference git-auth.md).
 */
export const GIT_PASSWORD = /^(\d{8}T\d{6})Z([0-9a-f]{64})$/;

export function gitPassword(secret: string, timestamp: string, region: string, host: string, path: string): string {
  const canonical = `GIT\n${path}\n\nhost:${host}\n\nhost\n`;
  const date = timestamp.slice(0, 8);
  const stringToSign = `AWS4-HMAC-SHA256\n${timestamp}\n${date}/${region}/codecommit/aws4_request\n${sha256Hex(canonical)}`;
  return `${timestamp}Z${hmacHex(signingKey(secret, date, region, 'codecommit'), stringToSign)}`;
}

export type GitPasswordCheck = 'ok' | 'mismatch' | 'expired';

/**
 * Region is not sent, and clients sign the host with or without its port and the path with or
 * without a `.git` suffix: any of those candidates that reproduces the password authenticates.
 */
export function checkGitPassword(
  password: string,
  secret: string,
  candidates: { regions: string[]; hosts: string[]; paths: string[] },
  now: Date,
  maxAgeMs = 15 * 60 * 1000,
): GitPasswordCheck {
  const m = GIT_PASSWORD.exec(password);
  if (!m) return 'mismatch';
  const ts = m[1];
  const signedAt = Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(9, 11), +ts.slice(11, 13), +ts.slice(13, 15));
  for (const region of candidates.regions) {
    for (const host of candidates.hosts) {
      for (const path of candidates.paths) {
        if (constantTimeEqual(gitPassword(secret, ts, region, host, path), password)) {
          return Math.abs(now.getTime() - signedAt) > maxAgeMs ? 'expired' : 'ok';
        }
      }
    }
  }
  return 'mismatch';
}
