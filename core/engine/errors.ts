/**
 * Failures while expanding statements.
 *
 * @module
 */
import {
  ERR_CALL_DEPTH,
  ERR_FILTER_FULL,
  ERR_LOOP_DEPTH,
  ERR_NO_CANDIDATE,
  ERR_STATEMENT_TOO_LONG,
  ERR_TOO_MANY_UNIQUE,
  MAX_UNIQUE,
} from "../../wasm/opcodes.ts";
import type { Program } from "../compile/compile.ts";

/** A statement that could not be generated; deterministic for its seed and index. */
export class GenerationError extends Error {
  constructor(
    readonly code: number,
    readonly index: bigint,
    readonly rule: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "GenerationError";
  }
}

/** Explains VM error `code` raised at word `pc` while expanding statement `index`. */
export function generationError(program: Program, code: number, index: bigint, pc: number): GenerationError {
  const rule = program.ruleAt(pc);
  const where = `statement ${index} of grammar "${program.grammar}"${rule ? `, rule "${rule}"` : ""}`;
  const why = code === ERR_STATEMENT_TOO_LONG
    ? `exceeds ${program.maxStatementBytes} bytes; lower repeat bounds or maxDepth, or raise maxStatementBytes`
    : code === ERR_NO_CANDIDATE
    ? "a pick found no matching table, column or foreign key in the schema and has no orElse branch"
    : code === ERR_CALL_DEPTH
    ? "nests rule calls deeper than the VM's 256 levels"
    : code === ERR_TOO_MANY_UNIQUE
    ? `draws more than ${MAX_UNIQUE} unique values; lower the repeat bounds around unique() or uniqueLiteral()`
    : code === ERR_FILTER_FULL
    ? "the exact uniqueness table is full; raise --expect"
    : code === ERR_LOOP_DEPTH
    ? "nests repeat/each loops deeper than the VM's 128 levels"
    : `hit VM error ${code} (a compiler bug; please report it with the seed)`;
  return new GenerationError(code, index, rule, `${where}: ${why}`);
}

/** A job whose shared memory would exceed WebAssembly's 4 GiB. */
export class JobTooLargeError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "JobTooLargeError";
  }
}
