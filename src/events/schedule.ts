/**
 * EventBridge schedule expressions: `rate(value unit)` and the six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, always in UTC, with `, - * / ? L W #`.
 * An expression parses into a function giving the next fire time strictly after a moment.
 */
export interface Schedule {
  /** The first fire time after `after` (epoch ms), or undefined when the schedule never fires again. */
  next(after: number, anchor: number): number | undefined;
}

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

export function parseSchedule(expression: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const plural = rate[2].endsWith('s');
    // AWS wants `1 minute` and `5 minutes`, never `1 minutes` or `5 minute`.
    if (value <= 0 || plural !== value > 1) return undefined;
    const period = value * UNIT_MS[rate[2].replace(/s$/, '')];
    return {
      // Rate schedules tick from the moment the schedule was set.
      next: (after, anchor) => anchor + (Math.floor(Math.max(0, after - anchor) / period) + 1) * period,
    };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  return cron ? parseCron(cron[1]) : undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Values of a plain field element: `*`, `n`, `a-b`, with an optional `/step`. */
function expand(element: string, min: number, max: number, names?: string[]): number[] | undefined {
  const value = (text: string): number | undefined => {
    const upper = text.toUpperCase();
    if (names?.includes(upper)) return names.indexOf(upper) + 1;
    if (!/^\d+$/.test(text)) return undefined;
    const n = Number(text);
    return n >= min && n <= max ? n : undefined;
  };
  const [range, stepText, extra] = element.split('/');
  if (extra !== undefined) return undefined;
  const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) && Number(stepText) > 0 ? Number(stepText) : undefined;
  if (step === undefined) return undefined;
  let low: number | undefined;
  let high: number | undefined;
  if (range === '*') {
    low = min;
    high = max;
  } else if (range.includes('-')) {
    const [a, b] = range.split('-');
    low = value(a);
    high = value(b);
  } else {
    low = value(range);
    high = stepText === undefined ? low : max;
  }
  if (low === undefined || high === undefined || low > high) return undefined;
  const out: number[] = [];
  for (let v = low; v <= high; v += step) out.push(v);
  return out;
}

function field(text: string, min: number, max: number, names?: string[]): Set<number> | undefined {
  const values = new Set<number>();
  for (const element of text.split(',')) {
    const part = expand(element, min, max, names);
    if (!part) return undefined;
    part.forEach((v) => values.add(v));
  }
  return values;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekday = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

type DayTest = (year: number, month: number, day: number) => boolean;

function dayOfMonth(text: string): DayTest | undefined {
  const tests: DayTest[] = [];
  for (const element of text.split(',')) {
    if (element === 'L') tests.push((y, m, d) => d === daysIn(y, m));
    else if (element === 'LW') {
      tests.push((y, m, d) => {
        let last = daysIn(y, m);
        while (weekday(y, m, last) === 1 || weekday(y, m, last) === 7) last--;
        return d === last;
      });
    } else if (/^\d+W$/.test(element)) {
      const target = Number(element.slice(0, -1));
      if (target < 1 || target > 31) return undefined;
      tests.push((y, m, d) => {
        const n = daysIn(y, m);
        const t = Math.min(target, n);
        const wd = weekday(y, m, t);
        // The weekday nearest the day, never leaving the month.
        let nearest = t;
        if (wd === 7) nearest = t === 1 ? t + 2 : t - 1;
        else if (wd === 1) nearest = t === n ? t - 2 : t + 1;
        return d === nearest;
      });
    } else {
      const values = expand(element, 1, 31);
      if (!values) return undefined;
      tests.push((_y, _m, d) => values.includes(d));
    }
  }
  return (y, m, d) => tests.some((t) => t(y, m, d));
}

function dayOfWeek(text: string): DayTest | undefined {
  const tests: DayTest[] = [];
  const day = (t: string) => {
    const upper = t.toUpperCase();
    if (DAYS.includes(upper)) return DAYS.indexOf(upper) + 1;
    return /^[1-7]$/.test(t) ? Number(t) : undefined;
  };
  for (const element of text.split(',')) {
    const nth = /^(\w+)#([1-5])$/.exec(element);
    const last = /^(\w+)L$/.exec(element);
    if (element === 'L') {
      tests.push((y, m, d) => weekday(y, m, d) === 7);
    } else if (nth) {
      const wd = day(nth[1]);
      if (wd === undefined) return undefined;
      const k = Number(nth[2]);
      tests.push((y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === k);
    } else if (last) {
      const wd = day(last[1]);
      if (wd === undefined) return undefined;
      tests.push((y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m));
    } else {
      const values = expand(element, 1, 7, DAYS);
      if (!values) return undefined;
      tests.push((y, m, d) => values.includes(weekday(y, m, d)));
    }
  }
  return (y, m, d) => tests.some((t) => t(y, m, d));
}

function parseCron(body: string): Schedule | undefined {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) return undefined;
  const [minText, hourText, domText, monthText, dowText, yearText] = parts;
  // One of day-of-month and day-of-week is `?`, never both or neither.
  if ((domText === '?') === (dowText === '?')) return undefined;
  const minutes = field(minText, 0, 59);
  const hours = field(hourText, 0, 23);
  const months = field(monthText, 1, 12, MONTHS);
  const years = field(yearText, 1970, 2199);
  const dom = domText === '?' ? () => true : dayOfMonth(domText);
  const dow = dowText === '?' ? () => true : dayOfWeek(dowText);
  if (!minutes || !hours || !months || !years || !dom || !dow) return undefined;
  const sortedHours = [...hours].sort((a, b) => a - b);
  const sortedMinutes = [...minutes].sort((a, b) => a - b);
  const lastYear = Math.max(...years);
  return {
    next: (after) => {
      const start = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
      let day = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
      for (;;) {
        const date = new Date(day);
        const y = date.getUTCFullYear();
        if (y > lastYear) return undefined;
        const m = date.getUTCMonth() + 1;
        const d = date.getUTCDate();
        if (years.has(y) && months.has(m) && dom(y, m, d) && dow(y, m, d)) {
          for (const h of sortedHours) {
            for (const min of sortedMinutes) {
              const at = day + h * 60 * MINUTE + min * MINUTE;
              if (at > after) return at;
            }
          }
        }
        day += 24 * 60 * MINUTE;
      }
    },
  };
}
