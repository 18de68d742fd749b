import { describe, expect, it } from 'vitest';
import { escapeControlCharacters } from '../../src/util/controlCharacters.js';
import { textTable } from '../../src/util/textTable.js';

describe('escapeControlCharacters', () => {
  it('writes C0 (but tab and newline), DEL and C1 as \\uXXXX, and leaves other text alone', () => {
    expect(escapeControlCharacters('a\u0000b\u0007c\u001b]0;t\u0007\r\u007f\u0085\u009b')).toBe('a\\u0000b\\u0007c\\u001b]0;t\\u0007\\u000d\\u007f\\u0085\\u009b');
    expect(escapeControlCharacters('tab\tnew\nline é ✓ 模型 \u00a0')).toBe('tab\tnew\nline é ✓ 模型 \u00a0');
  });

  it('keeps JSON meaning: JSON printed through it parses to the same strings', () => {
    const value = { id: 'x\u007fy\u0090z\u001b' };
    expect(JSON.parse(escapeControlCharacters(JSON.stringify(value)))).toEqual(value);
  });

  it('is applied to text-table cells before they are padded, so columns stay aligned', () => {
    const table = textTable([{ header: 'name', align: 'left' }, { header: 'n' }], [['a\u001bb', '1'], ['abcdefghijkl', '2']]);
    // The escaped cell is 10 characters wide; the widest cell 12.
    expect(table).toBe('name          n\na\\u001bb      1\nabcdefghijkl  2\n');
  });
});
