/**
 * CloudWatch metric math: arithmetic, comparisons, AND/OR/NOT and the common functions over the
 * time series of a GetMetricData request or a metric-math alarm.
 */
export interface Series {
  id: string;
  label: string;
  points: Map<number, number>;
}

export type MathValue = { kind: 'scalar'; v: number } | { kind: 'series'; s: Series } | { kind: 'array'; list: Series[] };

export interface MathContext {
  /** Every period start of the request's time range, for FILL and scalar results. */
  grid: number[];
  periodSeconds: number;
  /** The value of another query by its id (throws when there is none). */
  resolve: (id: string) => MathValue;
  /** The metric (not expression) queries' series, for METRICS(). */
  metrics: () => Series[];
}

export class MathError extends Error {}

type Node =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'un'; op: string; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'call'; f: string; args: Node[] };

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)|([A-Za-z_][A-Za-z0-9_]*)|'([^']*)'|"([^"]*)"|(>=|<=|==|!=|&&|\|\||[-+*/^(),<>!]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new MathError(`Unrecognized token at position ${pos + 1}`);
    tokens.push(m[3] !== undefined ? `'${m[3]}` : m[4] !== undefined ? `'${m[4]}` : (m[1] ?? m[2] ?? m[5]));
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

const BINARY_LEVELS: string[][] = [['OR', '||'], ['AND', '&&'], ['>', '<', '>=', '<=', '==', '!='], ['+', '-'], ['*', '/'], ['^']];

export function parseExpression(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i];
    if (t === undefined || (expected !== undefined && t.toUpperCase() !== expected)) throw new MathError(expected ? `Expected '${expected}'` : 'Unexpected end of expression');
    i++;
    return t;
  };
  const level = (n: number): Node => {
    if (n === BINARY_LEVELS.length) return unary();
    let left = level(n + 1);
    while (peek() !== undefined && BINARY_LEVELS[n].includes(peek()!.toUpperCase())) {
      const op = take().toUpperCase();
      // `^` is right-associative; the others associate to the left.
      const right = op === '^' ? level(n) : level(n + 1);
      left = { t: 'bin', op: op === '&&' ? 'AND' : op === '||' ? 'OR' : op, a: left, b: right };
    }
    return left;
  };
  const unary = (): Node => {
    const t = peek();
    if (t === '-' || t === '+' || t === '!' || t?.toUpperCase() === 'NOT') {
      take();
      return { t: 'un', op: t === '!' ? 'NOT' : t.toUpperCase(), a: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = take();
    if (t === '(') {
      const inner = level(0);
      take(')');
      return inner;
    }
    if (t.startsWith("'")) return { t: 'str', v: t.slice(1) };
    if (/^[\d.]/.test(t)) return { t: 'num', v: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        take('(');
        const args: Node[] = [];
        if (peek() !== ')') {
          args.push(level(0));
          while (peek() === ',') {
            take(',');
            args.push(level(0));
          }
        }
        take(')');
        return { t: 'call', f: t.toUpperCase(), args };
      }
      return { t: 'id', v: t };
    }
    throw new MathError(`Unexpected token '${t}'`);
  };
  const node = level(0);
  if (i < tokens.length) throw new MathError(`Unexpected token '${tokens[i]}'`);
  return node;
}

/** The ids an expression reads, so queries can be evaluated in dependency order. */
export function referencedIds(node: Node): string[] {
  switch (node.t) {
    case 'id':
      return [node.v];
    case 'un':
      return referencedIds(node.a);
    case 'bin':
      return [...referencedIds(node.a), ...referencedIds(node.b)];
    case 'call':
      return node.args.flatMap(referencedIds);
    default:
      return [];
  }
}

const series = (id: string, points: Map<number, number>): MathValue => ({ kind: 'series', s: { id, label: id, points } });

function mapPoints(points: Map<number, number>, f: (v: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [t, v] of points) {
    const r = f(v);
    if (Number.isFinite(r)) out.set(t, r);
  }
  return out;
}

function elementwise(v: MathValue, f: (x: number) => number): MathValue {
  if (v.kind === 'scalar') return { kind: 'scalar', v: f(v.v) };
  if (v.kind === 'series') return { kind: 'series', s: { ...v.s, points: mapPoints(v.s.points, f) } };
  return { kind: 'array', list: v.list.map((s) => ({ ...s, points: mapPoints(s.points, f) })) };
}

