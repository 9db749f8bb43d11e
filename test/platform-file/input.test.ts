import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeUtf8, readRegularFile } from '../../lib/platform-file/input';

describe('decodeUtf8', () => {
  const invalid = (bytes: number[]) => {
    const d = decodeUtf8(Buffer.from(bytes));
    return 'invalid' in d ? d.invalid : undefined;
  };

  test('UTF-8, with or without a byte order mark, is decoded', () => {
    expect(decodeUtf8(Buffer.from('café ✓ 😀', 'utf8'))).toEqual({ text: 'café ✓ 😀' });
    expect(decodeUtf8(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ text: 'a' });
  });

  test.each([
    ['a Latin-1 byte', [0x61, 0xe9, 0x62], 1, '0xe9'],
    ['an overlong encoding', [0xc0, 0x80], 0, '0xc0'],
    ['a UTF-16 surrogate', [0x61, 0xed, 0xa0, 0x80], 1, '0xed'],
    ['a sequence cut at the end', [0x61, 0x62, 0xe2, 0x9c], 2, '0xe2'],
    ['a stray continuation byte', [0x80], 0, '0x80'],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0, '0xf4'],
  ])('%s is found, with its offset and byte', (_, bytes, byteOffset, byte) => {
    expect(invalid(bytes)).toMatchObject({ byteOffset, byte });
  });

  test('the line and column of the bad byte, in characters', () => {
    expect(invalid([...Buffer.from('a: 1\nname: ✓'), 0xff])).toMatchObject({ line: 2, column: 8 });
  });
});

describe('readRegularFile', () => {
  test('reads a regular file whole', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'input-')), 'a.txt');
    fs.writeFileSync(file, 'x'.repeat(200_000));
    expect(readRegularFile(file, 'the file', 1_000_000).length).toBe(200_000);
  });

  test('refuses a file past the limit, and a folder, naming them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'input-'));
    fs.writeFileSync(path.join(dir, 'a.txt'), 'x'.repeat(2048));
    expect(() => readRegularFile(path.join(dir, 'a.txt'), 'the file a.txt', 1024)).toThrow(
      'cannot read the file a.txt: it is 2 KiB, more than the limit of 1 KiB',
    );
    expect(() => readRegularFile(dir, 'the folder', 1024)).toThrow(
      'cannot read the folder: it is a folder, not a regular file',
    );
  });
});
