/**
 * `quarry oracle`: the TLP and NoREC oracles on one database, over queries
 * whose predicates are drawn from the database's own (or a given) schema.
 *
 * @module
 */
import { parseCount, parseFlags, readExtent } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { compileFor, loadSchema } from "../sources.ts";
import { readLiveSchema } from "../database.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import { formatSeed, parseSeed, randomSeed } from "../../core/seed.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import { randomSchema } from "../../core/schema/random.ts";
import { parseDialect } from "../../core/dialect/dialects.ts";
import type { Schema } from "../../core/schema/model.ts";
import { loadParser } from "../../core/exec/parser.ts";
import {
  ORACLE_KINDS,
  type OracleKind,
  oracleRun,
  type OracleSummary,
} from "../../core/oracle/metamorphic.ts";
import { findingLines } from "../../core/oracle/finding.ts";
import { volatileNames } from "../../core/oracle/nondeterminism.ts";
import { uniqueKeysOf } from "../../core/oracle/checksum.ts";
import type { CatalogSnapshot } from "../../core/catalog/snapshot.ts";
import catalog15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import catalog18 from "../../configs/catalog/pglite@18.json" with { type: "json" };
import oracleQueries from "../../grammars/oracle_queries.ts";
import { type OpenedTarget, openTarget, readAllowlist } from "./compare.ts";

export const ORACLE_HELP = `quarry oracle: find wrong results on one database with TLP and NoREC

Usage:
  quarry oracle [--kind tlp|norec|both] [--db pglite|URL] [--schema FILE]
                [--count N | --duration S] [--seed S] [--setup MODE]

Generates queries over the schema's tables with typed predicates (column
conditions and boolean expression trees, so they fit any schema, the
database's own included) and checks each with a metamorphic oracle:
  tlp    Ternary logic partitioning: a query's rows equal the union of its
         rows under WHERE p, WHERE NOT p and WHERE p IS NULL; for DISTINCT
         the set union; count, sum, min and max (grouped or not) recombined
         over the three; HAVING partitioned the same way
  norec  The count of rows WHERE p equals SUM(CASE WHEN p THEN 1 ELSE 0
         END) over the unfiltered rows, which nothing can optimize
A query whose result is not determined by the data (random(), now()), or
one of whose forms fails, is skipped and counted, never flagged; floats
are compared with a tolerance. Each finding is reduced over the parse
tree while the oracle still fails, and printed with the seed and index.

Options:
  -k, --kind K             tlp, norec or both [default: both]
      --db pglite|URL      An embedded PGlite or a postgres:// URL
                           [default: pglite]
  -s, --schema default|FILE
                           Schema to set up [default: default; with
                           --setup none, the database's own tables]
      --setup MODE         default: create the schema and its seed rows;
                           ddl-seed: a random 'quarry ddl' schema for --seed;
                           none: use the database's tables as they are
                           [default: default]
  -n, --count N            Queries to check [default: 1000 unless --duration]
      --duration S         Check for S seconds instead (30, 30s, 5m)
      --seed S             Seed (see 'quarry generate --help') [default: fresh]
      --start I            Index of the first query [default: 0]
      --allowlist FILE     Finding keys of accepted findings, one a line
      --reduce-tries N     Candidates the reducer tests per finding
                           [default: 300]
      --json               Print the summary as one JSON object
  -h, --help               Show this help

Permissions: --allow-read, and for a server --allow-net and --allow-env.

Exit codes: 0 no finding, 1 findings, 2 bad usage, 3 the database is
unreachable or its setup failed, 130 interrupted.

Example:
  quarry oracle --kind tlp --db postgres://postgres@127.0.0.1/app \\
    --setup none --duration 60`;

