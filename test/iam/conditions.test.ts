import { describe, it, expect } from 'vitest';
import { parsePolicy, PolicyParseError } from '../../src/iam/policy/index.js';
import { conditionHolds as holds, policy } from './helpers.js';

describe('String operators', () => {
  it('StringEquals is case-sensitive and ORs its values', () => {
    expect(holds({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'Alice' })).toBe(false);
    expect(holds({ StringEquals: { 'aws:username': ['bob', 'alice'] } }, { 'aws:username': 'alice' })).toBe(true);
  });

  it('StringNotEquals is NOR over its values', () => {
    const c = { StringNotEquals: { 'aws:username': ['bob', 'carol'] } };
    expect(holds(c, { 'aws:username': 'alice' })).toBe(true);
    expect(holds(c, { 'aws:username': 'carol' })).toBe(false);
  });

  it('IgnoreCase variants fold case', () => {
    expect(holds({ StringEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'alice' })).toBe(false);
    expect(holds({ StringNotEqualsIgnoreCase: { 'aws:username': 'ALICE' } }, { 'aws:username': 'bob' })).toBe(true);
  });

  it('StringLike takes * and ? anywhere, StringNotLike negates', () => {
    expect(holds({ StringLike: { 'codecommit:References': 'refs/heads/feature/*' } }, { 'codecommit:References': 'refs/heads/feature/a/b' })).toBe(true);
    expect(holds({ StringLike: { 'codecommit:References': 'refs/*/v?' } }, { 'codecommit:References': 'refs/tags/v1' })).toBe(true);
    expect(holds({ StringLike: { 'codecommit:References': 'refs/*/v?' } }, { 'codecommit:References': 'refs/tags/v10' })).toBe(false);
    expect(holds({ StringLike: { 'aws:username': 'A*' } }, { 'aws:username': 'alice' })).toBe(false);
    expect(holds({ StringNotLike: { 'codecommit:References': ['refs/heads/main', 'refs/tags/*'] } }, { 'codecommit:References': 'refs/heads/dev' })).toBe(true);
    expect(holds({ StringNotLike: { 'codecommit:References': ['refs/heads/main', 'refs/tags/*'] } }, { 'codecommit:References': 'refs/tags/v1' })).toBe(false);
  });

  it('compares booleans and numbers in the request as their text', () => {
    expect(holds({ StringEquals: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true })).toBe(true);
    expect(holds({ StringEquals: { 'aws:EpochTime': '10' } }, { 'aws:EpochTime': 10 })).toBe(true);
  });
});

describe('Numeric operators', () => {
  const ctx = { 's3:max-keys': '10' };
  it.each([
    ['NumericEquals', '10', true],
    ['NumericEquals', '10.0', true],
    ['NumericEquals', '11', false],
    ['NumericNotEquals', '11', true],
    ['NumericNotEquals', '10', false],
    ['NumericLessThan', '11', true],
    ['NumericLessThan', '10', false],
    ['NumericLessThanEquals', '10', true],
    ['NumericLessThanEquals', '9.5', false],
    ['NumericGreaterThan', '9', true],
    ['NumericGreaterThan', '10', false],
    ['NumericGreaterThanEquals', '10', true],
    ['NumericGreaterThanEquals', '10.5', false],
  ])('%s %s against 10 -> %s', (operator, value, expected) => {
    expect(holds({ [operator]: { 's3:max-keys': value } }, ctx)).toBe(expected);
  });

  it('takes JSON numbers in the policy and numbers in the request', () => {
    expect(holds({ NumericLessThanEquals: { 's3:max-keys': 10 } }, { 's3:max-keys': 3 })).toBe(true);
  });

  it('does not match a value that is not a number', () => {
    expect(holds({ NumericLessThan: { 's3:max-keys': '10' } }, { 's3:max-keys': 'ten' })).toBe(false);
  });
});

describe('Date operators', () => {
  const now = { 'aws:CurrentTime': '2024-06-01T12:00:00Z', 'aws:EpochTime': 1717243200 };
  it.each([
    ['DateEquals', '2024-06-01T12:00:00Z', true],
    ['DateEquals', '2024-06-01T14:00:00+02:00', true],
    ['DateNotEquals', '2024-06-01T12:00:01Z', true],
    ['DateNotEquals', '2024-06-01T12:00:00Z', false],
    ['DateLessThan', '2024-06-02', true],
    ['DateLessThan', '2024-06-01T12:00:00Z', false],
    ['DateLessThanEquals', '2024-06-01T12:00:00Z', true],
    ['DateGreaterThan', '2024-01-01T00:00:00Z', true],
    ['DateGreaterThan', '2030-01-01T00:00:00Z', false],
    ['DateGreaterThanEquals', '2024-06-01T12:00:00.000Z', true],
  ])('%s %s -> %s', (operator, value, expected) => {
    expect(holds({ [operator]: { 'aws:CurrentTime': value } }, now)).toBe(expected);
  });

  it('compares epoch seconds and ISO 8601 on one scale', () => {
    expect(holds({ DateEquals: { 'aws:CurrentTime': '1717243200' } }, now)).toBe(true);
    expect(holds({ DateGreaterThan: { 'aws:EpochTime': '2024-01-01T00:00:00Z' } }, now)).toBe(true);
    expect(holds({ DateLessThan: { 'aws:EpochTime': '1717243199' } }, now)).toBe(false);
  });
});

