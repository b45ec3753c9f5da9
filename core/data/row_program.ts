/**
 * The row program of one compiled table in an output format: the compiled
 * image with the table record's format words set, as the generation engine
 * runs it, and the rows a slice of the table covers.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import { PROGRAM_BASE } from "../../wasm/layout.ts";
import type { Program } from "../compile/compile.ts";
import type { CompiledSpec, CompiledTable } from "./compile.ts";

/** Output formats a row program can write. */
export type RowFormat = "csv" | "copy" | "ndjson" | "json" | "sql" | "columns" | "set";

const FORMAT_CODES: Record<RowFormat, number> = {
  csv: v.F_CSV,
  copy: v.F_COPY,
  ndjson: v.F_NDJSON,
  json: v.F_JSON,
  sql: v.F_SQL,
  columns: v.F_COLUMNS,
  set: v.F_SET,
};

/** The rows a slice covers: from `start` [default: 0], `count` of them [default: the rest of the table]. */
export function rowSlice(table: CompiledTable, start = 0n, count?: bigint): { start: bigint; count: bigint } {
  return { start, count: count ?? (table.rows > start ? table.rows - start : 0n) };
}

/** Options of a table's row program. */
export interface RowProgramOptions {
  format: RowFormat;
  /** CSV delimiter (one ASCII byte). */
  delimiter?: string;
  /** SQL: rows per INSERT. */
  batch?: number;
}

/**
 * The program that writes one table's rows in a format: the spec's image
 * with the table record's format words set, for the generation engine.
 */
export function rowProgram(spec: CompiledSpec, table: CompiledTable, options: RowProgramOptions): Program {
  const image = spec.image.slice();
  const view = new DataView(image.buffer);
  const at = (word: number) => table.addr - PROGRAM_BASE + word * 4;
  view.setInt32(at(v.RT_FORMAT), FORMAT_CODES[options.format], true);
  view.setInt32(at(v.RT_DELIM), (options.delimiter ?? ",").charCodeAt(0), true);
  view.setInt32(at(v.RT_BATCH), options.batch ?? 1000, true);
  return {
    grammar: `table "${table.name}"`,
    image,
    codeAddr: table.addr,
    poolAddr: 0,
    startWord: 0,
    maxDepth: 0,
    maxStatementBytes: Math.min(table.maxRowBytes, 1 << 20),
    uniqueByConstruction: false,
    rows: true,
    ruleAt: () => undefined,
  };
}
