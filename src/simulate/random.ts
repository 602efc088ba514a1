/**
 * Seeded draws for the simulator: a hash of (seed, stream, a, b) to [0, 1). A draw depends on
 * what it is for, not on how many came before, so two policies see the same noisy day and the
 * same dropped firing, and a run repeats exactly.
 */
function mix(h: number, x: number): number {
  let k = Math.imul(x | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  const next = (h ^ k) >>> 0;
  return (Math.imul((next << 13) | (next >>> 19), 5) + 0xe6546b64) >>> 0;
}

/** A number in [0, 1) fixed by its arguments. */
export function draw(seed: number, stream: number, a: number, b: number): number {
  let h = mix(0x9747b28c, seed);
  h = mix(h, stream);
  h = mix(h, a);
  // Times in ms do not fit 32 bits: hash both halves.
  h = mix(h, Math.floor(b / 0x1_0000_0000));
  h = mix(h, b % 0x1_0000_0000);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
