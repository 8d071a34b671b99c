/** Error codes of the Diagnostics payload (agent v1 `hook_executor.rb`, `command_poller.rb`). */
export const ErrorCode = {
  Succeeded: 0,
  ScriptMissing: 1,
  ScriptNotExecutable: 2,
  ScriptTimedOut: 3,
  ScriptFailed: 4,
  UnknownError: 5,
  OutputsLeftOpen: 6,
  FailedAfterRestart: 7,
} as const;

const LOG_LIMIT = 2048;

/**
 * The script output a command reports: whole entries (lines as logged) kept from the end while
 * they fit in 2048 characters, as agent v1 trims it.
 */
export class ScriptLog {
  private entries: string[] = [];

  append(entry: string): void {
    this.entries.push(entry);
    let size = 0;
    let keep = this.entries.length;
    while (keep > 0 && size + this.entries[keep - 1].length < LOG_LIMIT) size += this.entries[--keep].length;
    if (keep > 0) this.entries = this.entries.slice(keep);
  }

  concat(other: ScriptLog): void {
    for (const e of other.entries) this.append(e);
  }

  get text(): string {
    return this.entries.join('');
  }
}

/** A failure the agent reports with a specific error code, script name and log. */
export class ScriptError extends Error {
  constructor(
    readonly code: number,
    readonly scriptName: string,
    readonly log: ScriptLog,
    message: string,
  ) {
    super(message);
  }
}

/** The JSON payload of PutHostCommandComplete's Diagnostics. */
export function diagnostics(code: number, scriptName: string, message: string, log = ''): string {
  return JSON.stringify({ error_code: code, script_name: scriptName, message, log });
}

export const succeeded = (note = '') => diagnostics(ErrorCode.Succeeded, '', `Succeeded: ${note}`);

/** Any failure as Diagnostics: script errors keep their code, everything else is UnknownError. */
export function failureDiagnostics(err: unknown): string {
  if (err instanceof ScriptError) return diagnostics(err.code, err.scriptName, err.message, err.log.text);
  return diagnostics(ErrorCode.UnknownError, '', err instanceof Error ? err.message : String(err));
}
