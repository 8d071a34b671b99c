import { describe, it, expect } from 'vitest';
import { parsePolicy, PolicyParseError, POLICY_ERRORS, type ParseOptions } from '../../src/iam/policy/index.js';

const S3 = 'arn:aws:s3:::example_bucket';
const statement = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Action: 's3:ListBucket', Resource: S3, ...extra });
const v12 = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements });

function errorOf(document: unknown, options: ParseOptions = {}): string | undefined {
  try {
    parsePolicy(typeof document === 'string' ? document : JSON.stringify(document), options);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyParseError);
    return (err as PolicyParseError).message;
  }
}

describe('grammar', () => {
  it.each<[string, unknown]>([
    ['not JSON', 'This is not a json document'],
    ['a JSON array', '[]'],
    ['an unknown version', { Version: '2013-10-17', Statement: statement() }],
    ['no Statement', { Version: '2012-10-17' }],
    ['an empty Statement list', { Version: '2012-10-17', Statement: [] }],
    ['a statement that is not an object', { Version: '2012-10-17', Statement: ['afd'] }],
    ['an unknown top-level element', { ...v12(statement()), 'Extra field': 'value' }],
    ['an unknown statement element', v12(statement({ 'Extra field': 'value' }))],
    ['an Id that is not a string', { ...v12(statement()), Id: {} }],
    ['no Effect', v12({ Action: 's3:ListBucket', Resource: S3 })],
    ['an invalid Effect', v12(statement({ Effect: 'invalid' }))],
    ['Action and NotAction together', v12(statement({ NotAction: 's3:GetObject' }))],
    ['Resource and NotResource together', v12(statement({ NotResource: '*' }))],
    ['a Resource object', v12(statement({ Resource: { a: S3 } }))],
    ['a Resource list holding an object', v12(statement({ Resource: ['adfdf', {}] }))],
    ['a nested Action list', v12(statement({ Action: [[]] }))],
    ['a Condition list', v12(statement({ Condition: [] }))],
    ['a Condition string', v12(statement({ Condition: 'a' }))],
    ['an operator that is not an object', v12(statement({ Condition: { DateGreaterThan: 'b' } }))],
    ['a condition value that is an object', v12(statement({ Condition: { DateGreaterThan: { a: {} } } }))],
    ['a Sid that is not a string', v12(statement({ Sid: [] }))],
    ['Principal and NotPrincipal together', v12(statement({ Principal: '*', NotPrincipal: '*' }))],
    ['an unknown principal type', v12(statement({ Principal: { Person: 'x' } }))],
  ])('rejects %s as a syntax error', (_name, document) => {
    expect(errorOf(document, { kind: _name.includes('rincipal') ? 'resource' : 'identity' })).toBe('Syntax errors in policy.');
  });

  it('words unparsable trust policy JSON as CreateRole does', () => {
    expect(errorOf('{"Version":', { kind: 'trust' })).toBe('This policy contains invalid Json');
  });

  it('accepts a statement object or a list, and an absent Version', () => {
    expect(errorOf(v12(statement()))).toBeUndefined();
    expect(errorOf({ Version: '2012-10-17', Statement: [statement()] })).toBeUndefined();
    expect(errorOf({ Statement: statement() })).toBeUndefined();
    expect(errorOf({ Version: '2008-10-17', Statement: statement() })).toBeUndefined();
  });

  it('accepts a parsed object as well as text', () => {
    expect(parsePolicy(v12(statement())).statements).toHaveLength(1);
  });
});

describe('version', () => {
  it('managed policies must be 2012-10-17', () => {
    expect(errorOf({ Statement: statement() }, { requireVersion2012: true })).toBe(POLICY_ERRORS.version);
    expect(errorOf({ Version: '2008-10-17', Statement: statement() }, { requireVersion2012: true })).toBe(
      'Policy document must be version 2012-10-17 or greater.',
    );
  });

  it('the version check comes before the legacy parser', () => {
    expect(errorOf({ Statement: statement({ Effect: 'denY' }) }, { requireVersion2012: true })).toBe(POLICY_ERRORS.version);
  });

  it('reports the version, absent meaning 2008-10-17', () => {
    expect(parsePolicy(JSON.stringify({ Statement: statement() })).version).toBe('2008-10-17');
    expect(parsePolicy(JSON.stringify(v12(statement()))).version).toBe('2012-10-17');
  });
});

