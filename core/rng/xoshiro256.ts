/**
 * Plain TypeScript xoshiro256** and splitmix64 over BigInt: the reference the
 * WASM kernel is tested against, and the seed expander. Not for hot loops.
 *
 * @module
 */

const M64 = (1n << 64n) - 1n;

function rotl(x: bigint, k: bigint): bigint {
  return ((x << k) | (x >> (64n - k))) & M64;
}

/** splitmix64: a 64-bit generator used to expand small seeds. */
export class SplitMix64 {
  #state: bigint;

  /** @param seed Any 64-bit value. */
  constructor(seed: bigint) {
    this.#state = BigInt.asUintN(64, seed);
  }

  /**
   * The next 64-bit output.
   *
   * @example First output for seed 0
   * ```ts
   * import { SplitMix64 } from "./xoshiro256.ts";
   * if (new SplitMix64(0n).next() !== 0xe220a8397b1dcdafn) throw new Error();
   * ```
   */
  next(): bigint {
    this.#state = (this.#state + 0x9e3779b97f4a7c15n) & M64;
    return mix64(this.#state);
  }
}

/** splitmix64's output function, a bijection on 64-bit values. */
export function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

const JUMP = [0x180ec6d33cfd0aban, 0xd5a61266f0c9392cn, 0xa9582618e03fc9aan, 0x39abdc4529b1661cn];
const LONG_JUMP = [0x76e15d3efefdcbbfn, 0xc5004e441c522fb3n, 0x77710069854ee241n, 0x39109bb02acbe635n];

/** xoshiro256** by Blackman and Vigna. */
export class Xoshiro256 {
  #s: [bigint, bigint, bigint, bigint];

  /** @param state Four 64-bit words, not all zero. */
  constructor(state: readonly [bigint, bigint, bigint, bigint]) {
    if (state.every((w) => w === 0n)) throw new RangeError("xoshiro256** state must not be all zero");
    this.#s = [state[0], state[1], state[2], state[3]].map((w) => BigInt.asUintN(64, w)) as [
      bigint,
      bigint,
      bigint,
      bigint,
    ];
  }

  /** A generator seeded from splitmix64(seed), as the reference code suggests. */
  static fromSplitMix64(seed: bigint): Xoshiro256 {
    const sm = new SplitMix64(seed);
    return new Xoshiro256([sm.next(), sm.next(), sm.next(), sm.next()]);
  }

  /** The current state words. */
  get state(): [bigint, bigint, bigint, bigint] {
    return [...this.#s];
  }

  /**
   * The next 64-bit output.
   *
   * @example First output from state (1, 2, 3, 4)
   * ```ts
   * import { Xoshiro256 } from "./xoshiro256.ts";
   * if (new Xoshiro256([1n, 2n, 3n, 4n]).next() !== 0x2d00n) throw new Error();
   * ```
   */
  next(): bigint {
    const s = this.#s;
    const result = (rotl((s[1] * 5n) & M64, 7n) * 9n) & M64;
    const t = (s[1] << 17n) & M64;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45n);
    return result;
  }

  /** Advances by 2^128 outputs (for 2^128 non-overlapping streams). */
  jump(): void {
    this.#jumpWith(JUMP);
  }

  /** Advances by 2^192 outputs. */
  longJump(): void {
    this.#jumpWith(LONG_JUMP);
  }

  #jumpWith(poly: bigint[]): void {
    const acc = [0n, 0n, 0n, 0n];
    for (const word of poly) {
      for (let b = 0n; b < 64n; b++) {
        if ((word >> b) & 1n) {
          for (let i = 0; i < 4; i++) acc[i]! ^= this.#s[i]!;
        }
        this.next();
      }
    }
    this.#s = acc as [bigint, bigint, bigint, bigint];
  }
}