describe('Bool, BinaryEquals, IpAddress', () => {
  it('Bool compares true/false in any case, from booleans or text', () => {
    expect(holds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': 'TRUE' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': true })).toBe(false);
    expect(holds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': true })).toBe(true);
  });

  it('BinaryEquals compares base64 bytes', () => {
    const value = Buffer.from('QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'base64').toString('base64');
    expect(holds({ BinaryEquals: { 'key:bin': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, { 'key:bin': value })).toBe(true);
    expect(holds({ BinaryEquals: { 'key:bin': 'AAAA' } }, { 'key:bin': 'AAAB' })).toBe(false);
  });

  it('IpAddress matches IPv4 and IPv6 CIDR blocks; a bare address is /32', () => {
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.113.77' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, { 'aws:SourceIp': '203.0.114.1' })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.7' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, { 'aws:SourceIp': '203.0.113.8' })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, { 'aws:SourceIp': '2001:db8:1234:5678:abcd::1' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '2001:DB8:1234:5678::/64' } }, { 'aws:SourceIp': '2001:db8:1234:5679::1' })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '::1/128'] } }, { 'aws:SourceIp': '::1' })).toBe(true);
  });

  it('reads an IPv4-mapped IPv6 request address as IPv4', () => {
    expect(holds({ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, { 'aws:SourceIp': '::ffff:127.0.0.1' })).toBe(true);
  });

  it('NotIpAddress is NOR over the blocks', () => {
    const c = { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24'] } };
    expect(holds(c, { 'aws:SourceIp': '198.51.100.1' })).toBe(true);
    expect(holds(c, { 'aws:SourceIp': '192.0.2.9' })).toBe(false);
  });
});

