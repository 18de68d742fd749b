import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, firstInvalidUtf8Offset } from '../../src/corpus/decodeUtf8.js';
import { createRandom, randomInt } from '../../src/util/random.js';

describe('decodeUtf8', () => {
  it('decodes UTF-8, drops a byte-order mark and turns CRLF into LF', () => {
    const bytes = Buffer.from('\uFEFFcafé\r\nnaïve\r\n', 'utf8');
    expect(decodeUtf8(bytes, 'a.txt')).toBe('café\nnaïve\n');
  });

  it('refuses Latin-1 text, naming the file, the byte offset and the line', () => {
    // "ok\ncaf" is 6 bytes, so Latin-1's é (0xE9) sits at offset 6, on line 2.
    const bytes = Buffer.from('ok\ncaf\xe9 au lait', 'latin1');
    expect(() => decodeUtf8(bytes, 'notes.txt')).toThrow('notes.txt is not UTF-8 text: byte offset 6 (line 2) holds 0xe9');
  });
});

describe('firstInvalidUtf8Offset', () => {
  it('finds truncated, overlong and surrogate sequences', () => {
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xe2, 0x82]))).toBe(1); // € cut short
    expect(firstInvalidUtf8Offset(Uint8Array.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
    expect(firstInvalidUtf8Offset(Uint8Array.from([0xed, 0xa0, 0x80]))).toBe(0); // UTF-16 surrogate
    expect(firstInvalidUtf8Offset(Buffer.from('€ and 𝄞', 'utf8'))).toBe(-1);
  });

  it('agrees with Node\'s own validator on random bytes, and the prefix before the offset is valid', () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 2000; trial++) {
      // Mostly ASCII with some high bytes, so both valid and invalid arrays occur.
      const bytes = Uint8Array.from({ length: 1 + randomInt(random, 12) }, () => (random() < 0.7 ? randomInt(random, 128) : 128 + randomInt(random, 128)));
      const offset = firstInvalidUtf8Offset(bytes);
      expect(offset === -1).toBe(isUtf8(bytes));
      if (offset > 0) expect(isUtf8(bytes.subarray(0, offset))).toBe(true);
    }
  });
});
