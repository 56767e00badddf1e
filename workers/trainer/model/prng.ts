/**
 * The trainer's one source of randomness in JS: xoshiro128** 1.1 (Blackman & Vigna, 2018), a
 * 32-bit generator with 128 bits of state, seeded through splitmix32 so that nearby seeds (0, 1,
 * 2, …) give unrelated streams. Everything that must be reproducible from `config.seed` (weight
 * init, the per-epoch shuffles, the validation split, the dropout key fed to the graph) draws
 * from a stream derived with `deriveSeed(seed, purpose, …)`, never from a shared running state:
 * that is what lets a resumed run shuffle epoch 7 exactly as an uninterrupted run would.
 *
 * Math.random is never used: it cannot be seeded.
 */

/** splitmix32 step: a strong 32-bit mixer (also used to expand a seed into xoshiro's state). */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

/** A 32-bit seed for one purpose (and e.g. one epoch) derived from the run seed. */
export function deriveSeed(seed: number, ...parts: readonly number[]): number {
  let h = mix32(toUint32(seed));
  for (const part of parts) h = mix32((h ^ toUint32(part)) >>> 0);
  return h;
}

function toUint32(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`seed parts must be finite numbers, got ${value}`);
  // Seeds above 2^32 keep their high bits instead of silently colliding with their low bits.
  const high = Math.floor(Math.abs(value) / 4294967296);
  return (Math.trunc(value) ^ mix32(high)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The raw 128-bit state, for checking against the reference implementation's vectors. */
  static fromState(state: readonly [number, number, number, number]): Prng {
    const prng = new Prng(0);
    [prng.a, prng.b, prng.c, prng.d] = state.map((v) => v >>> 0) as [number, number, number, number];
    return prng;
  }

  constructor(seed: number) {
    let s = toUint32(seed);
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1; // the all-zero state is a fixed point
  }

  /** xoshiro128**: uniform over [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c = (this.c ^ this.a) >>> 0;
    this.d = (this.d ^ this.b) >>> 0;
    this.b = (this.b ^ this.c) >>> 0;
    this.a = (this.a ^ this.d) >>> 0;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform over [0, 1) with 53 random bits, so a value never rounds up to 1. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform over [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }

  /** Uniform integer in [0, n), unbiased (rejection of the short last stripe). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 4294967296) throw new Error(`nextInt wants an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A uniformly random permutation of 0..n−1 (Fisher–Yates, from the end). */
export function permutation(n: number, prng: Prng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}
