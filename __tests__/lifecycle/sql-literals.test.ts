import {
  SqlSyntaxError, escapeLiteral, fromByteString, mapStringLiterals, toByteString, unescapeLiteral, utf8Bytes,
} from '../../lifecycle/sql-literals';

const upper = (sql: string) => mapStringLiterals(sql, (v) => v.toUpperCase());

describe('unescapeLiteral / escapeLiteral', () => {
  test('reads mysqldump escapes and doubled quotes', () => {
    expect(unescapeLiteral("it\\'s a \\\"test\\\"\\nline\\r\\t\\0\\Z\\\\ and ''x''")).toBe('it\'s a "test"\nline\r\t\0\x1a\\ and \'x\'');
  });

  test('keeps the backslash of \\% and \\_ (as MySQL does), drops it elsewhere', () => {
    expect(unescapeLiteral('50\\% \\_ \\q')).toBe('50\\% \\_ q');
  });

  test('escapes what mysqldump escapes, and reads back the same value', () => {
    const value = 'a\'b"c\\d\ne\rf\0g\x1ah';
    expect(escapeLiteral(value)).toBe("'a\\'b\\\"c\\\\d\\ne\\rf\\0g\\Zh'");
    expect(unescapeLiteral(escapeLiteral(value).slice(1, -1))).toBe(value);
  });
});

describe('mapStringLiterals', () => {
  test('maps every single-quoted literal and nothing else', () => {
    expect(upper("INSERT INTO `t` VALUES (1,'abc'),(2,'d\\'e');")).toBe("INSERT INTO `t` VALUES (1,'ABC'),(2,'D\\'E');");
  });

  test('keeps the exact spelling of literals the mapping leaves alone', () => {
    const sql = "SELECT 'it''s', 'a\\%b', 'x\\qy';";
    expect(mapStringLiterals(sql, (v) => v)).toBe(sql);
  });

  test('does not read quotes inside identifiers, double-quoted strings or comments', () => {
    const sql = [
      "-- it's a comment",
      "# so's this",
      "/* and 'this' */",
      "INSERT INTO `it's` VALUES (\"don't\",'x');",
    ].join('\n');
    expect(upper(sql)).toBe(sql.replace("'x'", "'X'"));
  });

  test('maps literals inside versioned comments, which the server runs', () => {
    expect(upper("/*!50003 SET x = 'abc' */;")).toBe("/*!50003 SET x = 'ABC' */;");
  });

  test('a backslash before a quote does not end the literal', () => {
    expect(upper("('a\\\\', 'b')")).toBe("('A\\\\', 'B')");
  });

  test('an unterminated literal is an error, not a silent change', () => {
    expect(() => upper("INSERT INTO t VALUES ('abc")).toThrow(SqlSyntaxError);
    expect(() => upper("INSERT INTO t VALUES ('abc")).toThrow(/unterminated string literal starting at byte 22/);
  });
});

describe('byte strings', () => {
  test('round-trip any bytes, and measure UTF-8 in bytes', () => {
    const bytes = Buffer.from([0, 0xff, 0xc3, 0xa9, 0x80, 0x27]);
    expect(fromByteString(toByteString(bytes)).equals(bytes)).toBe(true);
    expect(utf8Bytes('é')).toHaveLength(2);
  });
});
