/** Typed arrays laid end to end in one new array of the same kind. */
export function concatenate<T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(parts: readonly T[], make: (length: number) => T): T {
  const all = make(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}
