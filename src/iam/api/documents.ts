import { parsePolicy, PolicyParseError } from '../policy/index.js';
import { malformedPolicyDocument } from './errors.js';

/**
 * Policy documents as IAM keeps them: the text exactly as written, checked on write by the policy
 * language's validator, and handed back URL-encoded per RFC 3986 (everything but
 * `A-Z a-z 0-9 - . _ ~` percent-encoded), which is how IAM's Query API returns every document.
 */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type DocumentKind = 'inline' | 'managed' | 'trust';

/** Throws MalformedPolicyDocument with IAM's text when the document would be refused. */
export function checkDocument(text: string, kind: DocumentKind): void {
  try {
    parsePolicy(text, { kind: kind === 'trust' ? 'trust' : 'identity', requireVersion2012: kind === 'managed' });
  } catch (err) {
    if (err instanceof PolicyParseError) throw malformedPolicyDocument(err.message);
    throw err;
  }
}

/** IAM sizes policies without their whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

/** The AWS principals a trust policy names, for checking that same-account users and roles exist. */
export function trustPolicyAwsPrincipals(text: string): string[] {
  const doc = JSON.parse(text) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const names: string[] = [];
  for (const statement of statements as { Principal?: unknown }[]) {
    const principal = statement?.Principal;
    if (typeof principal !== 'object' || principal === null) continue;
    const aws = (principal as Record<string, unknown>).AWS;
    for (const value of Array.isArray(aws) ? aws : [aws]) if (typeof value === 'string') names.push(value);
  }
  return names;
}
