import { rewriteSerialized, rewriteString } from '../../lifecycle/php-serialized';
import { utf8Bytes } from '../../lifecycle/sql-literals';

const replace = (text: string) => text.split('OLD').join('NEWER');

describe('rewriteSerialized', () => {
  test('recomputes the length of a rewritten string', () => {
    expect(rewriteSerialized('s:7:"at OLD!";', replace)).toBe('s:9:"at NEWER!";');
  });

  test('rewrites values in arrays and objects, not keys, property or class names', () => {
    const value = 'a:2:{s:3:"OLD";s:3:"OLD";i:1;O:3:"OLD":1:{s:3:"OLD";s:4:"OLD/";}}';
    expect(rewriteSerialized(value, replace)).toBe('a:2:{s:3:"OLD";s:5:"NEWER";i:1;O:3:"OLD":1:{s:3:"OLD";s:6:"NEWER/";}}');
  });

  test('rewrites serialized data inside a serialized string, at any depth', () => {
    const inner = 'a:1:{i:0;s:3:"OLD";}';
    const middle = `s:${inner.length}:"${inner}";`;
    const outer = `a:1:{s:1:"k";s:${middle.length}:"${middle}";}`;
    const innerNew = 'a:1:{i:0;s:5:"NEWER";}';
    const middleNew = `s:${innerNew.length}:"${innerNew}";`;
    expect(rewriteSerialized(outer, replace)).toBe(`a:1:{s:1:"k";s:${middleNew.length}:"${middleNew}";}`);
  });

  test('counts bytes, not characters: multibyte UTF-8', () => {
    const value = utf8Bytes('a:1:{i:0;s:9:"é OLD ü";}');
    // "é NEWER ü": 2 + 1 + 5 + 1 + 2 bytes
    expect(rewriteSerialized(value, replace)).toBe(utf8Bytes('a:1:{i:0;s:11:"é NEWER ü";}'));
  });

  test('a length that counts characters is not valid: multibyte content read as bytes', () => {
    // PHP counts bytes; "é" is 2 bytes, so s:1 does not fit.
    expect(rewriteSerialized(utf8Bytes('s:1:"é";'), replace)).toBeUndefined();
  });

  test('keeps every scalar type as it is', () => {
    const value = 'a:8:{i:0;N;i:1;b:1;i:2;i:-42;i:3;d:0.5;i:4;d:-INF;i:5;d:1.0E+25;i:6;E:7:"Foo:Bar";i:7;s:0:"";}';
    expect(rewriteSerialized(value, replace)).toBe(value);
  });

  test('rewrites the opaque data of a C: value and its length', () => {
    expect(rewriteSerialized('C:3:"Foo":5:{x OLD}', replace)).toBe('C:3:"Foo":7:{x NEWER}');
  });

  test.each([
    ['a wrong length', 's:5:"OLD";'],
    ['text after the value', 's:3:"OLD";x'],
    ['a missing semicolon', 's:3:"OLD"'],
    ['too few array members', 'a:2:{i:0;s:3:"OLD";}'],
    ['a non-scalar key', 'a:1:{a:0:{}s:3:"OLD";}'],
    ['a plain text', 'OLD'],
    ['an unknown type', 'x:3:"OLD";'],
    ['a bad boolean', 'b:2;'],
  ])('is undefined for %s', (_what, value) => {
    expect(rewriteSerialized(value, replace)).toBeUndefined();
  });
});

describe('rewriteString', () => {
  test('text that only looks serialized gets a plain replacement', () => {
    expect(rewriteString('s:5:"OLD";', replace)).toBe('s:5:"NEWER";');
  });

  test('serialized data gets its lengths recomputed', () => {
    expect(rewriteString('s:3:"OLD";', replace)).toBe('s:5:"NEWER";');
  });
});
