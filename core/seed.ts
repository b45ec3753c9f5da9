/**
 * 256-bit run seeds: parsing, formatting and fresh entropy.
 *
 * @module
 */
import { SplitMix64 } from "./rng/xoshiro256.ts";

/** Four 64-bit words; statement i is a pure function of (grammar, schema, seed, i). */
export type Seed = readonly [bigint, bigint, bigint, bigint];

/**
 * Reads a seed: 64 hex digits (optionally `0x`-prefixed) are the 256 bits
 * themselves; a decimal number below 2^64 is expanded with splitmix64.
 *
 * @returns The seed, or a string saying what is wrong.
 * @example
 * ```ts
 * import { formatSeed, parseSeed } from "./seed.ts";
 * const s = parseSeed("42");
 * if (typeof s === "string" || parseSeed(formatSeed(s)).toString() !== s.toString()) throw new Error();
 * ```
 */
export function parseSeed(text: string): Seed | string {
  const t = text.trim().toLowerCase().replace(/^0x/, "");
  if (/^[0-9a-f]{64}$/.test(t) && (text.trim().length === 64 || /^0x/i.test(text.trim()))) {
    return [0, 1, 2, 3].map((i) => BigInt(`0x${t.slice(i * 16, i * 16 + 16)}`)) as unknown as Seed;
  }
  if (/^\d{1,20}$/.test(text.trim())) {
    const n = BigInt(text.trim());
    if (n < 1n << 64n) {
      const sm = new SplitMix64(n);
      return [sm.next(), sm.next(), sm.next(), sm.next()];
    }
  }
  return `seed "${text}" must be 64 hex digits (256 bits) or a decimal number below 2^64`;
}

/** The seed as 64 lower-case hex digits, which `parseSeed` reads back. */
export function formatSeed(seed: Seed): string {
  return seed.map((w) => w.toString(16).padStart(16, "0")).join("");
}

/** A fresh seed from the platform's cryptographic generator. */
export function randomSeed(): Seed {
  const words = new BigUint64Array(4);
  crypto.getRandomValues(words);
  return [words[0]!, words[1]!, words[2]!, words[3]!];
}
