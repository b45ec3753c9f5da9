// Exports of the Quarry kernel module. Only numbers and addresses cross the
// boundary; see layout.ts for who owns which region of the shared memory.

export * from "./layout";
export * from "./opcodes";
export { errorPc, init, setTracing, traceLength } from "./vm";
export { errorIndex, expand, lastEmitted, lastError, lastLength, lastRejected } from "./expand";
export { getState, jump, longJump, mix64, setSeed, setState } from "./rng";
export { hashHigh, murmur3 } from "./hash";
export { filterPopulation, setFilter } from "./filter";
import { next, seedStatement, uniqueValue } from "./rng";

/** The next xoshiro256** output of this instance's stream. */
export function rngNext(): u64 {
  return next();
}

/** Writes `count` xoshiro256** outputs to `dst` (benchmarks, bulk use). */
export function rngFill(dst: usize, count: u32): void {
  for (let i: u32 = 0; i < count; i++) store<u64>(dst + (<usize> i << 3), next());
}

/** Loads statement `index`'s RNG state (for tests of the derivation). */
export function rngSeedStatement(index: u64): void {
  seedStatement(index, 0);
}

/** The n-th unique value of statement `index` (for tests). */
export function unique(index: u64, n: u32): u64 {
  return uniqueValue(index, n);
}

/** End of the module's static data; must stay below PROGRAM_BASE. */
export function staticEnd(): usize {
  return __heap_base;
}

export * from "./value_ops";
export { countRows, expandRows, initRows, rowsError, rowsErrorIndex, rowsLength } from "./rows";
export { setClock } from "./values";
export { setOutputMask } from "./rowformat";