describe('legacy parsing', () => {
  it.each<[string, unknown]>([
    ['an Effect in the wrong case', v12(statement({ Effect: 'denY' }))],
    ['a date that is no date', v12(statement({ Condition: { DateGreaterThan: { a: 'sdfdsf' } } }))],
    ['a month out of range', v12(statement({ Condition: { DateLessThanEquals: { a: '234-13' } } }))],
    ['a one-digit zone hour', v12(statement({ Condition: { DateLessThanEquals: { a: '2016-12-13t2:00:00.593194+1' } } }))],
    ['epoch seconds past 2^63-1', v12(statement({ Condition: { DateLessThan: { a: '9223372036854775808' } } }))],
    ['a resource with too few parts', v12(statement({ Resource: 'arn:aws:s3::example_bucket' }))],
    ['an empty service', v12(statement({ Resource: 'arn:aws::::example_bucket' }))],
    ['the same with NotResource', v12(statement({ Resource: undefined, NotResource: 'arn:aws:s3::example_bucket' }))],
  ])('rejects %s', (_name, document) => {
    expect(errorOf(document)).toBe('The policy failed legacy parsing');
  });

  it('comes before missing actions', () => {
    expect(errorOf(v12({ Effect: 'Allow', Condition: { DateGreaterThan: { a: 'sdfdsf' } } }))).toBe(POLICY_ERRORS.legacyParsing);
  });

  it.each(['2019-07-01T13:20:15Z', '2016-12-13T21:20:37.593194+00:00', '2016-12-13t2:00:00.593194+23', '01T', '1717243200', '2024-06-01'])(
    'accepts the date %s',
    (date) => {
      expect(errorOf(v12(statement({ Condition: { DateLessThan: { 'aws:CurrentTime': date } } })))).toBeUndefined();
    },
  );
});

