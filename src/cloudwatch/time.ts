import { invalidParameterValue } from './errors.js';

/**
 * A timestamp member as the fronts hand it over: JSON sends epoch seconds (a number), Query a
 * parsed Date; either may come as text. Epoch milliseconds out.
 */
export function timestampMs(value: unknown, member: string): number {
  const ms =
    value instanceof Date
      ? value.getTime()
      : typeof value === 'number'
        ? value * 1000
        : typeof value === 'string'
          ? /^\d+(\.\d+)?$/.test(value)
            ? Number(value) * 1000
            : Date.parse(value)
          : NaN;
  if (!Number.isFinite(ms)) throw invalidParameterValue(`The value ${String(value)} for parameter ${member} is invalid.`);
  return ms;
}
