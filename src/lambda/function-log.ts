import type { LogWriter } from '../logs/internal.js';

const TAIL_BYTES = 4096;

/**
 * One execution environment's log stream in `/aws/lambda/<name>`: the runtime's output, cut into
 * lines, plus the platform's START/END/REPORT lines. Lines are written in batches (a few per
 * invocation, not one transaction per line), and the lines of the invocation in progress are kept
 * for `X-Amz-Log-Type: Tail`.
 */
export class FunctionLog {
  private partial = '';
  private readonly decoder = new TextDecoder();
  private pending: { message: string; timestamp: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private capture: string[] | undefined;

  constructor(
    private readonly writer: LogWriter,
    private readonly destination: { accountId: string; region: string; logGroupName: string; logStreamName: string },
    private readonly onError: (err: unknown) => void,
  ) {}

  output(chunk: Buffer): void {
    const text = this.partial + this.decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  /** A platform line (START, END, REPORT, INIT_START), written as AWS writes them: ending in a newline. */
  line(text: string): void {
    const message = `${text.replace(/\r/g, '\n')}\n`;
    this.capture?.push(message);
    this.pending.push({ message, timestamp: Date.now() });
    this.timer ??= setTimeout(() => this.flush(), 50);
  }

  startCapture(): void {
    this.capture = [];
  }

  /** The last 4 KB of what the invocation logged, as X-Amz-Log-Result carries it (base64). */
  endCapture(): string {
    const text = Buffer.from((this.capture ?? []).join(''), 'utf8');
    this.capture = undefined;
    return text.subarray(Math.max(0, text.length - TAIL_BYTES)).toString('base64');
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.partial) {
      const rest = this.partial;
      this.partial = '';
      this.line(rest);
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    try {
      this.writer.append(this.destination, events, { createGroup: true });
    } catch (err) {
      this.onError(err);
    }
  }
}
