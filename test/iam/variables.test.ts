import { describe, it, expect } from 'vitest';
import { evaluate } from '../../src/iam/policy/index.js';
import { ACCOUNT, alice, conditionHolds as holds, decide } from './helpers.js';

const userArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const selfPolicy = (resource: string, version = '2012-10-17') => ({ Version: version, Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: resource }] });

describe('policy variables in Resource', () => {
  it('substitutes ${aws:username}', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`);
    expect(decide(doc, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' })).toBe('allowed');
    expect(decide(doc, 'iam:GetUser', userArn('bob'), { 'aws:username': 'alice' })).toBe('implicitDeny');
  });

  it('variable names are case-insensitive', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${AWS:UserName}`);
    expect(decide(doc, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' })).toBe('allowed');
  });

  it('an unresolved variable without default makes the entry match nothing', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`);
    expect(decide(doc, 'iam:GetUser', userArn('alice'))).toBe('implicitDeny');
    expect(decide(doc, 'iam:GetUser', userArn('${aws:username}'))).toBe('implicitDeny');
  });

  it('an unresolved variable in NotResource excludes nothing', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', NotResource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` }] };
    expect(decide(doc, 'iam:GetUser', userArn('alice'))).toBe('allowed');
    expect(decide(doc, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' })).toBe('implicitDeny');
  });

  it('uses the default when the key is absent', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/team-\${aws:PrincipalTag/team, 'none'}`);
    expect(decide(doc, 'iam:GetUser', userArn('team-none'))).toBe('allowed');
    expect(decide(doc, 'iam:GetUser', userArn('team-dev'), { 'aws:PrincipalTag/team': 'dev' })).toBe('allowed');
    expect(decide(doc, 'iam:GetUser', userArn('team-none'), { 'aws:PrincipalTag/team': 'dev' })).toBe('implicitDeny');
  });

  it('a substituted value is literal text, never a wildcard', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`);
    expect(decide(doc, 'iam:GetUser', userArn('anyone'), { 'aws:username': '*' })).toBe('implicitDeny');
    expect(decide(doc, 'iam:GetUser', userArn('*'), { 'aws:username': '*' })).toBe('allowed');
  });

  it('keeps wildcards around a variable', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}-*`);
    expect(decide(doc, 'iam:GetUser', userArn('alice-test'), { 'aws:username': 'alice' })).toBe('allowed');
  });

  it('${*} ${?} ${$} are literal characters', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/a\${*}b\${?}c\${$}`);
    expect(decide(doc, 'iam:GetUser', userArn('a*b?c$'))).toBe('allowed');
    expect(decide(doc, 'iam:GetUser', userArn('axxbyc$'))).toBe('implicitDeny');
  });

  it('is plain text in a 2008-10-17 (or versionless) policy', () => {
    const versioned = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`, '2008-10-17');
    const { Version: _omitted, ...versionless } = versioned;
    for (const doc of [versioned, versionless]) {
      expect(decide(doc, 'iam:GetUser', userArn('alice'), { 'aws:username': 'alice' })).toBe('implicitDeny');
      expect(decide(doc, 'iam:GetUser', userArn('${aws:username}'), { 'aws:username': 'alice' })).toBe('allowed');
    }
  });

  it('substitutes only in the resource part, after the fifth colon', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'codecommit:GetRepository', Resource: 'arn:aws:codecommit:us-east-1:${aws:PrincipalAccount}:*' }] };
    const repo = `arn:aws:codecommit:us-east-1:${ACCOUNT}:r`;
    expect(decide(doc, 'codecommit:GetRepository', repo, { 'aws:PrincipalAccount': ACCOUNT })).toBe('implicitDeny');
  });

  it('takes only single-valued keys', () => {
    const doc = selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:TagKeys}`);
    expect(decide(doc, 'iam:GetUser', userArn('a'), { 'aws:TagKeys': ['a'] })).toBe('implicitDeny');
  });

  it('reports the variable it could not resolve', () => {
    const result = evaluate({
      action: 'iam:GetUser',
      resource: userArn('alice'),
      principal: alice,
      identityPolicies: [{ id: 'p', document: selfPolicy(`arn:aws:iam::${ACCOUNT}:user/\${aws:username}`) }],
    });
    expect(result.missingContextValues).toEqual(['aws:username']);
  });
});

describe('policy variables in conditions', () => {
  it('substitutes in String operators', () => {
    const c = { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
    expect(holds(c, { 'aws:ResourceTag/owner': 'alice', 'aws:username': 'alice' })).toBe(true);
    expect(holds(c, { 'aws:ResourceTag/owner': 'bob', 'aws:username': 'alice' })).toBe(false);
  });

  it('StringLike keeps its wildcards around the substituted text', () => {
    const c = { StringLike: { 's3:prefix': 'home/${aws:userid}/*' } };
    expect(holds(c, { 's3:prefix': 'home/AIDA1/docs', 'aws:userid': 'AIDA1' })).toBe(true);
    expect(holds(c, { 's3:prefix': 'home/AIDA2/docs', 'aws:userid': 'AIDA1' })).toBe(false);
  });

  it('substitutes in ARN operators', () => {
    const c = { ArnEquals: { 'aws:SourceArn': `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` } };
    expect(holds(c, { 'aws:SourceArn': userArn('alice'), 'aws:username': 'alice' })).toBe(true);
  });

  it('an unresolved value does not match StringEquals/StringLike and does match the negated forms', () => {
    expect(holds({ StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } }, { 'aws:ResourceTag/owner': 'alice' })).toBe(false);
    expect(holds({ StringLike: { 'aws:ResourceTag/owner': '${aws:username}*' } }, { 'aws:ResourceTag/owner': 'alice' })).toBe(false);
    expect(holds({ StringNotEquals: { 'aws:ResourceTag/owner': '${aws:username}' } }, { 'aws:ResourceTag/owner': 'alice' })).toBe(true);
    expect(holds({ StringNotLike: { 'aws:ResourceTag/owner': '${aws:username}' } }, { 'aws:ResourceTag/owner': 'alice' })).toBe(true);
  });

  it('uses a default in a condition value', () => {
    const c = { StringEquals: { 'aws:ResourceTag/team': "${aws:PrincipalTag/team, 'shared'}" } };
    expect(holds(c, { 'aws:ResourceTag/team': 'shared' })).toBe(true);
  });

  it('does not substitute in Numeric, Date, Bool, IP operators', () => {
    expect(holds({ NumericEquals: { 's3:max-keys': '${aws:username}' } }, { 's3:max-keys': '5', 'aws:username': '5' })).toBe(false);
  });

  it('is plain text in a 2008-10-17 policy', () => {
    const c = { StringEquals: { 'aws:ResourceTag/owner': '${aws:username}' } };
    expect(holds(c, { 'aws:ResourceTag/owner': 'alice', 'aws:username': 'alice' }, '2008-10-17')).toBe(false);
    expect(holds(c, { 'aws:ResourceTag/owner': '${aws:username}' }, '2008-10-17')).toBe(true);
  });

  it('${*} in a StringLike value is a literal asterisk', () => {
    expect(holds({ StringLike: { 'aws:username': 'a${*}' } }, { 'aws:username': 'a*' })).toBe(true);
    expect(holds({ StringLike: { 'aws:username': 'a${*}' } }, { 'aws:username': 'ab' })).toBe(false);
  });
});
