// The VM's random picks: a CHOICE's alternative within the depth budget, and
// columns of a table (PICK_COLS, PICK_COL) through the compiler's masks.

import { below32, next } from "./rng";

// @ts-ignore: decorator
@inline function word(pc: usize, n: usize): i32 {
  return load<i32>(pc + (n << 2));
}

/** Picks an alternative of a CHOICE whose height fits `remaining`. */
export function pickChoice(pc: usize, remaining: i32): i32 {
  const n = word(pc, 1);
  const maxHeight = word(pc, 3);
  const alts = pc + 16;
  if (maxHeight <= remaining) {
    const r = below32(<u32> word(pc, 2));
    if (n > 8) {
      let lo = 0, hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (load<u32>(alts + <usize> mid * 12) <= r) lo = mid + 1;
        else hi = mid;
      }
      return load<i32>(alts + <usize> lo * 12, 4);
    }
    let a = alts;
    while (load<u32>(a) <= r) a += 12;
    return load<i32>(a, 4);
  }
  // Over budget: keep only the alternatives that can still finish in time,
  // or the shallowest one if none can.
  let total: u32 = 0;
  let prev: u32 = 0;
  let best = 0;
  let bestHeight = 0x7fffffff;
  for (let i = 0; i < n; i++) {
    const a = alts + <usize> i * 12;
    const cum = load<u32>(a);
    const h = load<i32>(a, 8);
    if (h <= remaining) total += cum - prev;
    if (h < bestHeight) {
      bestHeight = h;
      best = i;
    }
    prev = cum;
  }
  if (total == 0) return load<i32>(alts + <usize> best * 12, 4);
  let r = below32(total);
  prev = 0;
  for (let i = 0; i < n; i++) {
    const a = alts + <usize> i * 12;
    const cum = load<u32>(a);
    if (load<i32>(a, 8) <= remaining) {
      const w = cum - prev;
      if (r < w) return load<i32>(a, 4);
      r -= w;
    }
    prev = cum;
  }
  return load<i32>(alts + <usize> best * 12, 4);
}

/**
 * The op's precomputed masks for a table: 16 bytes per table index, the
 * matching columns then the required ones (bit i = column i of the first 64).
 */
// @ts-ignore: decorator
@inline export function masksFor(masks: i32, table: usize): usize {
  return <usize>masks + (<usize>load<i32>(table, 28) << 4);
}

/** Index of the n-th (0-based) set bit of mask: halves by popcount, then the last byte bit by bit. */
// @ts-ignore: decorator
@inline export function nthSetBit(mask: u64, n: u32): i32 {
  let base: i32 = 0;
  let c = <u32>popcnt<u64>(mask & 0xffffffff);
  if (n >= c) {
    n -= c;
    mask >>= 32;
    base = 32;
  }
  c = <u32>popcnt<u64>(mask & 0xffff);
  if (n >= c) {
    n -= c;
    mask >>= 16;
    base += 16;
  }
  c = <u32>popcnt<u64>(mask & 0xff);
  if (n >= c) {
    n -= c;
    mask >>= 8;
    base += 8;
  }
  for (let i: u32 = 0; i < n; i++) mask &= mask - 1;
  return base + <i32>ctz<u64>(mask);
}

// @ts-ignore: decorator
@inline export function columnAt(table: usize, i: i32): i32 {
  return load<i32>(table, 12) + i * 72;
}

/**
 * PICK_COLS: the required columns (when asked) plus k distinct random
 * matching ones, listed in table order (bit order gives it for free).
 */
export function pickColumns(pc: usize, list: usize, table: usize): bool {
  const masks = masksFor(word(pc, 3), table);
  const min = word(pc, 4);
  const max = word(pc, 5);
  const mode = word(pc, 6);
  const required: u64 = (mode & 1) != 0 ? load<u64>(masks, 8) : 0;
  let cand = load<u64>(masks) & ~required;
  const n = <i32>popcnt<u64>(cand);
  if (n < min) return false;
  let chosen = required;
  if ((mode & 2) != 0) {
    // All of them: the order they are drawn in does not matter, only the draws.
    for (let j = 0; j < n; j++) next();
    chosen |= cand;
  } else {
    let k = min + <i32>below32(<u32>(max - min + 1));
    if (k > n) k = n;
    for (let j = 0; j < k; j++) {
      const bit = (<u64>1) << <u64>nthSetBit(cand, below32(<u32>(n - j)));
      cand &= ~bit;
      chosen |= bit;
    }
  }
  if (chosen == 0) return false;
  let len = 0;
  while (chosen != 0) {
    store<i32>(list + (<usize>(1 + len) << 2), columnAt(table, <i32>ctz<u64>(chosen)));
    chosen &= chosen - 1;
    len++;
  }
  store<i32>(list, len);
  return true;
}

