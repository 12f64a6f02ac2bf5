import { SiteUrlError, normalizeSiteUrl, rewriteSiteUrl, rewriteValue, urlReplacer } from '../../lifecycle/url-rewrite';
import { utf8Bytes } from '../../lifecycle/sql-literals';

const OLD = 'http://127.0.0.1:18080';
const NEW = 'http://127.0.0.1:30180';
const replace = urlReplacer(OLD, NEW);
const value = (text: string) => rewriteValue(text, replace);
const sql = (text: string) => rewriteSiteUrl(Buffer.from(text, 'utf8'), OLD, NEW).toString('utf8');

describe('urlReplacer', () => {
  test('replaces the URL in plain text, with paths and at the end', () => {
    expect(replace(`<a href="${OLD}/?p=1">x</a> see ${OLD}`)).toBe(`<a href="${NEW}/?p=1">x</a> see ${NEW}`);
  });

  test('replaces the JSON-escaped form', () => {
    expect(replace('{"url":"http:\\/\\/127.0.0.1:18080\\/wp-content\\/a.png"}')).toBe('{"url":"http:\\/\\/127.0.0.1:30180\\/wp-content\\/a.png"}');
  });

  test('replaces the address without scheme (//host:port), plain and JSON-escaped', () => {
    expect(replace('src="//127.0.0.1:18080/a.js" "\\/\\/127.0.0.1:18080\\/b"')).toBe('src="//127.0.0.1:30180/a.js" "\\/\\/127.0.0.1:30180\\/b"');
  });

  test('does not touch a longer host, port or path segment', () => {
    for (const other of ['http://127.0.0.1:180801', 'http://127.0.0.1:18080.example.com', '//127.0.0.1:180801/x', 'http://127.0.0.1:18080@evil', 'ahttp://127.0.0.1:18080x']) {
      expect(replace(other)).toBe(other);
    }
  });

  test('the https form of the old address gets the new host too', () => {
    expect(replace('https://127.0.0.1:18080/a')).toBe('https://127.0.0.1:30180/a');
  });

  test('a path in the old address must match a whole segment', () => {
    const withPath = urlReplacer('http://h/blog', 'http://k');
    expect(withPath('http://h/blog/x http://h/blog2 http://h/blog')).toBe('http://k/x http://h/blog2 http://k');
  });

  test('replaces each place once, even when the new URL contains the old one', () => {
    const longer = urlReplacer('http://h', 'http://h/site');
    expect(longer('http://h/a and //h/b')).toBe('http://h/site/a and //h/site/b');
  });

  test('trailing slashes of the addresses do not matter', () => {
    expect(urlReplacer(`${OLD}/`, `${NEW}/`)(`${OLD}/x`)).toBe(`${NEW}/x`);
  });

  test('refuses something that is not a site address, naming it', () => {
    expect(() => urlReplacer('127.0.0.1:8080', NEW)).toThrow(SiteUrlError);
    expect(() => urlReplacer('127.0.0.1:8080', NEW)).toThrow('old site URL "127.0.0.1:8080" is not');
    expect(() => urlReplacer(OLD, 'ftp://x')).toThrow('new site URL "ftp://x" is not a site address');
    expect(() => normalizeSiteUrl('http://h/?a=1', 'site_url')).toThrow('site_url');
  });
});

