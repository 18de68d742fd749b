/** Logits shaped like a language model's: a bulk some nats wide, a few far above it, a tail far below. */
export function logitRow(random: () => number, vocabulary: number): Float32Array {
  return Float32Array.from({ length: vocabulary }, () => {
    const bulk = (random() + random() + random() - 1.5) * 8;
    const u = random();
    return u < 0.002 ? bulk + 20 : u < 0.01 ? bulk - 60 : bulk;
  });
}
