import { createRandom, type RandomSource } from '../../util/index.js';

/**
 * Gaussian draws for re-initialised weights. Each tensor gets its own generator, seeded by (seed, tensor name),
 * so a tensor's values depend on neither the order of the file's initializers nor on which other tensors the
 * file holds: the two files of a decoder_model / decoder_with_past_model pair get the same weights.
 */
export function tensorRandom(seed: number, tensorName: string): RandomSource {
  return createRandom((seed ^ fnv1a(tensorName)) >>> 0);
}

/** FNV-1a (32-bit) of a string's UTF-16 code units: spreads names over seeds. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Fills `out` with independent normal(0, std) draws, by the Box–Muller transform: two uniforms u1, u2 give
 * r·cos(2πu2) and r·sin(2πu2) with r = sqrt(−2 ln u1), both used.
 */
export function fillNormal(out: Float32Array, std: number, random: RandomSource): void {
  const n = out.length;
  let i = 0;
  while (i < n) {
    const u1 = 1 - random(); // in (0, 1]: log is finite
    const angle = 2 * Math.PI * random();
    const radius = std * Math.sqrt(-2 * Math.log(u1));
    out[i++] = radius * Math.cos(angle);
    if (i < n) out[i++] = radius * Math.sin(angle);
  }
}
