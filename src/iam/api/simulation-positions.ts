import type { Position } from '@aws-sdk/client-iam';

/**
 * Where each statement of a policy document sits in its text, as the policy simulator reports it
 * in MatchedStatements. IAM reads documents with a streaming JSON parser and records its location
 * (1-based line, 1-based column of the character after the last one consumed) at two moments:
 *  - start: just before it reads the statement's opening brace, so right after the `[` for the
 *    first statement of a list, right after the previous statement's `}` for the others, and right
 *    after the `{` itself when Statement is a single object (the parser consumes the value's first
 *    character together with the member name);
 *  - end: right after the statement's closing `}`.
 * Observed answers agree: `{"Version":"2012-10-17","Statement":[{…},{…}]}` gives the first statement
 * 1:38–1:248 and the second 1:248–1:470; `…"Statement":{…}}` gives 1:38 for its start.
 * Lines break at `\n`, `\r\n` and a lone `\r`.
 */
export interface StatementSpan {
  start: Position;
  end: Position;
}

/** The spans of the document's statements, in Statement order; empty when the text is not a policy object. */
export function statementSpans(text: string): StatementSpan[] {
  const scanner = new Scanner(text);
  try {
    return scanner.documentStatements();
  } catch {
    return [];
  }
}

class Scanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  documentStatements(): StatementSpan[] {
    this.skipSpace();
    this.expect('{');
    let spans: StatementSpan[] = [];
    this.skipSpace();
    if (this.peek() === '}') return spans;
    for (;;) {
      this.skipSpace();
      const key = this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      // A repeated member replaces the earlier one, as JSON.parse (and IAM) read it.
      if (key === 'Statement') spans = this.statementValue();
      else this.value();
      this.skipSpace();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect('}');
      return spans;
    }
  }

  private statementValue(): StatementSpan[] {
    if (this.peek() === '{') {
      this.i++;
      const start = this.after();
      this.objectRest();
      return [{ start, end: this.after() }];
    }
    this.expect('[');
    const spans: StatementSpan[] = [];
    let previous = this.after();
    this.skipSpace();
    if (this.peek() === ']') {
      this.i++;
      return spans;
    }
    for (;;) {
      this.skipSpace();
      this.value();
      const end = this.after();
      spans.push({ start: previous, end });
      previous = end;
      this.skipSpace();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect(']');
      return spans;
    }
  }

  /** The position after the character just consumed. */
  private after(): Position {
    return { Line: this.line, Column: this.i - this.lineStart + 1 };
  }

  private peek(): string | undefined {
    return this.text[this.i];
  }

  private expect(char: string): void {
    if (this.text[this.i] !== char) throw new Error(`expected ${char} at ${this.i}`);
    this.i++;
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t') this.i++;
      else if (c === '\n' || c === '\r') {
        this.i += c === '\r' && this.text[this.i + 1] === '\n' ? 2 : 1;
        this.line++;
        this.lineStart = this.i;
      } else return;
    }
  }

  private value(): void {
    const c = this.peek();
    if (c === '{') {
      this.i++;
      this.objectRest();
    } else if (c === '[') {
      this.i++;
      this.arrayRest();
    } else if (c === '"') {
      this.string();
    } else {
      const m = /^[^\s,\]}]+/.exec(this.text.slice(this.i, this.i + 64));
      if (!m) throw new Error(`unexpected ${c} at ${this.i}`);
      this.i += m[0].length;
    }
  }

  private objectRest(): void {
    this.skipSpace();
    if (this.peek() === '}') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      this.string();
      this.skipSpace();
      this.expect(':');
      this.skipSpace();
      this.value();
      this.skipSpace();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect('}');
      return;
    }
  }

  private arrayRest(): void {
    this.skipSpace();
    if (this.peek() === ']') {
      this.i++;
      return;
    }
    for (;;) {
      this.skipSpace();
      this.value();
      this.skipSpace();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      this.expect(']');
      return;
    }
  }

  private string(): string {
    this.expect('"');
    const begin = this.i;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    const raw = this.text.slice(begin, this.i);
    this.expect('"');
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }
}
