import { parseOperator } from '../policy/conditions.js';
import { isVariable, parseTemplate } from '../policy/variables.js';

/**
 * The context keys a policy document references, as GetContextKeysFor*Policy lists them: per
 * statement, the policy variables of its Resource/NotResource entries, then each condition key
 * followed by the variables in that key's values, each under the spelling it was first written
 * with. Variables count only where the policy language substitutes them (2012-10-17 documents,
 * the resource part of an ARN, String and Arn condition values), so `${aws:username}` in a
 * 2008-10-17 policy is plain text. The document must already have passed validation.
 *
 * AWS's example: a statement with `Resource: …table/${aws:username}` and a DateGreaterThan on
 * `aws:CurrentTime` answers `["aws:username", "aws:CurrentTime"]`.
 */
export function policyContextKeys(text: string, into: Map<string, string> = new Map()): Map<string, string> {
  const doc = JSON.parse(text) as { Version?: string; Statement?: unknown };
  const substitutes = doc.Version === '2012-10-17';
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const add = (key: string) => {
    const lower = key.toLowerCase();
    if (!into.has(lower)) into.set(lower, key);
  };
  const addVariables = (value: string, options: { wildcards: boolean; afterColons?: number }) => {
    for (const part of parseTemplate(value, { ...options, variables: true })) if (isVariable(part)) add(part.key);
  };
  for (const statement of statements as Record<string, unknown>[]) {
    if (substitutes) {
      for (const resource of listOf(statement.Resource ?? statement.NotResource)) addVariables(resource, { wildcards: true, afterColons: 5 });
    }
    const condition = (statement.Condition ?? {}) as Record<string, Record<string, unknown>>;
    for (const [operatorName, block] of Object.entries(condition)) {
      const operator = parseOperator(operatorName);
      const valuesSubstitute = substitutes && (operator?.family === 'String' || operator?.family === 'Arn');
      for (const [key, values] of Object.entries(block)) {
        add(key);
        if (!valuesSubstitute) continue;
        for (const value of Array.isArray(values) ? values : [values]) addVariables(String(value), { wildcards: operator?.comparison === 'like' });
      }
    }
  }
  return into;
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