function combine(a: MathValue, b: MathValue, f: (x: number, y: number) => number): MathValue {
  if (a.kind === 'array') return { kind: 'array', list: a.list.map((s) => asSeries(combine({ kind: 'series', s }, b, f), s)) };
  if (b.kind === 'array') return { kind: 'array', list: b.list.map((s) => asSeries(combine(a, { kind: 'series', s }, f), s)) };
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', v: f(a.v, b.v) };
  if (a.kind === 'scalar') return elementwise(b, (y) => f(a.v, y));
  if (b.kind === 'scalar') return elementwise(a, (x) => f(x, b.v));
  // Two series combine where both have a datapoint.
  const out = new Map<number, number>();
  for (const [t, x] of a.s.points) {
    const y = b.s.points.get(t);
    if (y !== undefined) {
      const r = f(x, y);
      if (Number.isFinite(r)) out.set(t, r);
    }
  }
  return { kind: 'series', s: { id: a.s.id, label: a.s.label, points: out } };
}

function asSeries(v: MathValue, like: Series): Series {
  if (v.kind === 'series') return { ...v.s, id: like.id, label: like.label };
  throw new MathError('Expected a time series');
}

const BINARY: Record<string, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
  '>': (x, y) => Number(x > y),
  '<': (x, y) => Number(x < y),
  '>=': (x, y) => Number(x >= y),
  '<=': (x, y) => Number(x <= y),
  '==': (x, y) => Number(x === y),
  '!=': (x, y) => Number(x !== y),
  AND: (x, y) => Number(x !== 0 && y !== 0),
  OR: (x, y) => Number(x !== 0 || y !== 0),
};

const AGGREGATES: Record<string, (values: number[]) => number> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
  STDDEV: (v) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  },
};

const UNARY_FUNCTIONS: Record<string, (x: number) => number> = { ABS: Math.abs, CEIL: Math.ceil, FLOOR: Math.floor, LOG: Math.log, LOG10: Math.log10, SQRT: Math.sqrt };

function aggregate(f: string, v: MathValue): MathValue {
  const agg = AGGREGATES[f];
  if (v.kind === 'scalar') return v;
  if (v.kind === 'series') {
    const values = [...v.s.points.values()];
    return values.length === 0 ? series(v.s.id, new Map()) : { kind: 'scalar', v: agg(values) };
  }
  // Across an array of series: one value per timestamp from the series that have it.
  const byTime = new Map<number, number[]>();
  for (const s of v.list) for (const [t, x] of s.points) byTime.set(t, [...(byTime.get(t) ?? []), x]);
  return series(f, new Map([...byTime].sort((a, b) => a[0] - b[0]).map(([t, xs]) => [t, agg(xs)])));
}

function sortedPoints(s: Series): [number, number][] {
  return [...s.points].sort((a, b) => a[0] - b[0]);
}

function fill(s: Series, how: MathValue | 'REPEAT' | 'LINEAR', grid: number[]): Series {
  const known = sortedPoints(s);
  const out = new Map<number, number>();
  for (const t of grid) {
    const v = s.points.get(t);
    if (v !== undefined) {
      out.set(t, v);
      continue;
    }
    if (how === 'REPEAT') {
      const before = known.filter(([k]) => k < t).at(-1) ?? known.find(([k]) => k > t);
      if (before) out.set(t, before[1]);
    } else if (how === 'LINEAR') {
      const before = known.filter(([k]) => k < t).at(-1);
      const after = known.find(([k]) => k > t);
      if (before && after) out.set(t, before[1] + ((after[1] - before[1]) * (t - before[0])) / (after[0] - before[0]));
    } else if (how.kind === 'scalar') out.set(t, how.v);
    else if (how.kind === 'series') {
      const x = how.s.points.get(t);
      if (x !== undefined) out.set(t, x);
    }
  }
  return { ...s, points: out };
}

function onSeries(v: MathValue, f: (s: Series) => Series): MathValue {
  if (v.kind === 'series') return { kind: 'series', s: f(v.s) };
  if (v.kind === 'array') return { kind: 'array', list: v.list.map(f) };
  throw new MathError('Expected a time series');
}

