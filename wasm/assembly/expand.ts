// Drives the grammar VM over a range of statements: each statement after
// the last, ";\n" after each, and the uniqueness filter's decisions (bloom
// checks batched, rejected statements regenerated with the next attempt).

import { bloomInsert, bloomMask, bloomWord, filterMode, maxAttempts, recordStatement } from "./filter";
import { out, putByte, setCursor } from "./emit";
import { ERR_FILTER_FULL, FILTER_BLOOM, FILTER_NONE } from "./opcodes";
import { BATCH_MAX, SCR_BATCH } from "./layout";
import { runStatement, vmScratch } from "./vm";

// Bytes kept free below the statement limit so that one atom (a column
// literal, a number) never needs its own bounds check.
const ATOM_MARGIN: usize = 1024;

export let lastLength: u32 = 0;
export let lastError: i32 = 0;
export let errorIndex: u64 = 0;
export let lastEmitted: u32 = 0;
export let lastRejected: u32 = 0;

// Bloom checks are batched: the statements of a batch are generated first,
// then their filter words are all loaded (so the cache misses overlap),
// then decided in order with one atomic OR each. A batch entry is 32 bytes
// of scratch: start, length, word address, (pad), mask, index.
let pending: i32 = 0;
let batchStart: usize = 0;
let touched: u64 = 0;

// @ts-ignore: decorator
@inline function entryAt(i: i32): usize {
  return vmScratch() + SCR_BATCH + (<usize>i << 5);
}

/** One statement, attempt by attempt, decided at once; false when it failed. */
function regenerate(idx: u64, maxStatement: u32): bool {
  for (let attempt: u32 = 1; attempt < maxAttempts; attempt++) {
    const start = out;
    setCursor(start, start + <usize> maxStatement - ATOM_MARGIN);
    const err = runStatement(idx, attempt);
    if (err != 0) {
      lastError = err;
      errorIndex = idx;
      setCursor(start, start);
      return false;
    }
    const seen = recordStatement(start, out - start);
    if (seen == 1) {
      putByte(59);
      putByte(10);
      lastEmitted++;
      return true;
    }
    lastRejected++;
    setCursor(start, start);
  }
  return true; // exhausted: the index is skipped
}

/** Decides the pending batch, compacts away what was seen, regenerates it. */
function flushBatch(maxStatement: u32): bool {
  if (pending == 0) return true;
  let t: u64 = 0;
  for (let i = 0; i < pending; i++) t ^= load<u64>(<usize> load<u32>(entryAt(i), 8));
  touched ^= t;
  let write = batchStart;
  let rejected = 0;
  for (let i = 0; i < pending; i++) {
    const e = entryAt(i);
    const start = <usize> load<u32>(e);
    const len = <usize> load<u32>(e, 4);
    if (bloomInsert(<usize> load<u32>(e, 8), load<u64>(e, 16))) {
      if (write != start) memory.copy(write, start, len);
      write += len;
      lastEmitted++;
    } else {
      lastRejected++;
      // Entries before i are consumed, so entry `rejected` can hold the index.
      store<u64>(entryAt(rejected), load<u64>(e, 24), 24);
      rejected++;
    }
  }
  pending = 0;
  setCursor(write, write);
  for (let j = 0; j < rejected; j++) {
    if (!regenerate(load<u64>(entryAt(j), 24), maxStatement)) return false;
  }
  return true;
}

/**
 * Expands statements first .. first + count - 1 into [buf, buf + cap), each
 * followed by ";\n", stopping early when fewer than maxStatement + 2 bytes are
 * left. With a uniqueness filter on, a statement seen before is replaced by
 * a fresh attempt (up to maxAttempts), then given up. Returns how many
 * indices were consumed; lastLength holds the bytes, lastEmitted the
 * statements written, lastRejected the rejected attempts, and lastError a
 * nonzero code when a statement failed (errorIndex says which).
 */
export function expand(first: u64, count: u32, buf: usize, cap: u32, maxStatement: u32): u32 {
  const end = buf + <usize> cap;
  const mode = filterMode();
  const batching = mode == FILTER_BLOOM;
  const room1 = <usize> maxStatement + 2;
  setCursor(buf, buf);
  lastError = 0;
  lastEmitted = 0;
  lastRejected = 0;
  pending = 0;
  let n: u32 = 0;
  while (n < count) {
    // A batch keeps room for each of its statements to be regenerated.
    if (batching && pending > 0 && (pending == BATCH_MAX || batchStart + <usize> (pending + 1) * room1 > end)) {
      if (!flushBatch(maxStatement)) break;
    }
    const start = out;
    if (start + room1 > end) break;
    const index = first + <u64> n;
    if (batching) {
      if (pending == 0) batchStart = start;
      setCursor(start, start + <usize> maxStatement - ATOM_MARGIN);
      const err = runStatement(index, 0);
      if (err != 0) {
        setCursor(start, start);
        if (!flushBatch(maxStatement)) break;
        lastError = err;
        errorIndex = first + <u64> n;
        break;
      }
      const e = entryAt(pending);
      store<u32>(e, <u32> start);
      store<u32>(e, <u32> (out - start + 2), 4);
      store<u32>(e, <u32> bloomWord(start, out - start), 8);
      store<u64>(e, bloomMask, 16);
      store<u64>(e, index, 24);
      pending++;
      putByte(59);
      putByte(10);
      n++;
      continue;
    }
    let err = 0;
    let emit = true;
    for (let attempt: u32 = 0; ; attempt++) {
      setCursor(start, start + <usize> maxStatement - ATOM_MARGIN);
      err = runStatement(index, attempt);
      if (err != 0 || mode == FILTER_NONE) break;
      const seen = recordStatement(start, out - start);
      if (seen == 1) break;
      if (seen < 0) {
        err = ERR_FILTER_FULL;
        break;
      }
      lastRejected++;
      if (attempt + 1 >= maxAttempts) {
        emit = false;
        break;
      }
    }
    if (err != 0) {
      lastError = err;
      errorIndex = index;
      setCursor(start, start);
      break;
    }
    if (emit) {
      putByte(59);
      putByte(10);
      lastEmitted++;
    } else setCursor(start, start);
    n++;
  }
  if (batching && lastError == 0) flushBatch(maxStatement);
  lastLength = <u32> (out - buf);
  return n;
}
