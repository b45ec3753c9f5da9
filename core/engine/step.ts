/**
 * One call into the kernel, the same for grammars and data tables: a
 * grammar expands statements with `expand`, a data table's row program
 * writes rows with `expandRows`. Workers and the local generator both go
 * through here, so neither knows which kind of program it runs.
 *
 * @module
 */
import type { KernelExports } from "../../wasm/kernel.ts";

/** What one kernel call produced. */
export interface StepResult {
  /** Indices consumed. */
  consumed: number;
  /** Bytes written. */
  length: number;
  /** Statements or rows written (fewer than consumed when a filter gave up on some). */
  emitted: number;
  rejected: number;
  /** 0 or a kernel error code. */
  error: number;
  errorPc: number;
  errorIndex: bigint;
}

/** What the kernel needs to start a program. */
export interface StepProgram {
  codeAddr: number;
  poolAddr: number;
  startWord: number;
  maxDepth: number;
  maxStatementBytes: number;
  rows?: boolean;
}

/** Points kernel instance `k` at `program`, with worker scratch at `scratch`. */
export function startProgram(k: KernelExports, program: StepProgram, scratch: number): void {
  if (program.rows) k.initRows(program.codeAddr, scratch);
  else k.init(program.codeAddr, program.poolAddr, scratch, program.startWord, program.maxDepth);
}

/** Expands [first, first + count) into the buffer at `buf` as far as `cap` bytes hold. */
export function step(
  k: KernelExports,
  program: StepProgram,
  first: bigint,
  count: number,
  buf: number,
  cap: number,
): StepResult {
  if (program.rows) {
    const n = k.expandRows(first, count, buf, cap, program.maxStatementBytes);
    const error = k.rowsError.value as number;
    return {
      consumed: n,
      length: k.rowsLength.value as number,
      emitted: n,
      rejected: 0,
      error,
      errorPc: 0,
      errorIndex: BigInt.asUintN(64, k.rowsErrorIndex.value as bigint),
    };
  }
  const n = k.expand(first, count, buf, cap, program.maxStatementBytes);
  return {
    consumed: n,
    length: k.lastLength.value as number,
    emitted: k.lastEmitted.value as number,
    rejected: k.lastRejected.value as number,
    error: k.lastError.value as number,
    errorPc: k.errorPc.value as number,
    errorIndex: BigInt.asUintN(64, k.errorIndex.value as bigint),
  };
}
