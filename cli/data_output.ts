/**
 * Where `quarry data` writes: standard output, one file, or a folder with
 * a file per table (or a folder per table with part files), each file
 * written under a temporary name and renamed when complete, optionally
 * gzip- or zstd-compressed. Compression is per chunk: a file is a series of
 * complete gzip members or zstd frames, which every reader accepts as one
 * stream.
 *
 * @module
 */
import { join } from "node:path";
import { fileSink, type Sink, stdoutSink } from "./output.ts";
import { RuntimeFailure, UsageError } from "./errors.ts";

import { chunkCompressor, type Compression, compressionSuffix } from "../core/data/compress.ts";
export type { Compression };

/** File name endings per format. */
export const EXTENSIONS: Record<string, string> = {
  csv: "csv",
  tsv: "tsv",
  copy: "copy",
  ndjson: "ndjson",
  json: "json",
  sql: "sql",
  parquet: "parquet",
};

/** Reads --compress. */
export function readCompression(text: string | undefined, format: string): Compression {
  if (text === undefined || text === "none") return "none";
  if (text !== "gzip" && text !== "zstd") {
    throw new UsageError(`--compress must be gzip, zstd or none (got "${text}")`);
  }
  if (format === "parquet") {
    throw new UsageError(
      "--compress is for text formats; Parquet compresses inside the file",
      "use --parquet-compression snappy|zstd|gzip|none",
    );
  }
  return text;
}

/** A sink that compresses each chunk before writing it to `inner`. */
export function compressedSink(inner: Sink, compression: Compression): Sink {
  if (compression === "none") return inner;
  const pack = chunkCompressor(compression);
  return {
    get closed() {
      return inner.closed;
    },
    write(bytes) {
      if (bytes.length > 0) inner.write(pack(bytes));
    },
    commit: () => inner.commit(),
    abort: () => inner.abort(),
  };
}

/** How a run's files are laid out. */
export interface OutputPlan {
  /** "-" for standard output. */
  target: string;
  /** Several tables or several files per table: target is a folder. */
  folder: boolean;
  format: string;
  compression: Compression;
}

/** A plan's file name ending, e.g. `csv.zst`. */
export function outputExtension(plan: OutputPlan): string {
  return EXTENSIONS[plan.format]! + compressionSuffix(plan.compression);
}

/** The path of table `table`'s file `part` (of `parts`). */
export function outputPath(plan: OutputPlan, table: string, part: number, parts: number): string {
  const ext = outputExtension(plan);
  if (!plan.folder) return plan.target;
  if (parts <= 1) return join(plan.target, `${table}.${ext}`);
  return join(plan.target, table, `part-${String(part).padStart(5, "0")}.${ext}`);
}

/** Makes the folders a plan writes into. Requires `--allow-write` there. */
export function prepareFolders(plan: OutputPlan, tables: readonly string[], parts: number): void {
  if (!plan.folder) return;
  try {
    Deno.mkdirSync(plan.target, { recursive: true });
    if (parts > 1) { for (const t of tables) Deno.mkdirSync(join(plan.target, t), { recursive: true }); }
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    throw new RuntimeFailure(
      `cannot create output folder "${plan.target}": ${(e as Error).message.split("\n")[0]}`,
    );
  }
}

/** A sink for one output file of the plan (or standard output). */
export function openOutput(plan: OutputPlan, path: string): Sink {
  const sink = plan.target === "-" ? stdoutSink() : fileSink(path);
  return compressedSink(sink, plan.compression);
}