const OPTIONS = {
  kind: { type: "string", short: "k" },
  db: { type: "string" },
  schema: { type: "string", short: "s" },
  setup: { type: "string" },
  count: { type: "string", short: "n" },
  duration: { type: "string" },
  seed: { type: "string" },
  start: { type: "string" },
  allowlist: { type: "string" },
  "reduce-tries": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `quarry oracle`; returns the exit code. */
export async function oracleCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "oracle");
  if (v.help) {
    console.log(ORACLE_HELP);
    return 0;
  }
  const kindText = (v.kind as string | undefined) ?? "both";
  if (kindText !== "both" && !(ORACLE_KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError(`--kind must be tlp, norec or both (got "${kindText}")`);
  }
  const kinds: OracleKind[] = kindText === "both" ? [...ORACLE_KINDS] : [kindText as OracleKind];
  const { count, durationMs } = readExtent(
    v.count as string | undefined,
    v.duration as string | undefined,
    1000n,
  );
  const setup = (v.setup as string | undefined) ?? "default";
  if (!["default", "ddl-seed", "none"].includes(setup)) {
    throw new UsageError(`--setup must be default, ddl-seed or none (got "${setup}")`);
  }
  const dbSpec = (v.db as string | undefined) ?? "pglite";
  if (setup === "none" && dbSpec === "pglite") {
    throw new UsageError("--setup none needs a server (--db URL): a new PGlite has no tables");
  }
  const reduceTries = v["reduce-tries"] === undefined
    ? 300
    : Number(parseCount(v["reduce-tries"] as string, "--reduce-tries"));
  const allow = v.allowlist === undefined ? new Set<string>() : readAllowlist(v.allowlist as string);
  const seed = v.seed === undefined ? randomSeed() : parseSeed(v.seed as string);
  if (typeof seed === "string") throw new UsageError(seed);
  const start = v.start === undefined ? 0n : parseCount(v.start as string, "--start");
  const schemaSpec = (v.schema as string | undefined) ?? "default";
  let schema: Schema | undefined;
  if (setup === "default") schema = loadSchema(schemaSpec);
  if (setup === "ddl-seed") {
    const dialect = parseDialect("postgres@15");
    if (typeof dialect === "string") throw new UsageError(dialect);
    schema = randomSchema({ tables: 5, seed, dialect, complexity: "medium" });
  }
  await loadParser();

  let target: OpenedTarget | undefined;
  try {
    target = await openTarget(dbSpec, "--db");
    if (schema) {
      for (const sql of setupStatements(schema)) {
        const r = await target.session.result(sql);
        if (!r.ok) {
          throw new RuntimeFailure(
            `setup failed on ${target.where}: ${r.code} ${r.message.split("\n")[0]} (in: ${
              sql.slice(0, 120)
            })`,
          );
        }
      }
    } else schema = v.schema !== undefined ? loadSchema(schemaSpec) : await readLiveSchema(target.url!);
    const program = compileFor(
      { grammar: oracleQueries, file: "grammars/oracle_queries.ts" },
      schema,
      schemaSpec,
    );
    const generator = new LocalGenerator(program, seed);
    console.error(`quarry: seed ${formatSeed(seed)}`);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    const live = Deno.stderr.isTerminal() && !v.json;
    let summary: OracleSummary;
    try {
      summary = await oracleRun({
        session: target.session,
        kinds,
        statements: (first, n) => generator.statements(first, n),
        first: start,
        ...(count === undefined ? {} : { count }),
        ...(durationMs === undefined ? {} : { durationMs }),
        seed: formatSeed(seed),
        nondeterminism: {
          volatile: volatileNames(
            catalog15 as unknown as CatalogSnapshot,
            catalog18 as unknown as CatalogSnapshot,
          ),
          uniqueKeys: uniqueKeysOf(schema),
        },
        allow,
        reduceTries,
        signal: controller.signal,
        ...(live ? { onTick: progressLine } : {}),
      });
    } finally {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    }
    const header = { kinds: kinds.join(","), database: target.where, seed: formatSeed(seed) };
    if (v.json) console.log(JSON.stringify({ ...header, ...summary }));
    else console.log(humanSummary(header, summary));
    if (controller.signal.aborted) throw new Interrupted();
    return summary.findings.length > 0 ? 1 : 0;
  } finally {
    await target?.session.close().catch(() => {});
  }
}

function progressLine(s: OracleSummary): void {
  const checked = Object.values(s.checked).reduce((a, b) => a + b, 0);
  const line =
    `\r\x1b[2K${s.queries} queries, ${s.queriesPerSecond}/s, ${checked} checks, ${s.findings.length} findings`;
  Deno.stderr.writeSync(new TextEncoder().encode(line));
}

function humanSummary(h: { kinds: string; database: string; seed: string }, s: OracleSummary): string {
  const checked = Object.entries(s.checked).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  const skipped = Object.values(s.skipped).reduce((a, b) => a + b, 0);
  const lines = [
    `oracle ${h.kinds} on ${h.database}, seed ${h.seed}`,
    `${s.queries} queries in ${s.seconds} s: ${s.queriesPerSecond} queries/s`,
    `checked: ${checked}; skipped ${skipped}${s.allowed ? `; allowlisted ${s.allowed}` : ""}`,
  ];
  for (const [why, n] of Object.entries(s.skipped).sort((x, y) => y[1] - x[1]).slice(0, 6)) {
    lines.push(`  skipped: ${why} ×${n}`);
  }
  const kinds = Object.entries(s.findingsByKind);
  lines.push(`findings: ${kinds.length === 0 ? "none" : kinds.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const f of s.findings.slice(0, 20)) lines.push(...findingLines(f, ["query", "partitions"]));
  return lines.join("\n");
}
