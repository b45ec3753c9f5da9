/**
 * `quarry data load`: creates a spec's tables and fills them with COPY.
 *
 * @module
 */
import { parseCount, parseFlags, readSeed } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { databaseWhere, parseDatabaseUrl } from "../database.ts";
import { openSource } from "../data_sources.ts";
import { selectTables, sourceFlags } from "./data.ts";
import { loadData, LoadError, type TableLoad } from "../../core/data/load.ts";
import { CopyError } from "../../core/exec/copy.ts";
import { GenerationError } from "../../core/engine/errors.ts";
import { formatSeed } from "../../core/seed.ts";
import { parseDialect } from "../../core/dialect/dialects.ts";
import { parseType } from "../../core/schema/types.ts";
import type { CompiledTable } from "../../core/data/compile.ts";

export const DATA_LOAD_HELP = `quarry data load: create a spec's tables and COPY rows into them

Usage:
  quarry data load --spec FILE|NAME [--db pglite|URL] [options]
  quarry data load --schema default|FILE [--db pglite|URL] [options]
  quarry data load --from-db URL [--db URL] [options]

Creates the tables (types, primary keys, unique constraints, CHECKs, foreign
keys), then loads them with COPY ... FROM STDIN in foreign-key order, several
connections at once across independent tables and across slices of a big
table. Keys that point back at their own table or close a cycle are added
after the rows. A plain line per table is printed as it completes, then a
table of rows, bytes, seconds and rows/s.

Options:
      --spec FILE|NAME     A spec file, or the name of a prebuilt spec
  -s, --schema default|FILE
                           Derive the spec from a schema JSON; the tables are
                           created from the schema (types, partitions, indexes)
      --from-db URL        Derive the spec from a live database's schema;
                           loading into the same database fills its tables
      --db pglite|URL      PGlite (embedded, in memory: for trying a spec) or
                           postgres://user@host:port/database [default: pglite]
  -t, --table T[,T...]     Only these tables [default: all]
  -r, --rows N             Rows of tables that do not say [default: 1000]
  -c, --connections C      Connections copying at once [default: 2]
      --no-create          The tables exist already: only COPY
      --constraints-after  Add primary keys, unique constraints and foreign
                           keys after the rows are in (faster for big loads)
      --dialect D          postgres@12 ... postgres@18, yugabyte@2.20 or
                           yugabyte@2025.1 [default: postgres@15]; YugabyteDB
                           loads commit every --rows-per-transaction rows
      --rows-per-transaction N
                           COPY commits every N rows (YugabyteDB's
                           ROWS_PER_TRANSACTION) [default: 20000 on
                           YugabyteDB; PostgreSQL rejects the option]
      --seed S             64 hex digits or a decimal number
      --json               Print the report as JSON on stdout
  -h, --help               Show this help

Examples:
  quarry data load --spec ecommerce --rows 10k
  quarry data load --from-db postgres://postgres@127.0.0.1/app --db postgres://postgres@127.0.0.1/app
  quarry data load --spec orders.yaml --db postgres://postgres@127.0.0.1/shop -c 4
  quarry data load --spec users --db postgres://yugabyte@127.0.0.1:5433/db \\
    --dialect yugabyte@2025.1 --rows-per-transaction 1000

Exit codes: 0 success, 2 bad usage or an invalid spec, 3 database failure
(the SQLSTATE and table are named), 130 interrupted, 1 a bug in Quarry.`;

