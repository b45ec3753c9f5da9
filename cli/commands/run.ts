/**
 * `quarry run`: generate statements and execute them on a database, with a
 * summary of throughput, latency and every failure by class and SQLSTATE.
 *
 * @module
 */
import { parseCount, parseFlags } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { compileFor, loadGrammar, loadSchema } from "../sources.ts";
import { databaseWhere, parseDatabaseUrl, readLiveSchema } from "../database.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import { formatSeed, parseSeed, randomSeed } from "../../core/seed.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import { randomSchema } from "../../core/schema/random.ts";
import type { Schema } from "../../core/schema/model.ts";
import { featuresUsed } from "../../core/schema/features.ts";
import { parseDialect } from "../../core/dialect/dialects.ts";
import { pgliteTarget, postgresTarget, type Target } from "../../core/exec/targets.ts";
import { runStatements, type RunSummary } from "../../core/exec/run.ts";
import { wireOptions, WireSession } from "../../core/exec/wire.ts";
import { Coverage, type CoverageReport } from "../../core/exec/coverage.ts";
import { DEFAULT_GRAMMAR } from "../../grammars/mod.ts";

export const RUN_HELP = `quarry run: generate statements and execute them on a database

Usage:
  quarry run [--grammar G] [--count N | --duration S] [--db pglite|URL]
             [--connections C] [--pipeline P] [--setup default|ddl-seed|none]

Runs statement after statement of the grammar on the database and reports
statements/s, latency percentiles, and every failure by class and SQLSTATE:
expected (data, integrity, concurrency, resource), connection, generator_bug,
runner_bug, server_fault (docs/sqlstate.md). For each SQLSTATE
the first statement that raised it is shown with its index ('quarry generate
--seed S --at INDEX' prints it again) and the grammar rules it went through.
A lost connection is counted and the run goes on; a server fault or crash is
listed as a finding.

Options:
  -g, --grammar NAME|FILE  Built-in grammar or grammar module
                           [default: ${DEFAULT_GRAMMAR}]
  -s, --schema default|FILE
                           Schema the grammar aims at [default: default; with
                           --setup none, the database's own tables]
  -n, --count N            Statements to run [default: 10k unless --duration]
      --duration S         Run for S seconds instead (30, 30s, 5m)
      --db pglite|URL      An embedded PGlite (no server needed) or a
                           postgres://user@host:port/database URL; the
                           password is never printed [default: pglite]
  -c, --connections C      Connections to a server [default: 4; PGlite has 1]
      --client C           wire: Quarry's own lean client for the simple query
                           protocol (trust, password, MD5, SCRAM; no TLS);
                           postgres.js: the npm driver, for TLS [default: wire]
      --pipeline P         Statements in flight per connection [default: 8
                           on a server]. Statements outside transactions run
                           in autocommit, each on its own, so sending the
                           next before the last one's answer changes nothing
                           but the round trips saved; latency counts from
                           when the statement ahead finished. A line that
                           opens a transaction always runs alone on its
                           connection and is rolled back if it fails
      --setup MODE         default: create the schema (built-in or --schema)
                           and its seed rows, idempotently; ddl-seed: a
                           random schema from 'quarry ddl' for --seed and
                           --dialect, with seed rows; none: use what the
                           database has, read as 'quarry introspect' reads
                           it, live facts included, so keys and values fit
                           the existing rows [default: default]
      --dialect D          Dialect for ddl-seed and for classifying errors
                           (yugabyte@… adds its retry messages) [default:
                           postgres@15]
      --seed S             Seed (see 'quarry generate --help') [default: fresh]
      --start I            Index of the first statement [default: 0]
      --coverage           Also count the parse-tree node kinds, keywords and
                           functions the statements exercised
      --json               Print the summary as one JSON object instead
  -h, --help               Show this help

Permissions: --allow-read, and for a server --allow-net and --allow-env.

Exit codes: 0 no statement failed for a reason that is a bug, 1 some failed
as generator_bug, runner_bug or server_fault, 2 bad usage, 3 the database is
unreachable or its setup failed, 130 interrupted (the summary is printed).

Example:
  quarry run --grammar select_workload \\
    --db postgres://postgres@127.0.0.1/app -c 4 --duration 30`;

