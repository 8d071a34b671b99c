/**
 * A streaming JSON tokenizer that reports positions the way Jackson does, because EventBridge's
 * pattern errors are Jackson parse errors (`... at [Source: (String)"..."; line: 1, column: 40]`).
 * Like Jackson it reads a field name together with the first character of its value, and leaves a
 * string value unread until its text is asked for, so the columns it reports are Jackson's.
 */
export type TokenType =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER_INT'
  | 'VALUE_NUMBER_FLOAT'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL';

export class JsonParseError extends Error {}

type Context = { kind: 'root' | 'object' | 'array'; count: number };

const MAX_SOURCE = 500;

export class JsonTokenizer {
  private pos = 0;
  private readonly stack: Context[] = [{ kind: 'root', count: 0 }];
  private pending: { type: TokenType; text: string; stringStart?: number } | undefined;
  /** Where an unread string value starts (just after its opening quote). */
  private unreadString: number | undefined;
  private text = '';
  private fieldName = '';
  current: TokenType | undefined;

  constructor(private readonly source: string) {}

  /** Jackson's message with its location suffix. */
  error(message: string): JsonParseError {
    return new JsonParseError(`${message}\n at ${this.location()}`);
  }

  location(): string {
    const before = this.source.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - (before.lastIndexOf('\n') + 1) + 1;
    const shown =
      this.source.length > MAX_SOURCE ? `"${this.source.slice(0, MAX_SOURCE)}"[truncated ${this.source.length - MAX_SOURCE} chars]` : `"${this.source}"`;
    return `[Source: (String)${shown}; line: ${line}, column: ${column}]`;
  }

  currentName(): string {
    return this.fieldName;
  }

  /** The text of the current token; reading a string value moves past it, as in Jackson. */
  getText(): string {
    if (this.unreadString !== undefined) {
      const { value, end } = this.readString(this.unreadString);
      this.text = value;
      this.pos = end;
      this.unreadString = undefined;
    }
    return this.text;
  }

  next(): TokenType | undefined {
    if (this.unreadString !== undefined) {
      this.pos = this.readString(this.unreadString).end;
      this.unreadString = undefined;
    }
    if (this.pending) {
      const p = this.pending;
      this.pending = undefined;
      this.text = p.text;
      if (p.stringStart !== undefined) this.unreadString = p.stringStart;
      return (this.current = p.type);
    }
    const ctx = this.stack[this.stack.length - 1];
    let c = this.skipSpace();
    if (ctx.kind === 'object') {
      if (c === '}') {
        this.pos++;
        this.stack.pop();
        return (this.current = 'END_OBJECT');
      }
      if (ctx.count > 0) {
        if (c !== ',') throw this.unexpected(c, 'was expecting comma to separate Object entries');
        this.pos++;
        c = this.skipSpace();
      }
      if (c !== '"') {
        if (c === undefined) throw this.error(`Unexpected end-of-input: expected close marker for OBJECT`);
        throw this.unexpected(c, 'was expecting double-quote to start field name');
      }
      const name = this.readString(this.pos + 1);
      this.pos = name.end;
      this.fieldName = name.value;
      c = this.skipSpace();
      if (c !== ':') throw this.unexpected(c, 'was expecting a colon to separate field name and value');
      this.pos++;
      this.skipSpace();
      ctx.count++;
      this.pending = this.readValueStart(true);
      this.text = name.value;
      return (this.current = 'FIELD_NAME');
    }
    if (ctx.kind === 'array') {
      if (c === ']') {
        this.pos++;
        this.stack.pop();
        return (this.current = 'END_ARRAY');
      }
      if (ctx.count > 0) {
        if (c !== ',') throw this.unexpected(c, 'was expecting comma to separate Array entries');
        this.pos++;
        this.skipSpace();
      }
      ctx.count++;
    } else if (ctx.count > 0) {
      return (this.current = undefined);
    } else {
      if (c === undefined) return (this.current = undefined);
      ctx.count++;
    }
    const token = this.readValueStart(false);
    this.text = token.text;
    if (token.stringStart !== undefined) this.unreadString = token.stringStart;
    return (this.current = token.type);
  }

  private skipSpace(): string | undefined {
    while (this.pos < this.source.length && ' \t\r\n'.includes(this.source[this.pos])) this.pos++;
    return this.source[this.pos];
  }

  private unexpected(c: string | undefined, why: string): JsonParseError {
    if (c === undefined) return this.error(`Unexpected end-of-input: ${why}`);
    return this.error(`Unexpected character ('${c}' (code ${c.charCodeAt(0)})): ${why}`);
  }

  /** Reads a value's first token; strings stay unread, containers are entered. */
  private readValueStart(inField: boolean): { type: TokenType; text: string; stringStart?: number } {
    const c = this.source[this.pos];
    if (c === undefined) throw this.error(inField ? 'Unexpected end-of-input: expected a value' : 'Unexpected end-of-input: expected close marker for ARRAY');
    if (c === '"') {
      this.pos++;
      return { type: 'VALUE_STRING', text: '', stringStart: this.pos };
    }
    if (c === '{') {
      this.pos++;
      this.stack.push({ kind: 'object', count: 0 });
      return { type: 'START_OBJECT', text: '{' };
    }
    if (c === '[') {
      this.pos++;
      this.stack.push({ kind: 'array', count: 0 });
      return { type: 'START_ARRAY', text: '[' };
    }
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.source.slice(this.pos));
    if (num && (c === '-' || (c >= '0' && c <= '9'))) {
      this.pos += num[0].length;
      return { type: num[2] || num[3] ? 'VALUE_NUMBER_FLOAT' : 'VALUE_NUMBER_INT', text: num[0] };
    }
    const word = /^[A-Za-z0-9_$]+/.exec(this.source.slice(this.pos))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return { type: word === 'true' ? 'VALUE_TRUE' : word === 'false' ? 'VALUE_FALSE' : 'VALUE_NULL', text: word };
    }
    if (word) {
      this.pos += word.length;
      throw this.error(`Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    }
    throw this.unexpected(c, 'expected a value');
  }

  private readString(start: number): { value: string; end: number } {
    let i = start;
    let value = '';
    while (i < this.source.length) {
      const c = this.source[i];
      if (c === '"') return { value, end: i + 1 };
      if (c === '\\') {
        const e = this.source[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e in simple) {
          value += simple[e];
          i += 2;
          continue;
        }
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.source.slice(i + 2, i + 6))) {
          value += String.fromCharCode(parseInt(this.source.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        this.pos = i + 2;
        throw this.error(`Unrecognized character escape '${e}' (code ${e?.charCodeAt(0)})`);
      }
      if (c.charCodeAt(0) < 0x20) {
        this.pos = i + 1;
        throw this.error(`Illegal unquoted character ((CTRL-CHAR, code ${c.charCodeAt(0)})): has to be escaped using backslash to be included in string value`);
      }
      value += c;
      i++;
    }
    this.pos = this.source.length;
    throw this.error('Unexpected end-of-input: was expecting closing quote for a string value');
  }
}
