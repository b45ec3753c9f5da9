/**
 * Writing a table's rows: the kernel produces the rows (on workers for
 * large jobs), this module frames them as a file of their format — a CSV
 * header, a JSON array's brackets, an INSERT statement cut where a file
 * ends — and hands the bytes on in order.
 *
 * @module
 */
import { generate } from "../engine/generate.ts";
import type { CompiledSpec, CompiledTable } from "./compile.ts";
import { type RowFormat, rowProgram, rowSlice } from "./row_program.ts";
import { quoteIdent } from "../dialect/quote.ts";

/** Options of {@link writeRows}. */
export interface WriteRowsOptions {
  format: RowFormat;
  /** First row [default: 0]. */
  start?: bigint;
  /** Rows [default: the rest of the table]. */
  count?: bigint;
  workers?: number;
  /** CSV: a header line first [default: true]. */
  header?: boolean;
  /** CSV delimiter [default: ","]. */
  delimiter?: string;
  /** SQL: rows per INSERT [default: 1000]. */
  batch?: number;
  /** Receives the bytes in order; the view is valid only during the call. */
  write: (bytes: Uint8Array) => void | Promise<void>;
  progress?: (rows: number, bytes: number) => void;
  signal?: AbortSignal;
}

const encoder = new TextEncoder();

function csvField(name: string, delimiter: string): string {
  return /[",\r\n]/.test(name) || name.includes(delimiter) ? `"${name.replaceAll('"', '""')}"` : name;
}

/** What starts a file of `table`'s rows from row `start` in `format` (a CSV header, `[`, an INSERT head). */
export function fileHead(
  table: CompiledTable,
  options: Pick<WriteRowsOptions, "format" | "header" | "delimiter" | "batch">,
  start: bigint,
): string {
  switch (options.format) {
    case "csv": {
      const d = options.delimiter ?? ",";
      return options.header === false ? "" : table.columns.map((c) => csvField(c.name, d)).join(d) + "\n";
    }
    case "json":
      return "[\n";
    case "sql": {
      // The kernel starts an INSERT at every batch-th row; a file that starts elsewhere needs its own.
      const batch = BigInt(options.batch ?? 1000);
      if (start % batch === 0n) return "";
      const qualified = (table.schema ? `${quoteIdent(table.schema)}.` : "") + quoteIdent(table.name);
      return `INSERT INTO ${qualified} (${table.columns.map((c) => quoteIdent(c.name)).join(", ")}) VALUES\n`;
    }
    default:
      return "";
  }
}

/**
 * Writes rows [start, start + count) of `table` as one file's worth of
 * `options.format`. Row i is the same bytes whatever the worker count and
 * wherever the slice starts.
 *
 * @returns rows and bytes written.
 */
export async function writeRows(
  spec: CompiledSpec,
  table: CompiledTable,
  options: WriteRowsOptions,
): Promise<{ rows: number; bytes: number }> {
  const { start, count } = rowSlice(table, options.start, options.count);
  const program = rowProgram(spec, table, {
    format: options.format,
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.batch ? { batch: options.batch } : {}),
  });
  let bytes = 0;
  const put = async (b: Uint8Array) => {
    bytes += b.length;
    await options.write(b);
  };
  const first = fileHead(table, options, start);
  if (first) await put(encoder.encode(first));
  // JSON arrays and SQL batches end each row with ",\n" until the last: hold
  // back the final two bytes of every chunk until it is known which is last.
  const holdBack = count > 0n && (options.format === "json" || options.format === "sql");
  let held: Uint8Array | undefined;
  const result = await generate(program, {
    seed: spec.seed,
    start,
    count: Number(count),
    workers: options.workers ?? 1,
    write: async (b) => {
      if (!holdBack) return await put(b);
      if (held) await put(held);
      if (b.length >= 2) {
        await put(b.subarray(0, b.length - 2));
        held = b.slice(b.length - 2);
      } else held = b.slice();
    },
    progress: (rows, b) => options.progress?.(rows, b + first.length),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (holdBack && held) {
    // The kernel wrote ",\n" or (SQL, a batch's last row) ";\n".
    const last = options.format === "json" ? "\n" : ";\n";
    await put(encoder.encode(last));
  }
  if (options.format === "json") await put(encoder.encode("]\n"));
  return { rows: result.statements, bytes };
}
