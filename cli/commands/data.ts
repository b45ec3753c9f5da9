/**
 * `quarry data`: realistic table data from a spec, to files or standard
 * output; `data specs` lists and prints the prebuilt specs, `data load`
 * (data_load.ts) puts the rows into a database.
 *
 * @module
 */
import { parseCount, parseFlags, readSeed, readWorkers } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { Progress } from "../progress.ts";
import { openSource } from "../data_sources.ts";
import { stringify as stringifyYaml } from "yaml";
import { openOutput, outputPath, type OutputPlan, prepareFolders, readCompression } from "../data_output.ts";
import { fileHead, writeRows } from "../../core/data/rows.ts";
import { CREATED_AT, parseDuration, parseRate, streamRows } from "./data_stream.ts";
import { writeParquetRows } from "../../core/data/parquet_rows.ts";
import type { ParquetCompression } from "../../core/data/parquet.ts";
import type { CompiledSpec, CompiledTable } from "../../core/data/compile.ts";
import type { RowFormat } from "../../core/data/row_program.ts";
import { GenerationError } from "../../core/engine/errors.ts";
import { formatSeed } from "../../core/seed.ts";
import { dataSpecsCommand } from "./data_specs.ts";

export const DATA_HELP = `quarry data: realistic table data from a spec

Usage:
  quarry data --spec FILE|NAME [options]   Write rows to files or stdout
  quarry data specs [show NAME]            List the prebuilt specs, or print one
  quarry data load --spec FILE|NAME --db pglite|URL [options]
                                           Create the tables and COPY the rows in

A spec (YAML or JSON) names tables, their columns and how each column's
values are drawn: { method: integers, min: 1, max: 9 }, distributions, weighted
and correlated choices, unique ids, dates with lags, patterns, names and
emails, derived expressions and foreign keys. 'quarry data specs show
ecommerce' prints a complete example to start from.

Row i of table t depends only on (spec, seed, t, i): the same seed gives the
same bytes whatever --workers is, and --start/--count cut any slice.

Options:
      --spec FILE|NAME     A spec file, or the name of a prebuilt spec
  -s, --schema default|FILE
                           Derive a spec from a schema JSON (see README,
                           Schemas): every table, values within each type,
                           range and CHECK, keys unique, foreign keys met,
                           rows inside the partitions
      --from-db URL        Derive a spec from a live database's schema
      --print-spec         Print the spec as YAML and stop: with --schema or
                           --from-db, a starting point to edit
  -t, --table T[,T...]     Only these tables [default: all, parents first]
  -r, --rows N             Rows of tables that do not say [default: 1000]
  -f, --format F           csv, tsv, copy (PostgreSQL COPY text), ndjson,
                           json (one array), sql (multi-row INSERTs),
                           parquet (needs --output) [default: csv]
  -o, --output PATH|-      A file for one table; a folder for several tables
                           or several files (TABLE.EXT, or TABLE/part-N.EXT).
                           Files are written under a temporary name and
                           renamed when complete [default: -, stdout]
      --compress C         gzip or zstd for text formats [default: none]
      --parquet-compression C
                           snappy, zstd, gzip or none [default: zstd]
      --files N            Split each table into N files of equal rows
      --rows-per-file R    Split each table into files of R rows
      --no-header          CSV/TSV without the header line
      --delimiter C        CSV delimiter, one character [default: ,]
      --batch N            SQL: rows per INSERT statement [default: 1000]
      --start I            First row (one table only) [default: 0]
  -n, --count N            Rows from --start (one table only)
      --seed S             64 hex digits or a decimal number; without it a
                           fresh seed is drawn and printed to stderr
  -w, --workers W          Generation threads [default: CPU count]
      --rate R|MIN-MAX     Stream: release R rows a second (or a rate drawn
                           in MIN..MAX each second); every row gets a last
                           column _created_at (ms since 1970)
      --every D            Stream into a new file in the --output folder
                           every D (30s, 5m, 1h)
      --for D              Stop streaming after D (without --rate: at full
                           speed)
      --stats              Print a JSON summary per table to stderr
  -h, --help               Show this help

Examples:
  quarry data specs
  quarry data --spec customers --rows 5 --seed 1
  quarry data --spec ecommerce --rows 100k -o out/ --format ndjson --compress zstd
  quarry data --spec my_spec.yaml -t orders --rows 10M --files 8 -o orders/
  quarry data --schema default --rows 1000 -o seed/ --format copy
  quarry data --spec web_logs --format ndjson --rate 200-500
  quarry data --spec events --format ndjson --rate 1000 --every 60s --for 1h -o events/
  quarry data load --spec ecommerce --db postgres://postgres@127.0.0.1/shop

Exit codes: 0 success, 2 bad usage or an invalid spec (file:line:column
named), 3 output or database failure (no partial file is left),
130 interrupted, 1 a bug in Quarry.`;

