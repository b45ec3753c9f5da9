/**
 * A table's rows as a Parquet file: the kernel writes column batches
 * (F_COLUMNS) on the workers, the batches go to the Parquet writer as they
 * come, and no row ever exists as a JavaScript object.
 *
 * @module
 */
import { generate } from "../engine/generate.ts";
import { chunkBatches } from "./columnar.ts";
import type { CompiledSpec, CompiledTable } from "./compile.ts";
import { rowProgram, rowSlice } from "./row_program.ts";
import { type ParquetCompression, type ParquetSink, ParquetWriter } from "./parquet.ts";

/** Options of {@link writeParquetRows}. */
export interface ParquetRowsOptions {
  compression: ParquetCompression;
  /** First row [default: 0]. */
  start?: bigint;
  /** Rows [default: the rest of the table]. */
  count?: bigint;
  workers?: number;
  /** Rows per row group [default: 1,048,576]. */
  rowGroupRows?: number;
  /** Receives the file's bytes in order. */
  sink: ParquetSink;
  progress?: (rows: number, bytes: number) => void;
  signal?: AbortSignal;
}

/**
 * Writes rows [start, start + count) of `table` as one Parquet file.
 *
 * @returns rows and bytes written.
 */
export async function writeParquetRows(
  spec: CompiledSpec,
  table: CompiledTable,
  options: ParquetRowsOptions,
): Promise<{ rows: number; bytes: number }> {
  const { start, count } = rowSlice(table, options.start, options.count);
  const writer = new ParquetWriter(
    table.columns.map((c) => ({ name: c.name, type: c.batch, nullable: c.nullable })),
    {
      compression: options.compression,
      sink: options.sink,
      ...(options.rowGroupRows ? { rowGroupRows: options.rowGroupRows } : {}),
    },
  );
  const program = rowProgram(spec, table, { format: "columns" });
  await generate(program, {
    seed: spec.seed,
    start,
    count: Number(count),
    workers: options.workers ?? 1,
    write: async (chunk) => {
      await writer.writeBatch(chunkBatches(table, chunk));
      options.progress?.(writer.rows, writer.bytes);
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  await writer.finish();
  return { rows: writer.rows, bytes: writer.bytes };
}