describe('statement checks in order', () => {
  it('statement IDs must be unique', () => {
    expect(errorOf(v12(statement({ Sid: 'sdf' }), { Sid: 'sdf', Effect: 'Allow' }))).toBe('Statement IDs (SID) in a single policy must be unique.');
  });

  it('identity policy statement IDs must be alphanumeric', () => {
    expect(errorOf(v12(statement({ Sid: 'Allow-List' })))).toBe(POLICY_ERRORS.sidFormat);
    expect(errorOf(v12(statement({ Sid: 'AllowList1' })))).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['no action element', v12({ Effect: 'Allow', Resource: S3 })],
    ['an empty action list', v12(statement({ Action: [] }))],
    ['a later statement without actions', v12({ Effect: 'Deny' }, statement())],
  ])('requires actions: %s', (_name, document) => {
    expect(errorOf(document)).toBe('Policy statement must contain actions.');
  });

  it.each<[string, unknown]>([
    ['no resource element', v12({ Effect: 'Allow', Action: 's3:ListBucket' })],
    ['an empty resource list', v12(statement({ Resource: [] }))],
    ['before an invalid action vendor', v12({ Effect: 'Allow', Action: 'invalid' })],
  ])('requires resources: %s', (_name, document) => {
    expect(errorOf(document)).toBe('Policy statement must contain resources.');
  });

  it.each<[string, string]>([
    ['invalid resource', 'Resource invalid resource must be in ARN format or "*".'],
    ['', 'Resource  must be in ARN format or "*".'],
    ['a:bsdfdsafsad', 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
    ['a:b:cadfsdf', 'Partition "b" is not valid for resource "arn:b:cadfsdf:*:*:*".'],
    ['a:b:c:d:e:f:g:h', 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
    ['aws:s3:::example_bucket', 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
    ['arn:aws', 'Resource vendor must be fully qualified and cannot contain regexes.'],
    ['arn:aws:iam:us-east-1::example_bucket', 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.'],
    ['arn:aws:s3:us-east-1::example_bucket', 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.'],
  ])('reports the resource format error of %j', (resource, message) => {
    expect(errorOf(v12(statement({ Resource: resource })))).toBe(message);
  });

  it('names the last bad resource of a list in descending order', () => {
    expect(errorOf(v12(statement({ Resource: ['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'] })))).toBe(
      'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".',
    );
  });

  it('lists the allowed IAM resource paths', () => {
    expect(errorOf(v12(statement({ Resource: 'arn:aws:iam:::example_bucket' })))).toMatch(/^IAM resource path must either be "\*", root, or start with user\/, federated-user\/, role\//);
    expect(errorOf(v12(statement({ Resource: 'arn:aws:iam::*:user/${aws:username}' })))).toBeUndefined();
  });

  it.each<[string, string]>([
    ['invalid', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['s3:List:Bucket', 'Actions/Condition can contain only one colon.'],
    ['a a:ListBucket', 'Vendor a a is not valid'],
    ['code*:GetRepository', 'Vendor code* is not valid'],
  ])('checks the action vendor of %j', (action, message) => {
    expect(errorOf(v12(statement({ Action: action })))).toBe(message);
  });

  it('accepts odd but valid actions and resources', () => {
    for (const doc of [
      v12(statement({ Action: 'iam: asdf safdsf af ' })),
      v12(statement({ Action: 's3-s.x:ListBucket' })),
      v12(statement({ Resource: 'arn:aws:fdsasf' })),
      v12(statement({ Resource: 'arn:aws:invalid-service:us-east-1::example_bucket' })),
      v12(statement({ Action: undefined, NotAction: 's3:ListBucket', NotResource: '*', Resource: undefined })),
    ]) {
      expect(errorOf(doc)).toBeUndefined();
    }
  });
});

describe('principals by policy kind', () => {
  const trust = (extra: Record<string, unknown> = {}) => v12({ Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra });

  it('identity policies must not name a principal, before the resource check', () => {
    expect(errorOf(v12(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })))).toBe('Policy document should not specify a principal.');
    expect(errorOf(v12({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }))).toBe(POLICY_ERRORS.principalNotAllowed);
  });

  it('resource policies need a principal in every statement', () => {
    expect(errorOf(v12(statement()), { kind: 'resource' })).toBe('Missing required field Principal');
    expect(errorOf(v12(statement({ Principal: '*' })), { kind: 'resource' })).toBeUndefined();
    expect(errorOf(v12(statement({ Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:user/a'] } })), { kind: 'resource' })).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [{ AWS: 'arn:aws:iam::111122223333:user/*' }, 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:user/*"'],
    [{ AWS: 'alice' }, 'Invalid principal in policy: "AWS":"alice"'],
    ['arn:aws:iam::111122223333:root', 'Invalid principal in policy: "AWS":"arn:aws:iam::111122223333:root"'],
    [{ Service: 'codepipeiine' }, 'Invalid principal in policy: "SERVICE":"codepipeiine"'],
    [{ CanonicalUser: 'abc' }, 'Invalid principal in policy: "CANONICALUSER":"abc"'],
  ])('rejects the principal %j', (principal, message) => {
    expect(errorOf(v12(statement({ Principal: principal })), { kind: 'resource' })).toBe(message);
  });

  it('trust policies: a valid one', () => {
    expect(errorOf(trust(), { kind: 'trust' })).toBeUndefined();
    expect(errorOf({ Version: '2008-10-17', Statement: [{ Sid: '', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }, { kind: 'trust' })).toBeUndefined();
    expect(errorOf(trust({ Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' }, Action: 'sts:AssumeRoleWithWebIdentity' }), { kind: 'trust' })).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a non-STS action', { Action: 's3:GetObject' }, 'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity'],
    ['a Resource', { Resource: '*' }, 'Has prohibited field Resource.'],
    ['no principal', { Principal: undefined }, 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!'],
    ['"*" as principal', { Principal: '*' }, 'AssumeRolepolicy contained an invalid principal: "STAR":"*"'],
    ['NotPrincipal', { Principal: undefined, NotPrincipal: { AWS: '111122223333' } }, POLICY_ERRORS.trustNotPrincipal],
    ['an unknown service', { Principal: { Service: 'eks.amazonaws.com.cn' } }, 'Invalid principal in policy: "SERVICE":"eks.amazonaws.com.cn"'],
  ])('trust policies reject %s', (_name, extra, message) => {
    expect(errorOf(trust(extra), { kind: 'trust' })).toBe(message);
  });
});

describe('compiled form', () => {
  it('caches by document text', () => {
    const text = JSON.stringify(v12(statement()));
    expect(parsePolicy(text)).toBe(parsePolicy(`${text}`));
    expect(parsePolicy(text, { kind: 'identity' })).toBe(parsePolicy(text));
  });

  it('keeps separate entries per policy kind', () => {
    const text = JSON.stringify(v12(statement({ Principal: '*' })));
    expect(() => parsePolicy(text)).toThrow(POLICY_ERRORS.principalNotAllowed);
    expect(parsePolicy(text, { kind: 'resource' }).statements[0].principals).toBeDefined();
  });

  it('lists the condition keys it references, once each', () => {
    const compiled = parsePolicy(
      JSON.stringify(v12(statement({ Condition: { StringEquals: { 'aws:username': 'a', 'codecommit:References': 'x' }, StringLike: { 'AWS:UserName': 'b' } } }))),
    );
    expect(compiled.conditionKeys).toEqual(['aws:username', 'codecommit:References']);
  });

  it('keeps Sid, Effect and position of each statement', () => {
    const compiled = parsePolicy(JSON.stringify(v12(statement({ Sid: 'A' }), statement({ Effect: 'Deny' }))));
    expect(compiled.statements.map((s) => [s.index, s.sid, s.effect])).toEqual([
      [0, 'A', 'Allow'],
      [1, undefined, 'Deny'],
    ]);
  });
});
