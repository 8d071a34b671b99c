import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/events/pattern.js';

const matches = (pattern: object | string, event: object) => compilePattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern))(event);
const reason = (pattern: string) => {
  try {
    compilePattern(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('the pattern compiled');
};

/** The EC2 state-change event AWS's event pattern documentation uses throughout. */
const ec2 = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

describe('event patterns: values and structure', () => {
  it('matches exact values; every field must match, any value of a field may', () => {
    expect(matches({ source: ['aws.ec2'], detail: { state: ['terminated', 'stopped'] } }, ec2)).toBe(true);
    expect(matches({ source: ['aws.ec2'], detail: { state: ['running'] } }, ec2)).toBe(false);
    expect(matches({ source: ['aws.s3'] }, ec2)).toBe(false);
    expect(matches({ detail: { missing: ['x'] } }, ec2)).toBe(false);
  });

  it('matches an event array when any element matches, and compares numbers as numbers', () => {
    const event = { resources: ['arn:a', 'arn:b'], detail: { count: 5.0, text: '5' } };
    expect(matches({ resources: ['arn:b', 'arn:c'] }, event)).toBe(true);
    expect(matches({ resources: ['arn:c'] }, event)).toBe(false);
    expect(matches({ detail: { count: [5] } }, event)).toBe(true);
    expect(matches({ detail: { text: [5] } }, event)).toBe(false);
    expect(matches({ detail: { count: ['5'] } }, event)).toBe(false);
  });

  it('matches null and empty strings only for those values', () => {
    const event = { detail: { responseElements: null, eventVersion: '', other: 'x' } };
    expect(matches({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matches({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matches({ detail: { other: [null] } }, event)).toBe(false);
    expect(matches({ detail: { nothere: [null] } }, event)).toBe(false);
  });

  it('keeps fields of objects in an event array to the same element', () => {
    const event = { detail: { items: [{ name: 'a', size: 1 }, { name: 'b', size: 2 }] } };
    expect(matches({ detail: { items: { name: ['a'], size: [1] } } }, event)).toBe(true);
    expect(matches({ detail: { items: { name: ['a'], size: [2] } } }, event)).toBe(false);
  });
});

describe('event patterns: content filters from the AWS documentation', () => {
  it('prefix and suffix, also ignoring case', () => {
    expect(matches({ time: [{ prefix: '2017-12-22' }] }, ec2)).toBe(true);
    expect(matches({ detail: { state: [{ prefix: { 'equals-ignore-case': 'TERM' } }] } }, ec2)).toBe(true);
    expect(matches({ detail: { state: [{ prefix: 'TERM' }] } }, ec2)).toBe(false);
    expect(matches({ detail: { FileName: [{ suffix: '.png' }] } }, { detail: { FileName: 'image.png' } })).toBe(true);
    expect(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, { detail: { FileName: 'image.png' } })).toBe(true);
  });

  it('anything-but: values, numbers, prefix, suffix, equals-ignore-case and wildcard; a missing field never matches', () => {
    const state = (s: unknown) => ({ detail: { state: s } });
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('running'))).toBe(true);
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, state('initializing'))).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, state('stopped'))).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }, { detail: {} })).toBe(false);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }, { detail: { 'x-limit': 456 } })).toBe(true);
    expect(matches({ detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 200 } })).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('initializing'))).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, state('running'))).toBe(true);
    expect(matches({ detail: { FileName: [{ 'anything-but': { suffix: '.txt' } }] } }, { detail: { FileName: 'notes.txt' } })).toBe(false);
    expect(matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] } }, state('STOPPED'))).toBe(false);
    expect(matches({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/lib/x' } })).toBe(false);
    expect(matches({ detail: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] } }, { detail: { FilePath: '/usr/bin/x' } })).toBe(true);
  });

  it('numeric ranges, including the documented c-count / d-count / x-limit example', () => {
    const event = { detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 } };
    const pattern = {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }, event)).toBe(false);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>=', 5, '<', 6] }] } }, event)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ numeric: ['>', 0] }] } }, { detail: { 'c-count': '5' } })).toBe(false);
  });

  it('exists, equals-ignore-case, wildcard and cidr', () => {
    expect(matches({ detail: { state: [{ exists: true }] } }, ec2)).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, ec2)).toBe(true);
    expect(matches({ detail: { state: [{ exists: false }] } }, ec2)).toBe(false);
    expect(matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }, ec2)).toBe(true);
    const bus = { detail: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/my-bus' } };
    expect(matches({ detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }, bus)).toBe(true);
    expect(matches({ detail: { EventBusArn: [{ wildcard: 'arn:aws:events:us-west-2:*' }] } }, bus)).toBe(false);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.0.255' } })).toBe(true);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, { detail: { sourceIPAddress: '10.0.1.1' } })).toBe(false);
    expect(matches({ detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } }, { detail: { sourceIPAddress: '2001:db8:0:0::1' } })).toBe(true);
  });

  it('$or, at the top and nested, combined with the other fields', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/S3' })).toBe(false);
    expect(matches(pattern, { source: 'aws.other', metricName: 'ReadLatency' })).toBe(false);
    const nested = { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } };
    expect(matches(nested, { detail: { 'c-count': 50, 'd-count': 3 } })).toBe(true);
    expect(matches(nested, { detail: { 'c-count': 50, 'd-count': 30 } })).toBe(false);
  });
});

