/**
 * PHP-serialized values (what WordPress stores in options and meta) with
 * their strings rewritten and every `s:<length>:` recomputed.
 *
 * Values are byte strings (one JS character per byte, see `sql-literals.ts`),
 * so a length is a length in bytes, as PHP counts it.
 */

class NotSerialized extends Error {}

/** Cheap test before a full parse. */
const LOOKS_SERIALIZED = /^(?:[abdiOCEsrR]:|N;)/;

/**
 * `value` with `rewrite` applied to every string value inside it (array keys,
 * property names and class names stay as they are), or undefined when
 * `value` is not exactly one valid serialized value. A string that holds
 * serialized data itself is rewritten the same way, at any depth.
 */
export function rewriteSerialized(value: string, rewrite: (text: string) => string): string | undefined {
  if (!LOOKS_SERIALIZED.test(value)) return undefined;
  const parser = new Parser(value, rewrite);
  try {
    const out = parser.value(true);
    return parser.atEnd() ? out : undefined;
  } catch (error) {
    if (error instanceof NotSerialized) return undefined;
    throw error;
  }
}

/** A string's new content: serialized data inside it rewritten as such, anything else as text. */
export function rewriteString(text: string, rewrite: (text: string) => string): string {
  return rewriteSerialized(text, rewrite) ?? rewrite(text);
}

class Parser {
  private pos = 0;

  constructor(private readonly input: string, private readonly rewrite: (text: string) => string) {}

  public atEnd(): boolean {
    return this.pos === this.input.length;
  }

  /** One value from `pos`; strings rewritten when `rewriteStrings`. */
  public value(rewriteStrings: boolean): string {
    const type = this.input[this.pos];
    if (type === 'N') {
      this.expect('N;');
      return 'N;';
    }
    this.pos += 1;
    this.expect(':');
    switch (type) {
      case 'b': return `b:${this.match(/[01]/y)}${this.expect(';')}`;
      case 'i': return `i:${this.match(/[+-]?\d+/y)}${this.expect(';')}`;
      case 'd': return `d:${this.match(/(?:-?INF|NAN|[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y)}${this.expect(';')}`;
      case 'r': case 'R': return `${type}:${this.match(/\d+/y)}${this.expect(';')}`;
      case 's': {
        const text = this.quoted();
        this.expect(';');
        const out = rewriteStrings ? rewriteString(text, this.rewrite) : text;
        return `s:${out.length}:"${out}";`;
      }
      case 'E': {
        const name = this.quoted();
        this.expect(';');
        return `E:${name.length}:"${name}";`;
      }
      case 'a': {
        const count = Number(this.match(/\d+/y));
        this.expect(':{');
        return `a:${count}:{${this.members(count)}}`;
      }
      case 'O': {
        const className = this.quoted();
        this.expect(':');
        const count = Number(this.match(/\d+/y));
        this.expect(':{');
        return `O:${className.length}:"${className}":${count}:{${this.members(count)}}`;
      }
      case 'C': {
        // A class's own serialization: its data is opaque, rewritten as a string.
        const className = this.quoted();
        this.expect(':');
        const length = Number(this.match(/\d+/y));
        this.expect(':{');
        const data = this.take(length);
        this.expect('}');
        const out = rewriteString(data, this.rewrite);
        return `C:${className.length}:"${className}":${out.length}:{${out}}`;
      }
      default: throw new NotSerialized();
    }
  }

  /** `count` key/value pairs; keys kept, values rewritten. */
  private members(count: number): string {
    let out = '';
    for (let k = 0; k < count; k++) {
      const keyType = this.input[this.pos];
      if (keyType !== 'i' && keyType !== 's') throw new NotSerialized();
      out += this.value(false) + this.value(true);
    }
    this.expect('}');
    return out;
  }

  /** `<length>:"<length bytes>"`. */
  private quoted(): string {
    const length = Number(this.match(/\d+/y));
    this.expect(':"');
    const text = this.take(length);
    this.expect('"');
    return text;
  }

  private take(length: number): string {
    if (this.pos + length > this.input.length) throw new NotSerialized();
    const text = this.input.slice(this.pos, this.pos + length);
    this.pos += length;
    return text;
  }

  private match(pattern: RegExp): string {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.input);
    if (!found) throw new NotSerialized();
    this.pos += found[0].length;
    return found[0];
  }

  private expect(text: string): string {
    if (!this.input.startsWith(text, this.pos)) throw new NotSerialized();
    this.pos += text.length;
    return text;
  }
}
