/** `#{namespace.key}`: namespaces and keys as the structure allows them. */
const REFERENCE = /#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_]+)\}/g;

export class VariableError extends Error {}

/**
 * Resolves every `#{namespace.key}` in an action's configuration just before it starts, from the
 * namespaces of actions that finished before it, `codepipeline` and `variables`. A reference to
 * something that does not exist fails the action, as in AWS.
 */
export function resolveConfiguration(configuration: Record<string, string>, namespaces: Map<string, Record<string, string>>): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [key, value] of Object.entries(configuration)) {
    resolved[key] = value.replace(REFERENCE, (whole, namespace: string, name: string) => {
      const values = namespaces.get(namespace);
      if (!values) throw new VariableError(`The action configuration key ${key} references the namespace ${namespace}, which has no variables at this point of the pipeline: ${whole}`);
      if (values[name] === undefined) throw new VariableError(`The action configuration key ${key} references the variable ${whole}, which was not produced.`);
      return values[name];
    });
  }
  return resolved;
}
