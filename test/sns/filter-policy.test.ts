import { describe, expect, it } from 'vitest';
import { matchesPolicy, parseFilterPolicy, type MessageAttribute } from '../../src/sns/filter-policy.js';

const attrs = (a: Record<string, [string, string]>): Record<string, MessageAttribute> =>
  Object.fromEntries(Object.entries(a).map(([k, [Type, Value]]) => [k, { Type, Value }]));
const onAttributes = (policy: object, a: Record<string, [string, string]>) =>
  matchesPolicy(parseFilterPolicy(JSON.stringify(policy), 'MessageAttributes'), 'body', attrs(a));
const onBody = (policy: object, body: unknown) => matchesPolicy(parseFilterPolicy(JSON.stringify(policy), 'MessageBody'), JSON.stringify(body), {});

describe('filter policies on message attributes', () => {
  it('matches exact strings and numbers, OR within a key and AND across keys', () => {
    const policy = { store: ['example_corp'], price: [100, 200] };
    expect(onAttributes(policy, { store: ['String', 'example_corp'], price: ['Number', '200'] })).toBe(true);
    expect(onAttributes(policy, { store: ['String', 'example_corp'], price: ['Number', '300'] })).toBe(false);
    expect(onAttributes(policy, { store: ['String', 'example_corp'] })).toBe(false);
    // A number in the policy does not match a String attribute spelling it.
    expect(onAttributes({ price: [100] }, { price: ['String', '100'] })).toBe(false);
  });

  it('matches prefix, suffix, equals-ignore-case, anything-but, numeric ranges, exists and cidr', () => {
    expect(onAttributes({ k: [{ prefix: 'ord' }] }, { k: ['String', 'order'] })).toBe(true);
    expect(onAttributes({ k: [{ suffix: '.png' }] }, { k: ['String', 'a.jpg'] })).toBe(false);
    expect(onAttributes({ k: [{ 'equals-ignore-case': 'RED' }] }, { k: ['String', 'red'] })).toBe(true);
    expect(onAttributes({ k: [{ 'anything-but': ['a', 'b'] }] }, { k: ['String', 'c'] })).toBe(true);
    expect(onAttributes({ k: [{ 'anything-but': ['a', 'b'] }] }, { k: ['String', 'a'] })).toBe(false);
    expect(onAttributes({ k: [{ 'anything-but': { prefix: 'tmp' } }] }, { k: ['String', 'tmp-1'] })).toBe(false);
    // anything-but needs the key present; only exists:false matches absence.
    expect(onAttributes({ k: [{ 'anything-but': ['a'] }] }, {})).toBe(false);
    expect(onAttributes({ k: [{ exists: false }] }, {})).toBe(true);
    expect(onAttributes({ k: [{ exists: true }] }, { k: ['String', 'x'] })).toBe(true);
    expect(onAttributes({ n: [{ numeric: ['>', 0, '<=', 10] }] }, { n: ['Number', '10'] })).toBe(true);
    expect(onAttributes({ n: [{ numeric: ['>', 0, '<=', 10] }] }, { n: ['Number', '10.5'] })).toBe(false);
    expect(onAttributes({ n: [{ numeric: ['=', 5] }] }, { n: ['Number', '5.0'] })).toBe(true);
    expect(onAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: ['String', '10.0.0.255'] })).toBe(true);
    expect(onAttributes({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: ['String', '10.0.1.1'] })).toBe(false);
  });

  it('matches a String.Array attribute when any element matches', () => {
    expect(onAttributes({ tags: ['b'] }, { tags: ['String.Array', '["a","b"]'] })).toBe(true);
    expect(onAttributes({ tags: [{ 'anything-but': 'b' }] }, { tags: ['String.Array', '["a","b"]'] })).toBe(false);
  });

  it('ORs whole sub-policies with $or', () => {
    const policy = { source: ['aws.cloudwatch'], $or: [{ metric: ['CPU'] }, { namespace: ['AWS/EC2'] }] };
    expect(onAttributes(policy, { source: ['String', 'aws.cloudwatch'], namespace: ['String', 'AWS/EC2'] })).toBe(true);
    expect(onAttributes(policy, { source: ['String', 'aws.cloudwatch'], metric: ['String', 'Disk'] })).toBe(false);
  });
});

describe('filter policies on the message body', () => {
  it('follows nested keys, walks arrays, and matches nothing in a body that is not JSON', () => {
    const policy = { detail: { state: ['FAILED'], items: { sku: [{ prefix: 'A' }] } } };
    expect(onBody(policy, { detail: { state: 'FAILED', items: [{ sku: 'B1' }, { sku: 'A7' }] } })).toBe(true);
    expect(onBody(policy, { detail: { state: 'FAILED', items: [{ sku: 'B1' }] } })).toBe(false);
    expect(onBody({ ok: [true], gone: [null] }, { ok: true, gone: null })).toBe(true);
    expect(matchesPolicy(parseFilterPolicy('{"a":["x"]}', 'MessageBody'), 'not json', {})).toBe(false);
  });
});

describe('invalid policies', () => {
  it('says why, as SNS does', () => {
    const error = (text: string, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') => {
      try {
        parseFilterPolicy(text, scope);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(error('{"a": []}')).toBe('Invalid parameter: FilterPolicy: Empty arrays are not allowed');
    expect(error('{"a": [{"numeric": ["<", 5, ">", 1]}]}')).toBe('Invalid parameter: FilterPolicy: Bad numeric range operator');
    expect(error('{"a": [{"exists": "yes"}]}')).toBe('Invalid parameter: FilterPolicy: exists match pattern must be either true or false.');
    expect(error('{"a": [{"prefix": 1}]}')).toBe('Invalid parameter: FilterPolicy: prefix match pattern must be a string');
    expect(error('{"a": [[1]]}')).toBe('Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null');
    // 5 keys with 4 values each is 1024 combinations: over the 150 SNS allows.
    const big = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((k) => [k, ['1', '2', '3', '4']]));
    expect(error(JSON.stringify(big))).toBe('Invalid parameter: FilterPolicy: Filter policy is too complex');
    expect(error('{"a": {"b": ["x"]}}', 'MessageBody')).toBe('accepted');
  });
});
