/**
 * A small seeded pseudo-random generator (mulberry32, public domain, Tommy Ettinger 2017) for reproducible controls,
 * sketch positions, calibration and generated test models. Not cryptographic.
 */

/** Returns a generator of uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 32-bit FNV-1a hash of a string: a stable seed derived from a tensor name. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/** Fills `out` with standard normal values (Box-Muller) from `rand`. */
export function fillGaussian(out: Float32Array, rand: () => number, mean = 0, std = 1): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = mean + std * r * Math.cos(2 * Math.PI * v);
    if (i + 1 < out.length) out[i + 1] = mean + std * r * Math.sin(2 * Math.PI * v);
  }
  return out;
}
