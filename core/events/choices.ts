/**
 * The choices of an events run that are not values: which table, which
 * operation, which columns an UPDATE assigns and the seed of a repeatable
 * sample. They come from one xoshiro256** stream seeded by `random_seed`,
 * drawn in event order, so one connection repeats them exactly.
 *
 * @module
 */
import { Xoshiro256 } from "../rng/xoshiro256.ts";

/** Draws of an events run. */
export class Choices {
  readonly #rng: Xoshiro256;

  constructor(seed: bigint) {
    this.#rng = Xoshiro256.fromSplitMix64(BigInt.asUintN(64, seed));
  }

  /** A double in [0, 1). */
  unit(): number {
    return Number(this.#rng.next() >> 11n) / 2 ** 53;
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