describe('invalid patterns, refused with Event Ruler reasons and Jackson positions', () => {
  it('says what is wrong and where', () => {
    expect(reason('{"source": ["aws.health"], "detail": {}}')).toBe(
      'Event pattern is not valid. Reason: Empty objects are not allowed\n at [Source: (String)"{"source": ["aws.health"], "detail": {}}"; line: 1, column: 40]',
    );
    expect(reason('{\n  "detail": {\n    "pipeline": {\n      "slug": "some-pipeline"\n    }\n  }\n}')).toMatch(
      /^Event pattern is not valid\. Reason: "slug" must be an object or an array\n at \[Source: .*; line: 4, column: 16\]$/s,
    );
    expect(reason('["source"]')).toMatch(/Reason: Filter is not an object/);
    expect(reason('{"a": []}')).toMatch(/Reason: Empty arrays are not allowed/);
    expect(reason('{"a": [{"prefix": 5}]}')).toMatch(/Reason: prefix match pattern must be a string/);
    expect(reason('{"a": [{"suffix": ["x"]}]}')).toMatch(/Reason: suffix match pattern must be a string/);
    expect(reason('{"a": [{"numeric": [">", "x"]}]}')).toMatch(/Reason: Value of > must be numeric/);
    expect(reason('{"a": [{"numeric": ["~", 1]}]}')).toMatch(/Reason: Unrecognized numeric range operator: ~/);
    expect(reason('{"a": [{"anything-but": ["x", 1]}]}')).toMatch(/Reason: Inside anything but list, either all values are number or string, mixed type is not supported/);
    expect(reason('{"a": [{"exists": "yes"}]}')).toMatch(/Reason: exists match pattern must be either true or false\./);
    expect(reason('{"a": [{"wildcard": "a**b"}]}')).toMatch(/Reason: Consecutive wildcard characters at pos 2/);
    expect(reason('{"a": [{"bogus": "x"}]}')).toMatch(/Reason: Unrecognized match type bogus/);
    expect(reason('{"$or": [{"a": ["b"]}]}')).toMatch(/Reason: There must have at least 2 Objects in \$or relationship\./);
    expect(reason('{"$or": [{"a": ["b"]}, {"prefix": ["c"]}]}')).toMatch(/Reason: prefix is Ruler reserved fieldName which cannot be used inside \$or\./);
    expect(reason('{\\"detail\\": 1}')).toMatch(/Reason: Unexpected character \('\\' \(code 92\)\): was expecting double-quote to start field name/);
    expect(reason('{"a": ["b"')).toMatch(/Reason: Unexpected end-of-input/);
  });
});

describe('fields every object inherits', () => {
  it('are not in an event that does not carry them', () => {
    expect(matches({ detail: { constructor: [{ exists: true }] } }, { detail: {} })).toBe(false);
    expect(matches({ detail: { toString: [{ exists: false }] } }, { detail: {} })).toBe(true);
    expect(matches({ detail: { constructor: ['x'] } }, JSON.parse('{"detail":{"constructor":"x"}}'))).toBe(true);
  });
});
