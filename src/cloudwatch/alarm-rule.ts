import type { StateValue } from '@aws-sdk/client-cloudwatch';

/**
 * A composite alarm's rule: `ALARM("name")`, `OK(arn)`, `INSUFFICIENT_DATA(..)`, `TRUE`, `FALSE`,
 * combined with AND, OR, NOT and parentheses.
 */
export type RuleNode =
  | { t: 'const'; v: boolean }
  | { t: 'state'; state: StateValue; alarm: string }
  | { t: 'not'; a: RuleNode }
  | { t: 'and' | 'or'; a: RuleNode; b: RuleNode };

export class RuleError extends Error {}

const TOKEN = /\s*(?:(ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*(?:"((?:[^"\\]|\\.)*)"|([^\s()"]+))\s*\)|(TRUE|FALSE|AND|OR|NOT)\b|([()]))/y;

export function parseRule(text: string): RuleNode {
  const tokens: { k: string; state?: StateValue; alarm?: string }[] = [];
  let pos = 0;
  while (pos < text.length && !/^\s*$/.test(text.slice(pos))) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new RuleError(`Error in alarm rule at position ${pos + 1}.`);
    if (m[1]) tokens.push({ k: 'state', state: m[1] as StateValue, alarm: m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3] });
    else tokens.push({ k: m[4] ?? m[5] });
    pos = TOKEN.lastIndex;
  }
  let i = 0;
  const or = (): RuleNode => {
    let left = and();
    while (tokens[i]?.k === 'OR') {
      i++;
      left = { t: 'or', a: left, b: and() };
    }
    return left;
  };
  const and = (): RuleNode => {
    let left = not();
    while (tokens[i]?.k === 'AND') {
      i++;
      left = { t: 'and', a: left, b: not() };
    }
    return left;
  };
  const not = (): RuleNode => {
    if (tokens[i]?.k === 'NOT') {
      i++;
      return { t: 'not', a: not() };
    }
    const tok = tokens[i++];
    if (!tok) throw new RuleError('Error in alarm rule: unexpected end of rule.');
    if (tok.k === 'state') return { t: 'state', state: tok.state!, alarm: tok.alarm! };
    if (tok.k === 'TRUE' || tok.k === 'FALSE') return { t: 'const', v: tok.k === 'TRUE' };
    if (tok.k === '(') {
      const inner = or();
      if (tokens[i++]?.k !== ')') throw new RuleError('Error in alarm rule: missing closing parenthesis.');
      return inner;
    }
    throw new RuleError(`Error in alarm rule: unexpected '${tok.k}'.`);
  };
  const node = or();
  if (i < tokens.length) throw new RuleError(`Error in alarm rule: unexpected '${tokens[i].k}'.`);
  return node;
}

/** The alarms (names or ARNs, as written) a rule reads. */
export function ruleAlarms(node: RuleNode): string[] {
  switch (node.t) {
    case 'state':
      return [node.alarm];
    case 'not':
      return ruleAlarms(node.a);
    case 'and':
    case 'or':
      return [...ruleAlarms(node.a), ...ruleAlarms(node.b)];
    default:
      return [];
  }
}

export function evaluateRule(node: RuleNode, stateOf: (alarm: string) => StateValue | undefined): boolean {
  switch (node.t) {
    case 'const':
      return node.v;
    case 'state':
      return stateOf(node.alarm) === node.state;
    case 'not':
      return !evaluateRule(node.a, stateOf);
    case 'and':
      return evaluateRule(node.a, stateOf) && evaluateRule(node.b, stateOf);
    case 'or':
      return evaluateRule(node.a, stateOf) || evaluateRule(node.b, stateOf);
  }
}
