import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from '../../src/logs/filter-pattern.js';

/** Examples from AWS's "Filter pattern syntax" pages, message by message. */
const UNSTRUCTURED = [
  '[ERROR 400] BAD REQUEST',
  '[ERROR 401] UNAUTHORIZED REQUEST',
  '[ERROR 419] MISSING ARGUMENTS',
  '[ERROR 420] INVALID ARGUMENTS',
  '[WARN] deprecated call',
];

const matching = (pattern: string, messages: string[]) => messages.filter(compileFilterPattern(pattern));

describe('terms and phrases', () => {
  it('matches single and multiple terms, case-sensitive, as whole terms', () => {
    expect(matching('ERROR', UNSTRUCTURED)).toHaveLength(4);
    expect(matching('ERROR ARGUMENTS', UNSTRUCTURED)).toEqual(['[ERROR 419] MISSING ARGUMENTS', '[ERROR 420] INVALID ARGUMENTS']);
    expect(matching('error', UNSTRUCTURED)).toEqual([]);
    expect(matching('AUTHORIZED', UNSTRUCTURED)).toEqual([]);
  });

  it('matches exact phrases in quotes, optional terms with ? and excludes terms with -', () => {
    expect(matching('"INVALID ARGUMENTS"', UNSTRUCTURED)).toEqual(['[ERROR 420] INVALID ARGUMENTS']);
    expect(matching('?WARN ?MISSING', UNSTRUCTURED)).toEqual(['[ERROR 419] MISSING ARGUMENTS', '[WARN] deprecated call']);
    expect(matching('ERROR -ARGUMENTS', UNSTRUCTURED)).toEqual(['[ERROR 400] BAD REQUEST', '[ERROR 401] UNAUTHORIZED REQUEST']);
    expect(matching('', UNSTRUCTURED)).toHaveLength(5);
  });

  it('matches regular expressions between percent signs', () => {
    expect(matching('%AUTHORIZED%', UNSTRUCTURED)).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST']);
    expect(matching('%4[12]0%', UNSTRUCTURED)).toEqual(['[ERROR 420] INVALID ARGUMENTS']);
    expect(() => compileFilterPattern('%(a|b)%')).toThrow('Invalid filter pattern');
  });
});

describe('JSON patterns', () => {
  const events = [
    JSON.stringify({ eventType: 'UpdateTrail', sourceIPAddress: '123.123.1.1', arrayKey: ['value', 'another value'], objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }], SomeObject: null, ThisFlag: true, latency: 0.5 }),
    JSON.stringify({ eventType: 'CreateTrail', sourceIPAddress: '10.0.0.1', ThisFlag: false, latency: 2000, user: { id: 1 } }),
    'not json at all',
  ];

  it('compares strings, wildcards, numbers and booleans', () => {
    expect(matching('{ $.eventType = "UpdateTrail" }', events)).toEqual([events[0]]);
    expect(matching('{ $.sourceIPAddress != 123.123.* }', events)).toEqual([events[1]]);
    expect(matching('{ $.eventType = *Trail }', events)).toEqual([events[0], events[1]]);
    expect(matching('{ $.latency >= 1e3 }', events)).toEqual([events[1]]);
    expect(matching('{ $.ThisFlag IS TRUE }', events)).toEqual([events[0]]);
    expect(matching('{ $.ThisFlag IS FALSE }', events)).toEqual([events[1]]);
  });

  it('handles arrays, nulls, missing fields and compound expressions', () => {
    expect(matching('{ $.arrayKey[0] = "value" }', events)).toEqual([events[0]]);
    expect(matching('{ $.objectList[1].id = 2 }', events)).toEqual([events[0]]);
    expect(matching('{ $.SomeObject IS NULL }', events)).toEqual([events[0]]);
    expect(matching('{ $.SomeObject NOT EXISTS }', events)).toEqual([events[1]]);
    expect(matching('{ ($.user.id = 1) && ($.eventType = "CreateTrail") }', events)).toEqual([events[1]]);
    expect(matching('{ $.latency < 1 || $.eventType = "CreateTrail" }', events)).toEqual([events[0], events[1]]);
    expect(matching('{ $.eventType = %Up.*Trail% }', events)).toEqual([events[0]]);
  });

  it('refuses malformed JSON patterns', () => {
    for (const bad of ['{ $.a = }', '{ a = 1 }', '{ $.a = 1', '{ $.a > "x" }', '{ ($.a = 1 }']) {
      expect(() => compileFilterPattern(bad), bad).toThrow('Invalid filter pattern');
    }
  });
});

describe('space-delimited patterns', () => {
  const lines = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 404 0',
  ];

  it('names fields, compares them and skips runs with the ellipsis', () => {
    expect(matching('[ip, user, username, timestamp, request, status_code, bytes]', lines)).toHaveLength(3);
    expect(matching('[ip, user, username, timestamp, request, status_code = 4*, bytes]', lines)).toEqual([lines[2]]);
    expect(matching('[..., status_code = 5* || status_code = 4*, bytes > 1000]', lines)).toEqual([lines[1]]);
    expect(matching('[ip, ..., bytes = 1534]', lines)).toEqual([lines[0]]);
    expect(matching('[ip, user, username, timestamp, request = "GET /apache_pb.gif HTTP/1.0", ...]', lines)).toHaveLength(3);
    expect(matching('[a, b]', lines)).toEqual([]);
  });
});
