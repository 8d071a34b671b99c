/** A request's condition keys, looked up the way IAM does: key names are case-insensitive. */

export type ContextScalar = string | boolean | number;
export type ContextValue = ContextScalar | string[];
export type ContextValues = Readonly<Record<string, ContextValue | undefined>>;

export class RequestContext {
  private byLowerKey: Map<string, ContextValue> | undefined;
  /** Keys a policy needed but the request did not carry: lower-case name -> name as the policy wrote it. */
  readonly missing = new Map<string, string>();

  constructor(private readonly values: ContextValues = {}) {}

  /** The value under a lower-case key; an empty list counts as absent, as IAM treats it. */
  get(keyLower: string): ContextValue | undefined {
    // Built on first use only: many decisions never reach a condition.
    let map = this.byLowerKey;
    if (!map) {
      map = new Map();
      for (const key of Object.keys(this.values)) {
        const value = this.values[key];
        if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0)) map.set(key.toLowerCase(), value);
      }
      this.byLowerKey = map;
    }
    return map.get(keyLower);
  }

  noteMissing(keyLower: string, key: string): void {
    if (!this.missing.has(keyLower)) this.missing.set(keyLower, key);
  }
}
