import { describe, expect, it } from 'vitest';
import { policyContextKeys } from '../../src/iam/api/simulation-keys.js';
import { statementSpans } from '../../src/iam/api/simulation-positions.js';

const pos = (Line: number, Column: number) => ({ Line, Column });

describe('statement positions as the policy simulator reports them', () => {
  it('matches IAM\'s answer for a two-statement bucket policy: the second starts where the first ended', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: ['arn:aws:s3:::tims-fancy-bucket/*', 'arn:aws:s3:::tims-fancy-bucket'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
        {
          Sid: 'DenyTimDelete',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:DeleteObject',
          Resource: ['arn:aws:s3:::tims-fancy-bucket/*'],
          Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::112233445566:role/tims-test-role' } },
        },
      ],
    });
    const spans = statementSpans(policy);
    expect(spans.map((s) => s.start)).toEqual([pos(1, 38), pos(1, 248)]);
    expect(spans[0].end).toEqual(pos(1, 248));
    expect(spans[1].end).toEqual(pos(1, policy.length - 1));
  });

  it('matches IAM\'s answer for a policy written with spaces (Python json.dumps)', () => {
    const policy =
      '{"Version": "2012-10-17", "Statement": [{"Sid": "s3", "Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": ["arn:aws:s3:::tims-fancy-bucket/only-here/*"]}]}';
    expect(statementSpans(policy)).toEqual([{ start: pos(1, 41), end: pos(1, 180) }]);
  });

  it('starts a single-object Statement right after its `{`', () => {
    const policy = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';
    expect(statementSpans(policy)).toEqual([{ start: pos(1, 38), end: pos(1, 167) }]);
    expect(statementSpans('{"Statement" : \n  {"Effect":"Allow","Action":"*","Resource":"*"}}')).toEqual([{ start: pos(2, 4), end: pos(2, 49) }]);
  });

  it('counts lines across LF, CRLF and CR, and columns from 1', () => {
    const lf = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n      "Action": "*",\n      "Resource": "*"\n    }\n  ]\n}';
    expect(statementSpans(lf)).toEqual([{ start: pos(3, 17), end: pos(8, 6) }]);
    expect(statementSpans(lf.replace(/\n/g, '\r\n'))).toEqual([{ start: pos(3, 17), end: pos(8, 6) }]);
    expect(statementSpans(lf.replace(/\n/g, '\r'))).toEqual([{ start: pos(3, 17), end: pos(8, 6) }]);
    expect(statementSpans('{"Statement":[\t{"Effect":"Allow","Action":"*","Resource":"*"}\n, {"Effect":"Deny","Action":"s3:*","Resource":"*"}]}')).toEqual([
      { start: pos(1, 15), end: pos(1, 62) },
      { start: pos(1, 62), end: pos(2, 51) },
    ]);
  });

  it('skips strings holding braces, brackets and escapes, and reads the last Statement member', () => {
    const policy = '{"Id":"a}[\\"{","Statement":[{"Sid":"x","Effect":"Allow","Action":"*","Resource":"*"}],"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}';
    const second = policy.lastIndexOf('{"Effect"');
    expect(statementSpans(policy)).toEqual([{ start: pos(1, second + 2), end: pos(1, policy.length) }]);
    expect(statementSpans('{"Statement\\u0020x":[1],"Statement":[]}')).toEqual([]);
  });

  it('gives no spans for text that is not a policy object', () => {
    expect(statementSpans('[]')).toEqual([]);
    expect(statementSpans('{"Statement":[{"Effect":')).toEqual([]);
  });
});

describe('the context keys a policy references', () => {
  const keys = (policy: object) => [...policyContextKeys(JSON.stringify(policy)).values()];

  it('takes Resource variables, and the variables of String and Arn condition values but not of others', () => {
    expect(
      keys({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:*', NotResource: 'arn:aws:s3:::${aws:TokenIssueTime}/${aws:userid}/${*}' },
          {
            Effect: 'Allow',
            Action: 's3:*',
            Resource: '*',
            Condition: {
              ArnLike: { 'aws:SourceArn': 'arn:aws:iam::*:role/${aws:PrincipalTag/team, \'none\'}' },
              DateLessThan: { 'aws:CurrentTime': '${aws:EpochTime}' },
              'ForAnyValue:StringLike': { 'aws:TagKeys': ['${aws:username}-*', 'x'] },
            },
          },
        ],
      }),
    ).toEqual(['aws:TokenIssueTime', 'aws:userid', 'aws:SourceArn', 'aws:PrincipalTag/team', 'aws:CurrentTime', 'aws:TagKeys', 'aws:username']);
  });

  it('keeps variables as text in 2008-10-17 documents', () => {
    expect(keys({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/${aws:username}', Condition: { StringEquals: { 's3:prefix': '${aws:userid}' } } }] })).toEqual([
      's3:prefix',
    ]);
  });
});
