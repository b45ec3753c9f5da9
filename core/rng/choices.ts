/**
 * Choices that are not values: for an events run, which table, which
 * operation, which columns an UPDATE assigns and the seed of a repeatable
 * sample; for a workload, which transaction comes next and the gaps between
 * arrivals. They come from one xoshiro128** stream (32-bit words, so no
 * BigInt on the hot path) seeded through splitmix64, drawn in order, so a
 * run repeats them exactly.
 *
 * @module
 */
import { SplitMix64 } from "./xoshiro256.ts";

/** Draws from one seeded stream. */
export class Choices {
  readonly #s = new Uint32Array(4);

  constructor(seed: bigint) {
    const sm = new SplitMix64(BigInt.asUintN(64, seed));
    for (let i = 0; i < 4; i += 2) {
      const w = sm.next();
      this.#s[i] = Number(w & 0xffffffffn);
      this.#s[i + 1] = Number(w >> 32n);
    }
    if (this.#s.every((w) => w === 0)) this.#s[0] = 1;
  }

  /** The next 32 bits of xoshiro128** (Blackman and Vigna). */
  #next(): number {
    const s = this.#s;
    const s0 = s[0]!, s1 = s[1]!;
    const r = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const s2 = s[2]! ^ s0, s3 = s[3]! ^ s1;
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ ((s1 << 9) >>> 0);
    s[3] = rotl(s3 >>> 0, 11);
    return r;
  }

  /** A double in [0, 1): 53 random bits. */
  unit(): number {
    return ((this.#next() >>> 5) * 67108864 + (this.#next() >>> 6)) / 9007199254740992;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.min(n - 1, Math.floor(this.unit() * n));
  }

  /** An index drawn in proportion to `weights` (all > 0). */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let x = this.unit() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /**
   * 1..n distinct groups of `from` (how many, uniformly), as a bit mask over
   * the values of their members.
   */
  subsetMask(from: readonly (readonly number[])[]): bigint {
    const k = 1 + this.below(from.length);
    const pool = [...from];
    let mask = 0n;
    for (let i = 0; i < k; i++) {
      const j = i + this.below(pool.length - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      for (const e of pool[i]!) mask |= 1n << BigInt(e);
    }
    return mask;
  }
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