const OPTIONS = {
  spec: { type: "string" },
  schema: { type: "string", short: "s" },
  "from-db": { type: "string" },
  table: { type: "string", short: "t" },
  rows: { type: "string", short: "r" },
  format: { type: "string", short: "f" },
  output: { type: "string", short: "o" },
  compress: { type: "string" },
  "parquet-compression": { type: "string" },
  files: { type: "string" },
  "rows-per-file": { type: "string" },
  "no-header": { type: "boolean" },
  delimiter: { type: "string" },
  batch: { type: "string" },
  start: { type: "string" },
  count: { type: "string", short: "n" },
  seed: { type: "string" },
  workers: { type: "string", short: "w" },
  "print-spec": { type: "boolean" },
  rate: { type: "string" },
  every: { type: "string" },
  for: { type: "string" },
  stats: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const FORMATS = ["csv", "tsv", "copy", "ndjson", "json", "sql", "parquet"];
const PARQUET_CODECS = ["snappy", "zstd", "gzip", "none"];

/** --spec, --schema and --from-db as openSource takes them. */
export function sourceFlags(v: Record<string, string | boolean | undefined>) {
  return {
    ...(v.spec !== undefined ? { spec: v.spec as string } : {}),
    ...(v.schema !== undefined ? { schema: v.schema as string } : {}),
    ...(v["from-db"] !== undefined ? { fromDb: v["from-db"] as string } : {}),
  };
}

/** The tables --table names, in generation order. */
export function selectTables(all: readonly CompiledTable[], text: string | undefined): CompiledTable[] {
  if (text === undefined) return [...all];
  const names = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  for (const n of names) {
    if (!all.some((t) => t.name === n)) {
      throw new UsageError(
        `--table: no table "${n}" in the spec`,
        `tables: ${all.map((t) => t.name).join(", ")}`,
      );
    }
  }
  return all.filter((t) => names.includes(t.name));
}

/** Runs `quarry data`; returns the exit code. */
export async function dataCommand(argv: string[]): Promise<number> {
  if (argv[0] === "specs") return await dataSpecsCommand(argv.slice(1));
  if (argv[0] === "load") {
    const { dataLoadCommand } = await import("./data_load.ts");
    return await dataLoadCommand(argv.slice(1));
  }
  const { values: v } = parseFlags(argv[0] === "generate" ? argv.slice(1) : argv, OPTIONS, "data");
  if (v.help) {
    console.log(DATA_HELP);
    return 0;
  }
  const formatName = (v.format as string | undefined) ?? "csv";
  if (!FORMATS.includes(formatName)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got "${formatName}")`);
  }
  const format: RowFormat = formatName === "tsv" ? "csv" : formatName as RowFormat;
  const codec = (v["parquet-compression"] as string | undefined) ?? "zstd";
  if (!PARQUET_CODECS.includes(codec)) {
    throw new UsageError(
      `--parquet-compression must be one of ${PARQUET_CODECS.join(", ")} (got "${codec}")`,
    );
  }
  if (formatName === "parquet" && (v.output ?? "-") === "-") {
    throw new UsageError(
      "Parquet needs --output FILE or FOLDER",
      "a Parquet file ends with its index, so it is not streamed",
    );
  }
  const delimiter = formatName === "tsv" ? "\t" : (v.delimiter as string | undefined) ?? ",";
  if ([...delimiter].length !== 1 || delimiter.charCodeAt(0) > 127 || /["\r\n]/.test(delimiter)) {
    throw new UsageError(`--delimiter must be one ASCII character other than a quote or line break`);
  }
  const defaultRows = v.rows === undefined ? 1000 : Number(parseCount(v.rows as string, "--rows"));
  const batch = v.batch === undefined ? 1000 : Number(parseCount(v.batch as string, "--batch"));
  if (batch < 1) throw new UsageError("--batch must be at least 1");
  const compression = readCompression(v.compress as string | undefined, formatName);
  const workers = readWorkers(v.workers as string | undefined);
  const seed = readSeed(v.seed as string | undefined);
  const streaming = v.rate !== undefined || v.every !== undefined || v.for !== undefined;
  const source = await openSource(sourceFlags(v), defaultRows, seed, streaming ? CREATED_AT : undefined);
  if (v["print-spec"]) {
    // The spec as YAML, to copy and edit: what --schema/--from-db derived, or the spec as read.
    for (const w of source.warnings) console.error(`quarry: warning: ${w}`);
    Deno.stdout.writeSync(new TextEncoder().encode(stringifyYaml(source.spec, { lineWidth: 0 })));
    return 0;
  }
  const tables = selectTables(source.compiled.tables, v.table as string | undefined);
  const start = v.start === undefined ? 0n : parseCount(v.start as string, "--start");
  const count = v.count === undefined ? undefined : parseCount(v.count as string, "--count");
  if ((v.start !== undefined || count !== undefined) && tables.length > 1) {
    throw new UsageError("--start and --count cut one table's rows", "name the table with --table");
  }
  const filesFlag = v.files === undefined ? undefined : Number(parseCount(v.files as string, "--files"));
  const perFile = v["rows-per-file"] === undefined
    ? undefined
    : parseCount(v["rows-per-file"] as string, "--rows-per-file");
  if (filesFlag !== undefined && perFile !== undefined) {
    throw new UsageError("--files and --rows-per-file both split files; give one");
  }
  if ((filesFlag !== undefined && filesFlag < 1) || perFile === 0n) {
    throw new UsageError("--files and --rows-per-file must be at least 1");
  }
  const target = (v.output as string | undefined) ?? "-";
  const split = filesFlag !== undefined || perFile !== undefined;
  if (target === "-" && split) throw new UsageError("--files and --rows-per-file need --output FOLDER");
  const plan: OutputPlan = {
    target,
    folder: target !== "-" && (tables.length > 1 || split),
    format: formatName,
    compression,
  };
  for (const w of source.warnings) console.error(`quarry: warning: ${w}`);
  console.error(`quarry: seed ${formatSeed(seed)}`);

  const controller = new AbortController();
  const onSignal = () => controller.abort(new Interrupted());
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const sig of signals) Deno.addSignalListener(sig, onSignal);
  if (streaming) {
    try {
      return await stream(
        v,
        tables,
        source.compiled,
        format,
        formatName,
        delimiter,
        plan,
        start,
        count,
        controller,
      );
    } finally {
      for (const sig of signals) Deno.removeSignalListener(sig, onSignal);
    }
  }
  try {
    for (const table of tables) {
      const first = start;
      const rows = count ?? (table.rows > first ? table.rows - first : 0n);
      const parts = perFile !== undefined
        ? Math.max(1, Number((rows + perFile - 1n) / perFile))
        : Math.max(1, filesFlag ?? 1);
      prepareFolders(plan, [table.name], parts);
      const began = performance.now();
      const progress = new Progress(Number(rows), Deno.stderr.isTerminal(), `${table.name} rows`);
      let done = 0, bytes = 0;
      for (let part = 0; part < parts; part++) {
        // --rows-per-file R: R rows a file, the rest in the last; --files N: N equal parts.
        const from = first +
          (perFile !== undefined ? perFile * BigInt(part) : (rows * BigInt(part)) / BigInt(parts));
        const end = first +
          (perFile !== undefined ? perFile * BigInt(part + 1) : (rows * BigInt(part + 1)) / BigInt(parts));
        const to = end < first + rows ? end : first + rows;
        const sink = openOutput(plan, outputPath(plan, table.name, part, parts));
        try {
          const r = formatName === "parquet"
            ? await writeParquetRows(source.compiled, table, {
              compression: codec as ParquetCompression,
              start: from,
              count: to - from,
              workers,
              sink: (b) => sink.write(b),
              progress: (n, b) => progress.update(done + n, bytes + b),
              signal: controller.signal,
            })
            : await writeRows(source.compiled, table, {
              format,
              start: from,
              count: to - from,
              workers,
              header: !v["no-header"],
              delimiter,
              batch,
              write: (b) => {
                sink.write(b);
                if (sink.closed) controller.abort(new BrokenPipeStop());
              },
              progress: (n, b) => progress.update(done + n, bytes + b),
              signal: controller.signal,
            });
          sink.commit();
          done += r.rows;
          bytes += r.bytes;
        } catch (e) {
          sink.abort();
          throw e;
        }
      }
      progress.done();
      if (v.stats) {
        const seconds = (performance.now() - began) / 1000;
        console.error(JSON.stringify({
          table: table.name,
          seed: formatSeed(seed),
          format: formatName,
          rows: done,
          bytes,
          files: parts,
          workers,
          seconds: Number(seconds.toFixed(3)),
          rowsPerSecond: Math.round(done / seconds),
          megabytesPerSecond: Number((bytes / seconds / 1e6).toFixed(1)),
        }));
      }
    }
  } catch (e) {
    if (e instanceof BrokenPipeStop || controller.signal.reason instanceof BrokenPipeStop) return 0;
    if (controller.signal.reason instanceof Interrupted) throw controller.signal.reason;
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    throw e;
  } finally {
    for (const sig of signals) Deno.removeSignalListener(sig, onSignal);
  }
  return 0;
}

/** `--rate` / `--every` / `--for`: one table's rows, paced. */
async function stream(
  v: Record<string, string | boolean | undefined>,
  tables: CompiledTable[],
  compiled: CompiledSpec,
  format: RowFormat,
  formatName: string,
  delimiter: string,
  plan: OutputPlan,
  start: bigint,
  count: bigint | undefined,
  controller: AbortController,
): Promise<number> {
  if (tables.length !== 1) throw new UsageError("streaming writes one table", "name it with --table");
  if (!["csv", "tsv", "ndjson", "copy"].includes(formatName)) {
    throw new UsageError("--rate, --every and --for stream csv, tsv, ndjson or copy");
  }
  const every = v.every === undefined ? undefined : parseDuration(v.every as string, "--every");
  const forMs = v.for === undefined ? undefined : parseDuration(v.for as string, "--for");
  if (every !== undefined && plan.target === "-") throw new UsageError("--every needs --output FOLDER");
  if (every !== undefined && forMs === undefined && count === undefined) {
    throw new UsageError("--every needs --for (or --count) to know when to stop");
  }
  const rolling: OutputPlan = every !== undefined ? { ...plan, folder: true } : plan;
  if (every !== undefined) prepareFolders(rolling, [], 1);
  const table = tables[0]!;
  const released = await streamRows({
    compiled,
    table,
    format,
    header: fileHead(table, { format, header: !v["no-header"], delimiter }, start),
    plan: rolling,
    rate: v.rate === undefined
      ? [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]
      : parseRate(v.rate as string),
    ...(every !== undefined ? { every } : {}),
    ...(forMs !== undefined ? { forMs } : {}),
    start,
    ...(count !== undefined ? { count } : {}),
    signal: controller.signal,
    log: (line) => console.error(`quarry: ${line}`),
  });
  console.error(`quarry: streamed ${released} rows of ${table.name}`);
  return controller.signal.reason instanceof Interrupted ? 130 : 0;
}

/** Raised to stop generation when the reader closed the pipe. */
class BrokenPipeStop extends Error {
  constructor() {
    super("output pipe closed");
  }
}
