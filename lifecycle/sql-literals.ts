/**
 * The string literals of a mysqldump file: found, unescaped, changed and
 * escaped back, everything else passed through byte for byte.
 *
 * The SQL is a "byte string" (see {@link toByteString}): one JS character per
 * byte, so binary data and multibyte UTF-8 pass unchanged and a string's
 * `length` is its length in bytes.
 */

/** One JS character per byte (latin1): lossless for any bytes. */
export function toByteString(bytes: Buffer): string {
  return bytes.toString('latin1');
}

export function fromByteString(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A UTF-8 text (a URL) as a byte string. */
export function utf8Bytes(text: string): string {
  return toByteString(Buffer.from(text, 'utf8'));
}

/** MySQL's backslash escapes in a quoted string; `\%` and `\_` keep their backslash. */
const UNESCAPE: Readonly<Record<string, string>> = {
  '0': '\0', "'": "'", '"': '"', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', '%': '\\%', _: '\\_',
};

/** What mysqldump (mysql_real_escape_string) escapes. */
const ESCAPE: Readonly<Record<string, string>> = {
  '\0': '\\0', '\n': '\\n', '\r': '\\r', '\\': '\\\\', "'": "\\'", '"': '\\"', '\x1a': '\\Z',
};

/** The value of a single-quoted literal's body (between the quotes). */
export function unescapeLiteral(body: string): string {
  return body.replace(/\\([\s\S])|''/g, (_match, escaped: string | undefined) => {
    if (escaped === undefined) return "'";
    return UNESCAPE[escaped] ?? escaped;
  });
}

/** A value as mysqldump writes it, quotes included. */
export function escapeLiteral(value: string): string {
  // eslint-disable-next-line no-control-regex -- NUL and Ctrl-Z are exactly what must be escaped
  return `'${value.replace(/[\0\n\r\\'"\x1a]/g, (c) => ESCAPE[c])}'`;
}

export class SqlSyntaxError extends Error {}

/**
 * Calls `map` with the value of every single-quoted string literal of `sql`
 * and writes back what it returns (escaped). A literal `map` leaves unchanged
 * keeps its original spelling. Comments, `backtick` identifiers and
 * "double-quoted" strings are skipped, never changed.
 */
export function mapStringLiterals(sql: string, map: (value: string) => string): string {
  const out: string[] = [];
  let copied = 0;
  let i = 0;
  const n = sql.length;
  const skipQuoted = (quote: string, from: number, what: string): number => {
    let j = from + 1;
    while (j < n) {
      const c = sql[j];
      if (c === '\\' && quote !== '`') j += 2;
      else if (c === quote && sql[j + 1] === quote) j += 2;
      else if (c === quote) return j + 1;
      else j += 1;
    }
    throw new SqlSyntaxError(`unterminated ${what} starting at byte ${from} of the SQL: the dump is truncated or not mysqldump output`);
  };
  while (i < n) {
    const c = sql[i];
    if (c === "'") {
      const end = skipQuoted("'", i, 'string literal');
      const value = unescapeLiteral(sql.slice(i + 1, end - 1));
      const mapped = map(value);
      if (mapped !== value) {
        out.push(sql.slice(copied, i), escapeLiteral(mapped));
        copied = end;
      }
      i = end;
    } else if (c === '`' || c === '"') {
      i = skipQuoted(c, i, c === '`' ? 'identifier' : 'double-quoted string');
    } else if ((c === '-' && sql[i + 1] === '-' && /[ \t\r\n]/.test(sql[i + 2] ?? '\n')) || c === '#') {
      const eol = sql.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && sql[i + 1] === '*' && sql[i + 2] !== '!' && !(sql[i + 2] === 'M' && sql[i + 3] === '!')) {
      // A plain comment; `/*!40101 ... */` (and MariaDB's `/*M!...`) is code the server runs.
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new SqlSyntaxError(`unterminated comment starting at byte ${i} of the SQL`);
      i = end + 2;
    } else {
      i += 1;
    }
  }
  out.push(sql.slice(copied));
  return out.join('');
}
