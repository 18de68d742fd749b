/**
 * A word's activation is the mean of its tokens' vectors (docs/method.md §2): the one pooling of tokens into
 * words, for the measurements (src/engine) and for `iw activations --per-word`.
 * `tokenRows` is row-major [tokens × width], token `firstToken` of the batch row starting at `rowOffset`;
 * spans are [start, end) token indices in the same numbering as `firstToken`. Returns [words × width].
 */
export function poolWords(
  tokenRows: Float32Array,
  rowOffset: number,
  width: number,
  spans: ReadonlyArray<readonly [number, number]>,
  firstToken: number,
): Float32Array {
  const words = new Float32Array(spans.length * width);
  for (let w = 0; w < spans.length; w++) {
    const [start, end] = spans[w];
    const target = w * width;
    for (let t = start; t < end; t++) {
      const source = rowOffset + (t - firstToken) * width;
      for (let u = 0; u < width; u++) words[target + u] += tokenRows[source + u];
    }
    const scale = 1 / (end - start);
    for (let u = 0; u < width; u++) words[target + u] *= scale;
  }
  return words;
}