const OPTIONS = {
  spec: { type: "string" },
  schema: { type: "string", short: "s" },
  "from-db": { type: "string" },
  db: { type: "string" },
  table: { type: "string", short: "t" },
  rows: { type: "string", short: "r" },
  connections: { type: "string", short: "c" },
  "no-create": { type: "boolean" },
  "constraints-after": { type: "boolean" },
  "rows-per-transaction": { type: "string" },
  dialect: { type: "string" },
  seed: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function report(loads: readonly TableLoad[]): string {
  const rows = loads.map((l) => [
    l.table,
    String(l.rows),
    String(l.bytes),
    l.seconds.toFixed(2),
    String(Math.round(l.rows / Math.max(l.seconds, 1e-9))),
  ]);
  const head = ["table", "rows", "bytes", "seconds", "rows/s"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}

/**
 * Tables created from a spec take built-in types only (a database's own types
 * come with --schema or --from-db): say which column's type is unknown
 * before anything is created.
 */
function checkTypes(label: string, tables: readonly CompiledTable[]): void {
  const bad = tables.flatMap((t) =>
    t.columns.filter((c) => typeof parseType(c.sqlType) === "string").map((c) =>
      `${t.name}.${c.name} (${c.sqlType})`
    )
  );
  if (bad.length > 0) {
    throw new UsageError(
      `${label}: unknown SQL type for ${bad.join(", ")}`,
      "use a built-in type (integer, numeric(10,2), text, timestamptz, uuid, ... and their arrays), " +
        "or --no-create into tables that exist, or --schema/--from-db for a database's own types",
    );
  }
}

/** Runs `quarry data load`; returns the exit code. */
export async function dataLoadCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "data load");
  if (v.help) {
    console.log(DATA_LOAD_HELP);
    return 0;
  }
  const db = (v.db as string | undefined) ?? "pglite";
  const where = db === "pglite" ? "PGlite" : databaseWhere(parseDatabaseUrl(db));
  const defaultRows = v.rows === undefined ? 1000 : Number(parseCount(v.rows as string, "--rows"));
  const connections = v.connections === undefined
    ? 2
    : Number(parseCount(v.connections as string, "--connections"));
  if (connections < 1 || connections > 64) throw new UsageError("--connections must be from 1 to 64");
  const rpt = v["rows-per-transaction"] === undefined
    ? undefined
    : Number(parseCount(v["rows-per-transaction"] as string, "--rows-per-transaction"));
  if (rpt === 0) throw new UsageError("--rows-per-transaction must be at least 1");
  const dialect = parseDialect((v.dialect as string | undefined) ?? "postgres@15");
  if (typeof dialect === "string") throw new UsageError(dialect);
  if (rpt !== undefined && dialect.family !== "yugabyte") {
    throw new UsageError(
      "--rows-per-transaction is YugabyteDB's",
      "add --dialect yugabyte@2025.1 (or yugabyte@2.20)",
    );
  }
  // YugabyteDB: never one huge transaction.
  const rowsPerTransaction = dialect.family === "yugabyte" ? rpt ?? 20000 : undefined;
  const seed = readSeed(v.seed as string | undefined);
  const source = await openSource(sourceFlags(v), defaultRows, seed);
  // A database read with --from-db has its tables; another one gets them from the schema.
  const sameDatabase = v["from-db"] !== undefined && v["from-db"] === db;
  const tables = selectTables(source.compiled.tables, v.table as string | undefined);
  if (!source.schema && !v["no-create"]) checkTypes(source.label, tables);
  for (const w of source.warnings) console.error(`quarry: warning: ${w}`);
  console.error(`quarry: seed ${formatSeed(seed)}`);
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Interrupted());
  Deno.addSignalListener("SIGINT", onSignal);
  const terminal = Deno.stderr.isTerminal();
  let lastLine = 0;
  let lastTable = "";
  let lastRows = 0;
  try {
    const result = await loadData(source.compiled, {
      db,
      connections,
      create: !v["no-create"] && !sameDatabase,
      ...(source.schema ? { schema: source.schema } : {}),
      constraintsAfter: v["constraints-after"] === true,
      ...(rowsPerTransaction ? { rowsPerTransaction } : {}),
      tables: tables.map((t) => t.name),
      signal: controller.signal,
      progress: (table, rows) => {
        const now = performance.now();
        if (now - lastLine < (terminal ? 250 : 5000)) return;
        const rate = lastLine > 0 && table === lastTable ? ((rows - lastRows) * 1000) / (now - lastLine) : 0;
        lastLine = now;
        lastTable = table;
        lastRows = rows;
        const line = `quarry: ${table}: ${rows} rows${rate > 0 ? `, ${Math.round(rate)} rows/s` : ""}`;
        if (terminal) Deno.stderr.writeSync(new TextEncoder().encode(`\r\x1b[2K${line}`));
        else console.error(line);
      },
    });
    if (terminal) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    if (v.json) {
      console.log(JSON.stringify({ database: where, seed: formatSeed(seed), ...result }));
    } else {
      console.error(
        `quarry: loaded ${result.tables.length} tables into ${where} in ${result.seconds.toFixed(2)} s`,
      );
      console.log(report(result.tables));
    }
    return 0;
  } catch (e) {
    if (controller.signal.reason instanceof Interrupted) throw controller.signal.reason;
    if (e instanceof CopyError || e instanceof LoadError) {
      throw new RuntimeFailure(
        `loading into ${where}: ${e.message.startsWith(e.code) ? "" : `${e.code} `}${e.message}`,
      );
    }
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    throw e;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}