describe('rewriteValue', () => {
  test('plain value', () => {
    expect(value(OLD)).toBe(NEW);
  });

  test('serialized value: lengths recomputed', () => {
    expect(value(`a:1:{s:4:"home";s:22:"${OLD}";}`)).toBe(`a:1:{s:4:"home";s:22:"${NEW}";}`);
    const longer = urlReplacer(OLD, 'https://blog.example.com');
    expect(rewriteValue(`s:25:"${OLD}/x/";`, longer)).toBe('s:27:"https://blog.example.com/x/";');
  });

  test('nested serialized value with a JSON string inside', () => {
    const json = '{"u":"http:\\/\\/127.0.0.1:18080\\/a"}';
    const inner = `a:1:{i:0;s:${json.length}:"${json}";}`;
    const outer = `a:1:{s:6:"widget";s:${inner.length}:"${inner}";}`;
    const newJson = '{"u":"https:\\/\\/x.org\\/a"}';
    const newInner = `a:1:{i:0;s:${newJson.length}:"${newJson}";}`;
    expect(rewriteValue(outer, urlReplacer(OLD, 'https://x.org'))).toBe(`a:1:{s:6:"widget";s:${newInner.length}:"${newInner}";}`);
  });

  test('multibyte UTF-8 around the URL: the length counts bytes', () => {
    const text = `Café ${OLD} 日本`;
    const before = utf8Bytes(`s:${Buffer.byteLength(text)}:"${text}";`);
    expect(Buffer.byteLength(text)).toBe(text.length + 5);
    const after = utf8Bytes('s:26:"Café https://x.org 日本";');
    expect(rewriteValue(before, urlReplacer(OLD, 'https://x.org'))).toBe(after);
  });

  test('a value that looks serialized but is not gets a plain replacement', () => {
    expect(value(`s:99:"${OLD}";`)).toBe(`s:99:"${NEW}";`);
  });
});

describe('rewriteSiteUrl', () => {
  test('rewrites a small mysqldump INSERT, serialized values and escapes included', () => {
    const widget = `a:1:{i:2;a:1:{s:4:"text";s:40:"<a href=\\"${OLD}/\\">home</a>";}}`;
    const escaped = widget.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    const dump = [
      '-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB',
      '/*!40101 SET NAMES utf8mb4 */;',
      'LOCK TABLES `wp_options` WRITE;',
      "INSERT INTO `wp_options` VALUES (1,'siteurl','http://127.0.0.1:18080','yes'),(2,'home','http://127.0.0.1:18080/','yes'),"
        + `(3,'widget_text','${escaped}','yes'),(4,'blogdescription','It\\'s a \\"blog\\"\\nline two','yes'),`
        + "(5,'other','http://127.0.0.1:180801','yes');",
      'UNLOCK TABLES;',
    ].join('\n');
    const out = sql(dump);
    const widgetNew = `a:1:{i:2;a:1:{s:4:"text";s:40:"<a href=\\"${NEW}/\\">home</a>";}}`;
    expect(out).toBe(dump
      .replace("'siteurl','http://127.0.0.1:18080'", `'siteurl','${NEW}'`)
      .replace("'home','http://127.0.0.1:18080/'", `'home','${NEW}/'`)
      .replace(escaped, widgetNew.replace(/\\/g, '\\\\').replace(/"/g, '\\"')));
    expect(out).toContain("'It\\'s a \\\"blog\\\"\\nline two'");
    expect(out).toContain("'http://127.0.0.1:180801'");
  });

  test('a serialized value whose new length differs is re-escaped correctly', () => {
    expect(sql(`INSERT INTO t VALUES ('a:1:{i:0;s:22:\\"${OLD}\\";}');`)).toBe(`INSERT INTO t VALUES ('a:1:{i:0;s:22:\\"${NEW}\\";}');`);
    const longer = rewriteSiteUrl(Buffer.from(`INSERT INTO t VALUES ('a:1:{i:0;s:22:\\"${OLD}\\";}');`), OLD, 'https://x.example.org').toString();
    expect(longer).toBe("INSERT INTO t VALUES ('a:1:{i:0;s:21:\\\"https://x.example.org\\\";}');");
  });

  test('multibyte UTF-8 and binary bytes pass unchanged', () => {
    const bytes = Buffer.concat([Buffer.from("INSERT INTO t VALUES ('日本 http://127.0.0.1:18080','"), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from("');")]);
    const out = rewriteSiteUrl(bytes, OLD, NEW);
    expect(out.equals(Buffer.concat([Buffer.from(`INSERT INTO t VALUES ('日本 ${NEW}','`), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from("');")]))).toBe(true);
  });

  test('the same address changes nothing', () => {
    const dump = Buffer.from(`INSERT INTO t VALUES ('s:99:"${OLD}";');`);
    expect(rewriteSiteUrl(dump, OLD, `${OLD}/`).equals(dump)).toBe(true);
  });
});
