import { bucketArn } from './arns.js';
import { malformedPolicy } from './errors.js';

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/**
 * What S3 checks of a bucket policy before storing it, with its MalformedPolicy texts: JSON
 * starting with `{`, statements with Effect, Principal, Action and Resource, S3 actions only, and
 * resources inside this bucket. It is evaluated as a resource-based policy once IAM enforces.
 */
export function validateBucketPolicy(bucket: string, text: string): void {
  let doc: unknown;
  try {
    if (!text.trimStart().startsWith('{')) throw new Error();
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  const record = doc as Record<string, unknown>;
  if (record.Version !== undefined && record.Version !== '2012-10-17' && record.Version !== '2008-10-17') {
    throw malformedPolicy('The policy must contain a valid version string');
  }
  if (record.Statement === undefined) throw malformedPolicy('Missing required field Statement');
  const statements = asList(record.Statement);
  if (statements.length === 0) throw malformedPolicy('Could not parse the policy: Statement is empty!');
  for (const raw of statements) {
    if (typeof raw !== 'object' || raw === null) throw malformedPolicy('This policy contains invalid Json');
    const s = raw as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy(s.Effect === undefined ? 'Missing required field Effect' : 'Invalid effect: ' + String(s.Effect));
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformedPolicy('Missing required field Principal');
    if (s.Action === undefined && s.NotAction === undefined) throw malformedPolicy('Missing required field Action');
    if (s.Resource === undefined && s.NotResource === undefined) throw malformedPolicy('Missing required field Resource');
    for (const action of asList(s.Action ?? s.NotAction)) {
      if (typeof action !== 'string' || !(action === '*' || /^s3:[A-Za-z*?]+$/.test(action))) throw malformedPolicy('Policy has invalid action');
    }
    const arn = bucketArn(bucket);
    for (const resource of asList(s.Resource ?? s.NotResource)) {
      if (typeof resource !== 'string') throw malformedPolicy('Policy has invalid resource');
      const prefix = resource.replace(/\*.*$/, '');
      if (!(resource === '*' || resource === arn || resource.startsWith(arn + '/') || arn.startsWith(prefix))) throw malformedPolicy('Policy has invalid resource');
    }
  }
}