function differences(s: Series, perSecond: boolean): Series {
  const points = sortedPoints(s);
  const out = new Map<number, number>();
  for (let i = 1; i < points.length; i++) {
    const [t0, v0] = points[i - 1];
    const [t1, v1] = points[i];
    out.set(t1, perSecond ? (v1 - v0) / ((t1 - t0) / 1000) : v1 - v0);
  }
  return { ...s, points: out };
}

export function evaluate(node: Node, ctx: MathContext): MathValue {
  switch (node.t) {
    case 'num':
      return { kind: 'scalar', v: node.v };
    case 'str':
      throw new MathError('A string is only allowed as a function argument');
    case 'id':
      return ctx.resolve(node.v);
    case 'un': {
      const a = evaluate(node.a, ctx);
      return elementwise(a, node.op === '-' ? (x) => -x : node.op === 'NOT' ? (x) => Number(x === 0) : (x) => x);
    }
    case 'bin':
      return combine(evaluate(node.a, ctx), evaluate(node.b, ctx), BINARY[node.op]);
    case 'call':
      return call(node.f, node.args, ctx);
  }
}

function arity(f: string, args: Node[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new MathError(`Function ${f} takes ${min === max ? min : `${min} to ${max}`} arguments`);
}

function call(f: string, args: Node[], ctx: MathContext): MathValue {
  if (f === 'METRICS') {
    arity(f, args, 0, 1);
    const filter = args[0]?.t === 'str' ? args[0].v : undefined;
    return { kind: 'array', list: ctx.metrics().filter((s) => filter === undefined || s.label.includes(filter) || s.id.includes(filter)) };
  }
  if (f in AGGREGATES) {
    arity(f, args, 1);
    return aggregate(f, evaluate(args[0], ctx));
  }
  if (f in UNARY_FUNCTIONS) {
    arity(f, args, 1);
    return elementwise(evaluate(args[0], ctx), UNARY_FUNCTIONS[f]);
  }
  switch (f) {
    case 'FILL': {
      arity(f, args, 2);
      const how = args[1].t === 'id' && ['REPEAT', 'LINEAR'].includes(args[1].v.toUpperCase()) ? (args[1].v.toUpperCase() as 'REPEAT' | 'LINEAR') : evaluate(args[1], ctx);
      return onSeries(evaluate(args[0], ctx), (s) => fill(s, how, ctx.grid));
    }
    case 'IF': {
      arity(f, args, 2, 3);
      const cond = evaluate(args[0], ctx);
      const yes = evaluate(args[1], ctx);
      const no = args[2] ? evaluate(args[2], ctx) : undefined;
      if (cond.kind === 'scalar') return cond.v !== 0 ? yes : (no ?? series('IF', new Map()));
      if (cond.kind !== 'series') throw new MathError('IF takes a single time series as its condition');
      const pick = (v: MathValue | undefined, t: number) => (v === undefined ? undefined : v.kind === 'scalar' ? v.v : v.kind === 'series' ? v.s.points.get(t) : undefined);
      const out = new Map<number, number>();
      for (const [t, c] of cond.s.points) {
        const v = pick(c !== 0 ? yes : no, t);
        if (v !== undefined) out.set(t, v);
      }
      return { kind: 'series', s: { ...cond.s, points: out } };
    }
    case 'RATE':
    case 'DIFF':
      arity(f, args, 1);
      return onSeries(evaluate(args[0], ctx), (s) => differences(s, f === 'RATE'));
    case 'RUNNING_SUM':
      arity(f, args, 1);
      return onSeries(evaluate(args[0], ctx), (s) => {
        let total = 0;
        return { ...s, points: new Map(sortedPoints(s).map(([t, v]) => [t, (total += v)])) };
      });
    case 'PERIOD':
      arity(f, args, 1);
      evaluate(args[0], ctx);
      return { kind: 'scalar', v: ctx.periodSeconds };
    case 'TIME_SERIES': {
      arity(f, args, 1);
      const v = evaluate(args[0], ctx);
      if (v.kind !== 'scalar') throw new MathError('TIME_SERIES takes a scalar');
      return series('TIME_SERIES', new Map(ctx.grid.map((t) => [t, v.v])));
    }
  }
  throw new MathError(`Unknown function ${f}`);
}
