/**
 * Planning the uniqueness filter: which mode, how much memory, and what
 * false-positive rate to expect. Pure arithmetic; the filters themselves
 * live in the kernel (wasm/assembly/filter.ts).
 *
 * @module
 */
import { FILTER_BLOOM, FILTER_EXACT, FILTER_NONE } from "../../wasm/opcodes.ts";

/** What `--unique` takes. */
export type UniqueMode = "none" | "bloom" | "exact" | "structural";

/** A sized filter, ready for the kernel. */
export interface FilterPlan {
  mode: UniqueMode;
  /** FILTER_* code for the kernel. */
  code: number;
  /** Bloom words or exact slots. */
  slots: number;
  /** Bits set per statement (bloom). */
  k: number;
  bytes: number;
  /** Attempts per statement before giving up on it. */
  maxAttempts: number;
  /** Statements the filter was sized for. */
  expect: number;
}

/** Attempts per statement before it is counted as exhausted. */
export const DEFAULT_ATTEMPTS = 16;

/** Most filter memory a run may take (WebAssembly memories end at 4 GiB). */
export const MAX_FILTER_BYTES = 3 * 2 ** 30;

function poisson(lambda: number, j: number): number {
  let logP = -lambda + j * Math.log(lambda);
  for (let i = 2; i <= j; i++) logP -= Math.log(i);
  return Math.exp(logP);
}

/**
 * False-positive rate of a register-blocked Bloom filter (k bits in one of
 * `words` 64-bit words) after `n` insertions: the chance that all k bits of a
 * new statement are already set in its word, averaged over the Poisson load
 * of words.
 */
export function bloomFalsePositiveRate(words: number, k: number, n: number): number {
  if (n <= 0) return 0;
  const lambda = n / words;
  if (lambda > 64) return 1; // far past any useful load; every word is full
  let rate = 0;
  const top = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 30);
  for (let j = 1; j <= top; j++) {
    const set = 1 - Math.pow(63 / 64, k * j);
    rate += poisson(lambda, j) * Math.pow(set, k);
  }
  return rate;
}

/** The k (1..10, the bits one hash can place) with the lowest rate for this load. */
export function bestK(words: number, n: number): number {
  let best = 1;
  for (let k = 2; k <= 10; k++) {
    if (bloomFalsePositiveRate(words, k, n) < bloomFalsePositiveRate(words, best, n)) best = k;
  }
  return best;
}

/**
 * Sizes a bloom filter: `bits` if given, else the fewest 64-bit words whose
 * rate at `expect` statements is at most `fpRate`.
 */
export function planBloom(expect: number, fpRate: number, bits?: number): FilterPlan {
  let words: number;
  if (bits !== undefined) words = Math.max(1, Math.ceil(bits / 64));
  else {
    // Start at 8 bits per statement (a load of 8 per word) and double.
    let lo = 1, hi = Math.max(1, Math.ceil(expect / 8));
    while (bloomFalsePositiveRate(hi, bestK(hi, expect), expect) > fpRate && hi < 2 ** 36) hi *= 2;
    lo = Math.max(1, hi >> 1);
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (bloomFalsePositiveRate(mid, bestK(mid, expect), expect) > fpRate) lo = mid + 1;
      else hi = mid;
    }
    words = hi;
  }
  return {
    mode: "bloom",
    code: FILTER_BLOOM,
    slots: words,
    k: bestK(words, expect),
    bytes: words * 8,
    maxAttempts: DEFAULT_ATTEMPTS,
    expect,
  };
}

/** Sizes an exact table: 128-bit slots, at most 70 % full at `expect`. */
export function planExact(expect: number): FilterPlan {
  let slots = 1;
  while (slots * 0.7 < expect) slots *= 2;
  return {
    mode: "exact",
    code: FILTER_EXACT,
    slots,
    k: 0,
    bytes: slots * 16,
    maxAttempts: DEFAULT_ATTEMPTS,
    expect,
  };
}

/** No filter (none, or structural: uniqueness by construction). */
export function planNone(mode: "none" | "structural"): FilterPlan {
  return { mode, code: FILTER_NONE, slots: 0, k: 0, bytes: 0, maxAttempts: 1, expect: 0 };
}

/** How full the filter is (0..1) and the rate a new statement now meets. */
export function filterState(plan: FilterPlan, population: number, inserted: number): {
  fillRatio: number;
  falsePositiveRate: number;
} {
  if (plan.code === FILTER_BLOOM) {
    return {
      fillRatio: population / (plan.slots * 64),
      falsePositiveRate: bloomFalsePositiveRate(plan.slots, plan.k, inserted),
    };
  }
  if (plan.code === FILTER_EXACT) return { fillRatio: population / plan.slots, falsePositiveRate: 0 };
  return { fillRatio: 0, falsePositiveRate: 0 };
}