const OPTIONS = {
  grammar: { type: "string", short: "g" },
  schema: { type: "string", short: "s" },
  count: { type: "string", short: "n" },
  duration: { type: "string" },
  db: { type: "string" },
  connections: { type: "string", short: "c" },
  pipeline: { type: "string" },
  client: { type: "string" },
  setup: { type: "string" },
  dialect: { type: "string" },
  seed: { type: "string" },
  start: { type: "string" },
  coverage: { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** `30`, `30s`, `5m`, `1h` as milliseconds. */
function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(`--duration must be seconds like 30, 30s, 5m or 1h (got "${text}")`);
  }
  return Number(m[1]) * { s: 1000, m: 60000, h: 3600000 }[(m[2] ?? "s") as "s" | "m" | "h"];
}

function positive(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(parseCount(text, flag));
  if (n < 1 || n > max) throw new UsageError(`${flag} must be from 1 to ${max} (got ${text})`);
  return n;
}

/** Runs `quarry run`; returns the exit code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "run");
  if (v.help) {
    console.log(RUN_HELP);
    return 0;
  }
  if (v.count !== undefined && v.duration !== undefined) {
    throw new UsageError("give --count or --duration, not both");
  }
  const durationMs = v.duration === undefined ? undefined : parseDuration(v.duration as string);
  const count = durationMs === undefined
    ? (v.count === undefined ? 10000n : parseCount(v.count as string, "--count"))
    : undefined;
  const dbSpec = (v.db as string | undefined) ?? "pglite";
  const url = dbSpec === "pglite" ? undefined : parseDatabaseUrl(dbSpec);
  const connections = url ? positive(v.connections as string | undefined, "--connections", 4, 1000) : 1;
  if (!url && v.connections !== undefined && parseCount(v.connections as string, "--connections") !== 1n) {
    throw new UsageError("PGlite takes one connection; --connections applies to a server URL");
  }
  // Pipelining halves the client's work per statement; PGlite runs one statement at a time anyway.
  const pipeline = positive(v.pipeline as string | undefined, "--pipeline", url ? 8 : 1, 64);
  const client = (v.client as string | undefined) ?? "wire";
  if (client !== "wire" && client !== "postgres.js") {
    throw new UsageError(`--client must be wire or postgres.js (got "${client}")`);
  }
  if (client === "wire" && /^(require|verify-ca|verify-full)$/.test(url?.searchParams.get("sslmode") ?? "")) {
    throw new UsageError("the wire client has no TLS", "use --client postgres.js for sslmode=require");
  }
  const setup = (v.setup as string | undefined) ?? "default";
  if (!["default", "ddl-seed", "none"].includes(setup)) {
    throw new UsageError(`--setup must be default, ddl-seed or none (got "${setup}")`);
  }
  if (setup === "none" && !url && v.schema === undefined) {
    throw new UsageError("--setup none needs a server (--db URL): a fresh PGlite has no tables");
  }
  const dialect = parseDialect((v.dialect as string | undefined) ?? "postgres@15");
  if (typeof dialect === "string") throw new UsageError(dialect);
  const seed = v.seed === undefined ? randomSeed() : parseSeed(v.seed as string);
  if (typeof seed === "string") throw new UsageError(seed);
  const start = v.start === undefined ? 0n : parseCount(v.start as string, "--start");
  const loaded = await loadGrammar((v.grammar as string | undefined) ?? DEFAULT_GRAMMAR);
  const where = url ? databaseWhere(url) : "PGlite";
  console.error(`quarry: seed ${formatSeed(seed)}`);

  const sessions: Target[] = [];
  try {
    if (url && client === "wire") {
      for (let i = 0; i < connections; i++) sessions.push(new WireSession(wireOptions(url)));
      try {
        await Promise.all(sessions.map((session) => (session as WireSession).connect()));
      } catch (e) {
        throw new RuntimeFailure(
          `cannot connect to ${where}: ${String((e as Error).message).split("\n")[0]}`,
        );
      }
    } else if (url) {
      for (let i = 0; i < connections; i++) {
        sessions.push(postgresTarget(url.href, { connectTimeoutSeconds: 10 }));
      }
    } else sessions.push(await pgliteTarget());

    let schema: Schema;
    let setupSql: string[] = [];
    if (setup === "ddl-seed") {
      schema = randomSchema({ tables: 5, seed, dialect, complexity: "medium" });
      setupSql = setupStatements(schema);
    } else if (setup === "default") {
      schema = loadSchema((v.schema as string | undefined) ?? "default");
      setupSql = setupStatements(schema);
    } else schema = v.schema !== undefined ? loadSchema(v.schema as string) : await readLiveSchema(url!);
    const missing = [...featuresUsed(schema)].filter((f) => !dialect.features.has(f));
    if (setupSql.length > 0 && missing.length > 0) {
      throw new UsageError(
        `the schema uses what ${dialect.name} lacks: ${missing.join(", ")}`,
        "pick another --dialect",
      );
    }
    for (const sql of setupSql) {
      const r = await sessions[0]!.run(sql);
      if (!r.ok) {
        throw new RuntimeFailure(
          `setup failed on ${where}: ${r.code} ${r.message.split("\n")[0]} (in: ${sql.slice(0, 120)})`,
        );
      }
    }
    const program = compileFor(loaded, schema, (v.schema as string | undefined) ?? "default");
    const generator = new LocalGenerator(program, seed);
    const coverage = v.coverage ? await Coverage.create() : undefined;
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    const live = Deno.stderr.isTerminal() && !v.json;
    let summary: RunSummary;
    try {
      summary = await runStatements({
        statements: (first, n) => generator.statements(first, n),
        rulePath: (index) => generator.rulePath(index),
        first: start,
        ...(count === undefined ? {} : { count }),
        ...(durationMs === undefined ? {} : { durationMs }),
        sessions,
        pipeline,
        family: dialect.family,
        ...(coverage ? { coverage } : {}),
        ...(live ? { onTick: progressLine } : {}),
        signal: controller.signal,
      });
    } finally {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    }
    const report = coverage?.report();
    const header = {
      grammar: loaded.grammar.name,
      database: where,
      client: url ? client : "pglite",
      connections,
      pipeline,
      seed: formatSeed(seed),
      start: String(start),
    };
    if (v.json) {
      console.log(JSON.stringify({ ...header, ...summary, ...(report ? { coverage: report } : {}) }));
    } else console.log(humanSummary(header, summary, report));
    if (summary.stopped && summary.stopped !== "interrupted") throw new RuntimeFailure(summary.stopped);
    if (controller.signal.aborted) throw new Interrupted();
    const bugs = ["generator_bug", "runner_bug", "server_fault"].some((c) => (summary.classes[c] ?? 0) > 0);
    return bugs ? 1 : 0;
  } finally {
    await Promise.all(sessions.map((s) => s.close().catch(() => {})));
  }
}

function progressLine(s: RunSummary): void {
  const line =
    `\r\x1b[2K${s.statements} statements, ${s.statementsPerSecond}/s, p50 ${s.latencyMs.p50} ms, ` +
    `p99 ${s.latencyMs.p99} ms, ${s.failed} failed`;
  Deno.stderr.writeSync(new TextEncoder().encode(line));
}

function humanSummary(
  h: {
    grammar: string;
    database: string;
    client: string;
    connections: number;
    pipeline: number;
    seed: string;
  },
  s: RunSummary,
  coverage: CoverageReport | undefined,
): string {
  const lines = [
    `${h.grammar} on ${h.database}: ${h.connections} connection(s), pipeline ${h.pipeline}, client ${h.client}`,
    `${s.statements} statements in ${s.seconds} s: ${s.statementsPerSecond} statements/s`,
    `latency ms: p50 ${s.latencyMs.p50}, p95 ${s.latencyMs.p95}, p99 ${s.latencyMs.p99}, max ${s.latencyMs.max}`,
    `succeeded ${s.succeeded}, failed ${s.failed}${s.reconnects ? `, reconnects ${s.reconnects}` : ""}`,
  ];
  for (const [cls, n] of Object.entries(s.classes).sort((a, b) => b[1] - a[1])) {
    lines.push(`  ${cls.padEnd(20)} ${n}`);
  }
  if (s.codes.length > 0) lines.push("by SQLSTATE (first statement that raised it):");
  for (const c of s.codes.slice(0, 12)) {
    lines.push(`  ${c.code} ${c.verdict} ×${c.count}: ${c.message.split("\n")[0]}`);
    lines.push(`    statement ${c.index}: ${c.sql.length > 200 ? `${c.sql.slice(0, 200)}…` : c.sql}`);
    if (c.rules) lines.push(`    rules: ${c.rules.join(" > ")}`);
  }
  for (const f of s.findings) {
    lines.push(
      `finding: ${f.code} ${f.message.split("\n")[0]}; reproduce with --seed ${h.seed} --at ${f.index}`,
    );
  }
  if (coverage) {
    lines.push(
      `coverage: ${Object.keys(coverage.nodeKinds).length} node kinds, ${
        Object.keys(coverage.keywords).length
      } keywords, ${Object.keys(coverage.functions).length} functions`,
    );
  }
  if (s.stopped) lines.push(`stopped: ${s.stopped}`);
  return lines.join("\n");
}
