// The uniqueness filters in shared memory, used by every worker at once.
//
// bloom: a register-blocked Bloom filter. All k bits of a statement lie in
//   one 64-bit word, set with one atomic OR: of two workers inserting the
//   same statement at the same moment, exactly one sees a bit it set itself,
//   so exactly one emits it.
// exact: open addressing over 16-byte slots (h1 | 1, h2 | 1) of the 128-bit
//   fingerprint; a slot is claimed by compare-and-swap of its first word.

import { hashHigh, murmur3 } from "./hash";
import { FILTER_BLOOM, FILTER_EXACT } from "./opcodes";

let mode: i32 = 0;
let base: usize = 0;
let slots: u32 = 0;
let bloomK: u64 = 0;
export let maxAttempts: u32 = 1;

/** Turns the filter on: `count` words (bloom) or slots (exact, a power of two) at `at`. */
export function setFilter(filterMode: i32, at: usize, count: u32, k: i32, attempts: u32): void {
  mode = filterMode;
  base = at;
  slots = count;
  bloomK = <u64>k;
  maxAttempts = attempts;
}

export function filterMode(): i32 {
  return mode;
}

/** The bloom word a statement maps to (its mask is left in `bloomMask`). */
export let bloomMask: u64 = 0;

export function bloomWord(ptr: usize, len: usize): usize {
  const h1 = murmur3(ptr, len, 0);
  const h2 = hashHigh;
  let mask: u64 = 0;
  for (let i: u64 = 0; i < bloomK; i++) mask |= (<u64>1) << ((h2 >> (i * 6)) & 63);
  bloomMask = mask;
  return base + (<usize>(((h1 >> 32) * <u64>slots) >> 32) << 3);
}

/** Sets the mask's bits in the word: true when one of them was not set before. */
// @ts-ignore: decorator
@inline export function bloomInsert(word: usize, mask: u64): bool {
  return (atomic.or<u64>(word, mask) & mask) != mask;
}

/**
 * Records the statement in [ptr, ptr + len): 1 when it is new, 0 when it was
 * (probably, for bloom) recorded before, -1 when the exact table is full.
 */
export function recordStatement(ptr: usize, len: usize): i32 {
  if (mode == FILTER_BLOOM) {
    const word = bloomWord(ptr, len);
    return bloomInsert(word, bloomMask) ? 1 : 0;
  }
  const h1 = murmur3(ptr, len, 0);
  const h2 = hashHigh;
  if (mode != FILTER_EXACT) return 1;
  const first = h1 | 1;
  const second = h2 | 1;
  const wrap = slots - 1;
  let i = <u32>(h1 >> 32) & wrap;
  for (let probes: u32 = 0; probes < slots; probes++) {
    const slot = base + (<usize>i << 4);
    let current = atomic.load<u64>(slot);
    if (current == 0) {
      current = atomic.cmpxchg<u64>(slot, 0, first);
      if (current == 0) {
        atomic.store<u64>(slot, second, 8);
        return 1;
      }
    }
    if (current == first) {
      // The claimer writes the second word right after its CAS.
      let other = atomic.load<u64>(slot, 8);
      while (other == 0) other = atomic.load<u64>(slot, 8);
      if (other == second) return 0;
    }
    i = (i + 1) & wrap;
  }
  return -1;
}

/** Set bits (bloom) or used slots (exact). */
export function filterPopulation(): u64 {
  let total: u64 = 0;
  if (mode == FILTER_BLOOM) {
    for (let i: u32 = 0; i < slots; i++) total += popcnt<u64>(atomic.load<u64>(base + (<usize>i << 3)));
  } else if (mode == FILTER_EXACT) {
    for (let i: u32 = 0; i < slots; i++) if (atomic.load<u64>(base + (<usize>i << 4)) != 0) total++;
  }
  return total;
}
