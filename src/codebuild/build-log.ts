import type { LogWriter } from '../logs/internal.js';

export interface LogTarget {
  accountId: string;
  region: string;
  groupName: string;
  streamName: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `[Container] 2024/07/12 01:21:51.170731 <text>`: the agent's own lines, as CodeBuild writes them. */
export function agentLine(at: Date, text: string): string {
  const stamp = `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}.${pad(at.getUTCMilliseconds(), 3)}000`;
  return `[Container] ${stamp} ${text}`;
}

/**
 * A build's log: agent lines and command output, cut into lines, with Parameter Store and
 * Secrets Manager values and access keys masked, written to CloudWatch Logs as they come (so
 * GetLogEvents and `aws logs tail --follow` see a running build) and kept whole for S3 logs.
 */
export class BuildLog {
  private readonly masks: string[] = [];
  private partial: Record<'out' | 'err', string> = { out: '', err: '' };
  private pending: { message: string; timestamp: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly decoders = { out: new TextDecoder(), err: new TextDecoder() };
  readonly lines: string[] = [];

  constructor(
    private readonly writer: LogWriter | undefined,
    private readonly target: LogTarget | undefined,
    private readonly now: () => Date,
    private readonly onError: (err: unknown) => void,
    /** Keep the whole text (for S3 logs). */
    private readonly keep = false,
  ) {}

  /** Values never shown in the log: every exact occurrence becomes `***`. */
  mask(value: string | undefined): void {
    if (value && value.length > 0 && !this.masks.includes(value)) {
      this.masks.push(value);
      this.masks.sort((a, b) => b.length - a.length);
    }
  }

  private masked(text: string): string {
    let out = text;
    for (const m of this.masks) out = out.split(m).join('***');
    return out;
  }

  agent(text: string): void {
    this.push(agentLine(this.now(), text));
  }

  /** Command output as it arrives; complete lines are written at once, a trailing part waits. */
  output(chunk: Buffer, stream: 'out' | 'err' = 'out'): void {
    const text = this.partial[stream] + this.decoders[stream].decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const line of parts) this.push(line);
  }

  /** Ends a command's output: whatever is left of a last line without a newline is written. */
  endOutput(): void {
    for (const stream of ['out', 'err'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].decode();
      this.partial[stream] = '';
      if (rest) this.push(rest);
    }
  }

  private push(line: string): void {
    const message = this.masked(line.replace(/\r$/, ''));
    if (this.keep) this.lines.push(message);
    if (!this.writer || !this.target) return;
    // CloudWatch Logs keeps no empty events; an empty line is a single space, as the agent sends it.
    this.pending.push({ message: message === '' ? ' ' : message, timestamp: this.now().getTime() });
    if (this.pending.length >= 200) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), 50);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0 || !this.writer || !this.target) return;
    const events = this.pending;
    this.pending = [];
    try {
      this.writer.append(
        { accountId: this.target.accountId, region: this.target.region, logGroupName: this.target.groupName, logStreamName: this.target.streamName },
        events,
        { createGroup: true },
      );
    } catch (err) {
      this.onError(err);
    }
  }

  text(): string {
    return this.lines.join('\n') + (this.lines.length ? '\n' : '');
  }
}
