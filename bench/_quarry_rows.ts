/**
 * The row bench/data_rows.ts measures, on Quarry's side: uuid4 id, full
 * name, email derived from that name, an integer, a float rounded to 2 and a
 * date, as CSV through `writeRows`.
 *
 * As a script it writes `rows` rows to `path` and prints one JSON line with
 * rows, bytes, milliseconds and the largest resident size it saw (sampled
 * every 20 ms: a cross-check; bench/data_rows.ts reads the exact peak from
 * `/usr/bin/time -v`, since Deno opens /proc/self only under --allow-all):
 *
 *   deno run --allow-read --allow-write=/dev/null bench/_quarry_rows.ts 10000000 /dev/null 2
 *
 * @module
 */
import { type CompiledSpec, compileTables } from "../core/data/compile.ts";
import { writeRows } from "../core/data/rows.ts";
import { writeParquetRows } from "../core/data/parquet_rows.ts";

/** The bench's table of `rows` rows, compiled for a fixed seed. */
export function benchSpec(rows: number): CompiledSpec {
  return compileTables([{
    name: "people",
    rows,
    foreignKeys: [],
    columns: [
      { name: "id", spec: { method: "unique_ids", kind: "uuid4" } },
      { name: "full_name", spec: { method: "full_name" } },
      { name: "email", spec: { method: "email", from: "full_name" } },
      { name: "age", spec: { method: "integers", min: 18, max: 90 } },
      { name: "balance", spec: { method: "floats", min: 0, max: 10000, round: 2 } },
      { name: "joined", spec: { method: "dates", min: "2020-01-01", max: "2024-12-31" } },
    ],
  }], { seed: [42n, 43n, 44n, 45n] });
}

/**
 * Writes the bench table as a zstd Parquet file at `path`: column batches
 * from the kernel on 2 workers, encoded by parquet-wasm on this thread.
 *
 * Requires `--allow-read` and `--allow-write` for `path`.
 */
export async function quarryParquetRows(
  rows: number,
  path: string,
): Promise<{ rows: number; bytes: number; ms: number }> {
  const spec = benchSpec(rows);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const t0 = performance.now();
    const result = await writeParquetRows(spec, spec.tables[0]!, {
      compression: "zstd",
      workers: 2,
      sink: file,
    });
    return { ...result, ms: performance.now() - t0 };
  } finally {
    file.close();
  }
}

/**
 * Writes the bench table's CSV to `path`.
 *
 * Requires `--allow-read` (the generation workers' module) and `--allow-write` for `path`.
 *
 * @returns rows and bytes written and the milliseconds it took.
 */
export async function quarryRows(
  rows: number,
  path: string,
  workers: number,
): Promise<{ rows: number; bytes: number; ms: number }> {
  const spec = benchSpec(rows);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const t0 = performance.now();
    const result = await writeRows(spec, spec.tables[0]!, {
      format: "csv",
      workers,
      // Synchronous writes, as the CLI's file sink (cli/output.ts) does them.
      write: (b) => {
        for (let at = 0; at < b.length;) at += file.writeSync(b.subarray(at));
      },
    });
    return { ...result, ms: performance.now() - t0 };
  } finally {
    file.close();
  }
}

/** Samples this process's resident size every `ms` until stopped; returns the largest seen, in KiB. */
export function sampleRss(ms = 20): () => number {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), ms);
  return () => {
    clearInterval(timer);
    return Math.round(Math.max(peak, Deno.memoryUsage().rss) / 1024);
  };
}

if (import.meta.main) {
  const [rows = "1000000", path = "/dev/null", workers = "2"] = Deno.args;
  const stop = sampleRss();
  const result = await quarryRows(Number(rows), path, Number(workers));
  console.log(JSON.stringify({ ...result, sampledPeakKiB: stop() }));
}
