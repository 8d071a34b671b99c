import { createHash } from 'node:crypto';
import { Sha256 } from '../helpers/sha256.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { checkGitPassword, gitPassword } from '../../src/core/git-password.js';
import { readSignature, sha256Hex, verifySignature, type SignedRequest } from '../../src/core/sigv4-verify.js';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const now = new Date('2026-11-26T10:00:00Z');

async function signed(body: string, opts: { query?: Record<string, string>; path?: string; service?: string } = {}) {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret }, region: 'eu-west-1', service: opts.service ?? 'codecommit', sha256: Sha256 });
  const request = await signer.sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4577,
      path: opts.path ?? '/',
      query: opts.query ?? {},
      headers: { host: '127.0.0.1:4577', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeCommit_20150413.ListRepositories', 'x-amz-content-sha256': sha256Hex(body) },
      body,
    },
    { signingDate: now },
  );
  const query = new URLSearchParams(request.query as Record<string, string>).toString();
  return { method: 'POST', path: request.path, query, headers: request.headers, bodySha256: sha256Hex(body), s3: false } satisfies SignedRequest;
}

function verify(req: SignedRequest, key = secret, at = now) {
  const info = readSignature(req);
  if ('kind' in info) return info.kind;
  return verifySignature(req, info, key, at)?.kind ?? 'ok';
}

describe('SigV4 verification', () => {
  it('answers a query whose escapes are not UTF-8 with a mismatch, not an exception', async () => {
    const req = await signed('{}', { query: { a: '1' } });
    expect(verify({ ...req, query: 'a=%ff&b=%' })).toBe('mismatch');
  });

  it('accepts what the SDK signer signs, with query and path', async () => {
    expect(verify(await signed('{}'))).toBe('ok');
    expect(verify(await signed('{"a":1}', { query: { b: 'x y', a: '1' }, path: '/some/path' }))).toBe('ok');
  });

  it('refuses a wrong secret, a tampered body, a tampered header and a stale date', async () => {
    const req = await signed('{}');
    expect(verify(req, 'another-secret')).toBe('mismatch');
    expect(verify({ ...req, bodySha256: sha256Hex('{"evil":true}') })).toBe('payload');
    expect(verify({ ...req, headers: { ...req.headers, 'x-amz-target': 'CodeCommit_20150413.DeleteRepository' } })).toBe('mismatch');
    expect(verify(req, secret, new Date(now.getTime() + 16 * 60 * 1000))).toBe('expired');
  });

  it('tells an unsigned request from a malformed one', () => {
    expect(verify({ method: 'GET', path: '/', query: '', headers: {}, s3: false })).toBe('missing');
    expect(verify({ method: 'GET', path: '/', query: '', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' }, s3: false })).toBe('malformed');
  });
});

describe('SigV4-derived git passwords', () => {
  it('reproduces the documented worked example', () => {
    const ts = '20171224T115320';
    expect(gitPassword('secret', ts, 'us-west-2', 'git-codecommit.us-west-2.amazonaws.com', '/v1/repos/test_repo')).toBe(
      '20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a',
    );
    expect(gitPassword('secret', ts, 'us-west-2', 'land.called.honahlee', '/v1/repos/test_repo')).toBe(
      '20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0',
    );
  });

  it('checks candidates of region, host and path, and the age of the password', () => {
    const at = new Date('2017-12-24T11:55:00Z');
    const pw = '20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0';
    const candidates = { regions: ['us-east-1', 'us-west-2'], hosts: ['land.called.honahlee:443', 'land.called.honahlee'], paths: ['/v1/repos/test_repo'] };
    expect(checkGitPassword(pw, 'secret', candidates, at)).toBe('ok');
    expect(checkGitPassword(pw, 'wrong', candidates, at)).toBe('mismatch');
    expect(checkGitPassword(pw, 'secret', candidates, new Date('2017-12-24T13:00:00Z'))).toBe('expired');
  });
});
