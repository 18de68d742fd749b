import { describe, expect, it } from 'vitest';
import { nielsenShrink } from '../../src/analysis/curveFitter.js';

describe('nielsenShrink', () => {
  it('equals max(1/3, 1 − (2·gain − 1)³) bit for bit, on both sides of the shortcut', () => {
    // the shortcut skips pow where the cube is past 2/3; the formula itself (Nielsen 1999) is the oracle
    for (let i = 0; i <= 200_000; i++) {
      const gain = -1 + (i / 200_000) * 4;
      expect(nielsenShrink(gain)).toBe(Math.max(1 / 3, 1 - (2 * gain - 1) ** 3));
    }
  });
});