describe('ARN operators', () => {
  const ctx = { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-1:111122223333:release/Build/Compile' };
  it('ArnEquals and ArnLike compare part by part with wildcards', () => {
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:*:111122223333:release/*' } }, ctx)).toBe(true);
    expect(holds({ ArnEquals: { 'aws:SourceArn': 'arn:aws:codepipeline:*:111122223333:release/*' } }, ctx)).toBe(true);
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:us-east-?:*:*' } }, ctx)).toBe(true);
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:eu-west-1:*:*' } }, ctx)).toBe(false);
  });

  it('a wildcard in one part does not reach into the next', () => {
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:code*:111122223333:release/*' } }, ctx)).toBe(false);
  });

  it('does not match a value that is not an ARN', () => {
    expect(holds({ ArnLike: { 'aws:SourceArn': 'arn:aws:codepipeline:*:*:*' } }, { 'aws:SourceArn': 'release' })).toBe(false);
  });

  it('ArnNotEquals and ArnNotLike negate', () => {
    expect(holds({ ArnNotLike: { 'aws:SourceArn': 'arn:aws:codebuild:*:*:*' } }, ctx)).toBe(true);
    expect(holds({ ArnNotEquals: { 'aws:SourceArn': 'arn:aws:codepipeline:*:*:*' } }, ctx)).toBe(false);
  });
});

describe('missing keys', () => {
  it.each([
    ['StringEquals', false],
    ['StringNotEquals', true],
    ['StringEqualsIgnoreCase', false],
    ['StringNotEqualsIgnoreCase', true],
    ['StringLike', false],
    ['StringNotLike', true],
    ['NumericEquals', false],
    ['NumericNotEquals', true],
    ['NumericLessThan', false],
    ['DateEquals', false],
    ['DateNotEquals', true],
    ['DateGreaterThan', false],
    ['Bool', false],
    ['BinaryEquals', false],
    ['IpAddress', false],
    ['NotIpAddress', true],
    ['ArnEquals', false],
    ['ArnLike', false],
    ['ArnNotEquals', true],
    ['ArnNotLike', true],
  ])('%s on an absent key -> %s', (operator, expected) => {
    expect(holds({ [operator]: { 'test:Absent': '1' } })).toBe(expected);
  });

  it.each(['StringEquals', 'StringNotEquals', 'NumericLessThan', 'DateGreaterThan', 'Bool', 'IpAddress', 'ArnLike', 'BinaryEquals'])(
    '%sIfExists on an absent key -> true',
    (operator) => {
      expect(holds({ [`${operator}IfExists`]: { 'test:Absent': '1' } })).toBe(true);
    },
  );

  it('IfExists still tests a present key', () => {
    expect(holds({ StringEqualsIfExists: { 'aws:username': 'alice' } }, { 'aws:username': 'bob' })).toBe(false);
    expect(holds({ StringEqualsIfExists: { 'aws:username': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
  });

  it('Null "true" matches an absent key, "false" a present one', () => {
    expect(holds({ Null: { 'aws:TokenIssueTime': 'true' } })).toBe(true);
    expect(holds({ Null: { 'aws:TokenIssueTime': 'true' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' })).toBe(false);
    expect(holds({ Null: { 'aws:TokenIssueTime': 'false' } }, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' })).toBe(true);
    expect(holds({ Null: { 'aws:TokenIssueTime': false } })).toBe(false);
  });

  it('an empty list counts as absent', () => {
    expect(holds({ Null: { 'aws:TagKeys': 'true' } }, { 'aws:TagKeys': [] })).toBe(true);
  });
});

describe('set operators', () => {
  const tags = (...keys: string[]) => ({ 'aws:TagKeys': keys });

  it('ForAllValues: every request value must match some policy value', () => {
    const c = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'cost-center'] } };
    expect(holds(c, tags('team'))).toBe(true);
    expect(holds(c, tags('team', 'cost-center'))).toBe(true);
    expect(holds(c, tags('team', 'owner'))).toBe(false);
  });

  it('ForAllValues matches an absent or empty key', () => {
    const c = { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } };
    expect(holds(c)).toBe(true);
    expect(holds(c, tags())).toBe(true);
  });

  it('ForAnyValue: at least one request value must match; absent or empty does not', () => {
    const c = { 'ForAnyValue:StringLike': { 'aws:TagKeys': ['team-*'] } };
    expect(holds(c, tags('owner', 'team-a'))).toBe(true);
    expect(holds(c, tags('owner'))).toBe(false);
    expect(holds(c)).toBe(false);
    expect(holds(c, tags())).toBe(false);
  });

  it('ForAnyValue with IfExists matches an absent key', () => {
    expect(holds({ 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'team' } })).toBe(true);
  });

  it('negated operators apply per request value', () => {
    const all = { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret'] } };
    expect(holds(all, tags('team', 'owner'))).toBe(true);
    expect(holds(all, tags('team', 'secret'))).toBe(false);
    const any = { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['secret'] } };
    expect(holds(any, tags('team', 'secret'))).toBe(true);
    expect(holds(any, tags('secret'))).toBe(false);
  });

  it('a single request value acts as a one-element list', () => {
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:username': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
  });

  it('a multivalued key under an operator without a set prefix does not match', () => {
    expect(holds({ StringEquals: { 'aws:TagKeys': 'team' } }, tags('team'))).toBe(false);
    expect(holds({ StringNotEquals: { 'aws:TagKeys': 'team' } }, tags('owner'))).toBe(false);
  });
});

describe('combining', () => {
  it('keys under one operator are ANDed', () => {
    const c = { StringEquals: { 'aws:username': 'alice', 'aws:RequestedRegion': 'us-east-1' } };
    expect(holds(c, { 'aws:username': 'alice', 'aws:RequestedRegion': 'us-east-1' })).toBe(true);
    expect(holds(c, { 'aws:username': 'alice', 'aws:RequestedRegion': 'eu-west-1' })).toBe(false);
  });

  it('operators are ANDed', () => {
    const c = { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } };
    expect(holds(c, { 'aws:username': 'alice', 'aws:SecureTransport': true })).toBe(true);
    expect(holds(c, { 'aws:username': 'alice', 'aws:SecureTransport': false })).toBe(false);
  });

  it('condition key names are case-insensitive, in policy and request alike', () => {
    expect(holds({ StringEquals: { 'AWS:UserName': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringEquals: { 'aws:PrincipalTag/Team': 'dev' } }, { 'AWS:PRINCIPALTAG/team': 'dev' })).toBe(true);
  });

  it('values stay case-sensitive', () => {
    expect(holds({ StringEquals: { 'aws:PrincipalTag/team': 'dev' } }, { 'aws:PrincipalTag/team': 'Dev' })).toBe(false);
  });
});

describe('operator names', () => {
  const parse = (condition: object) => () => parsePolicy(JSON.stringify(policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: condition })));

  it('an unknown operator is a syntax error', () => {
    expect(parse({ StringEqualz: { 'aws:username': 'a' } })).toThrow(new PolicyParseError('Syntax errors in policy.'));
    expect(parse({ 'ForAnyValue::StringEquals': { 'aws:username': 'a' } })).toThrow('Syntax errors in policy.');
    expect(parse({ NullIfExists: { 'aws:username': 'true' } })).toThrow('Syntax errors in policy.');
  });

  it('an unknown operator with nothing under it is accepted', () => {
    expect(parse({ Whatever: {} })).not.toThrow();
  });

  it('accepts every documented operator with IfExists and set prefixes', () => {
    expect(parse({ 'ForAllValues:ArnNotLikeIfExists': { 'aws:SourceArn': 'arn:aws:s3:::x' }, 'ForAnyValue:NumericLessThanIfExists': { 'a:b': '1' } })).not.toThrow();
  });
});
