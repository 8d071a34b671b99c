/**
 * AllowedPattern is a Java regular expression that must match the whole value. JavaScript reads
 * the common subset the same way; a pattern it cannot compile is refused as AWS refuses it.
 */
export function compileAllowedPattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'su');
  } catch {
    try {
      return new RegExp(`^(?:${pattern})$`, 's');
    } catch {
      return undefined;
    }
  }
}
