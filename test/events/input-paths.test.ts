import { describe, expect, it } from 'vitest';
import { parsePath, select } from '../../src/events/input-transform.js';

describe('input paths', () => {
  it('select only the event’s own members, never what every object inherits', () => {
    const event = JSON.parse('{"detail":{"name":"x","__proto__":{"own":true}}}');
    expect(select(event, parsePath('$.detail.name')!)).toBe('x');
    expect(select(event, parsePath('$.detail.constructor')!)).toBeUndefined();
    expect(select(event, parsePath('$.detail.toString')!)).toBeUndefined();
    expect(select(event, parsePath('$.detail.__proto__')!)).toEqual({ own: true });
  });
});
