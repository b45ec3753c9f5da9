/**
 * `quarry compare`: the same statements on two databases, their results,
 * errors, row counts and table contents compared, every difference reduced
 * to a short reproducer.
 *
 * @module
 */
import { parseCount, parseFlags, readExtent } from "../args.ts";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { compileFor, loadGrammar, loadSchema } from "../sources.ts";
import { databaseWhere, parseDatabaseUrl, readLiveSchema } from "../database.ts";
import { LocalGenerator } from "../../core/engine/local.ts";
import { formatSeed, parseSeed, randomSeed } from "../../core/seed.ts";
import { setupStatements } from "../../core/setup/setup.ts";
import type { Schema } from "../../core/schema/model.ts";
import { pgliteTypedSession, postgresTypedSession, type TypedSession } from "../../core/exec/typed_query.ts";
import { loadParser } from "../../core/exec/parser.ts";
import { compareRun, type CompareSummary, StatementHung, TablesApart } from "../../core/oracle/compare.ts";
import { AllowlistError, parseAllowlist } from "../../core/oracle/allowlist.ts";
import { findingLines } from "../../core/oracle/finding.ts";
import { volatileNames } from "../../core/oracle/nondeterminism.ts";
import type { CatalogSnapshot } from "../../core/catalog/snapshot.ts";
import catalog15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import catalog18 from "../../configs/catalog/pglite@18.json" with { type: "json" };
import { DEFAULT_GRAMMAR } from "../../grammars/mod.ts";

export const COMPARE_HELP = `quarry compare: run the same statements on two databases and compare them

Usage:
  quarry compare --a pglite|URL --b pglite|URL [--grammar G]
                 [--count N | --duration S] [--seed S] [--setup default|none]

Sets up the same schema and rows on both databases (or, with --setup none,
checks that their tables are the same and uses them), then runs each
statement of the grammar on both and compares:
  results    as multisets of rows, or row by row where the ORDER BY fixes
             the order; numeric scale, float tolerance, timestamps with
             time zone (at UTC), jsonb and NULLs normalized per type
  errors     by SQLSTATE class (both failing in one class is agreement)
  affected   rows affected by INSERT, UPDATE, DELETE and MERGE
  contents   per-table checksums of the tables a statement wrote, and of
             every table at checkpoints
Each statement runs inside a transaction on both: committed when they
agree, rolled back when they differ, so the two stay in lockstep. A
statement whose result is not determined by the data (random(), now(),
LIMIT without an ORDER BY that fixes the order, string_agg without ORDER
BY, window functions) runs but is not compared. Each difference is a
finding with both results, the seed and index that regenerate it
('quarry generate --seed S --at INDEX'), and a reduced statement: the
parse tree cut down while the difference persists.

Options:
      --a pglite|URL       First database: a new in-memory PGlite, or a
                           postgres://user@host:port/database URL
      --b pglite|URL       Second database (two pglite are two instances)
  -g, --grammar NAME|FILE  Built-in grammar or grammar module
                           [default: ${DEFAULT_GRAMMAR}]
  -s, --schema default|FILE
                           Schema to set up [default: default]
  -n, --count N            Statements to compare [default: 1000 unless
                           --duration]
      --duration S         Compare for S seconds instead (30, 30s, 5m)
      --seed S             Seed (see 'quarry generate --help') [default: fresh]
      --start I            Index of the first statement [default: 0]
      --setup MODE         default: create the schema and its seed rows on
                           both; none: use the tables both have (their
                           columns must match) [default: default]
      --float-eps E        Relative tolerance for float results
                           [default: 1e-9; float4 at least 1e-5]
      --strict-codes       Errors agree only with equal SQLSTATEs
      --allowlist FILE     Finding keys (one a line, # comments) of accepted
                           differences: they are counted, not reported
      --reduce-tries N     Candidates the reducer tests per finding
                           [default: 200; 0 reports statements unreduced]
      --json               Print the summary as one JSON object
  -h, --help               Show this help

Permissions: --allow-read, and for a server --allow-net and --allow-env.

Exit codes: 0 the databases agreed (allowlisted findings aside), 1 new
findings, 2 bad usage (different schemas, a malformed allowlist), 3 a
database is unreachable or its setup failed, 130 interrupted.

Example:
  quarry compare --a postgres://postgres@127.0.0.1/app --b pglite \\
    --grammar dml_unique --count 10000 --seed 42`;

const OPTIONS = {
  a: { type: "string" },
  b: { type: "string" },
  grammar: { type: "string", short: "g" },
  schema: { type: "string", short: "s" },
  count: { type: "string", short: "n" },
  duration: { type: "string" },
  seed: { type: "string" },
  start: { type: "string" },
  setup: { type: "string" },
  "float-eps": { type: "string" },
  "strict-codes": { type: "boolean" },
  allowlist: { type: "string" },
  "reduce-tries": { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** A database named on the command line: a new PGlite or a server URL. */
export interface OpenedTarget {
  session: TypedSession;
  url?: URL;
  where: string;
}

/**
 * Opens `spec` ("pglite" or a URL) as a typed session and checks it answers;
 * an unreachable server is a RuntimeFailure naming it.
 */
export async function openTarget(spec: string, flag: string): Promise<OpenedTarget> {
  if (spec === "pglite") return { session: await pgliteTypedSession(), where: "PGlite" };
  let url: URL;
  try {
    url = parseDatabaseUrl(spec);
  } catch {
    throw new UsageError(`${flag} must be "pglite" or a URL like postgres://user@host:5432/database`);
  }
  const session = postgresTypedSession(url);
  const where = databaseWhere(url);
  const r = await session.result("SELECT 1");
  if (!r.ok) {
    await session.close().catch(() => {});
    throw new RuntimeFailure(`cannot connect to ${where} (${flag}): ${r.code} ${r.message.split("\n")[0]}`);
  }
  return { session, url, where };
}

/** The columns of every table in schema public, one line each, in order. */
async function columnsOf(t: OpenedTarget): Promise<string[]> {
  const r = await t.session.result(
    "SELECT table_name || '.' || column_name || ' ' || data_type || CASE WHEN is_nullable = 'NO' " +
      "THEN ' not null' ELSE '' END FROM information_schema.columns WHERE table_schema = 'public' " +
      "ORDER BY table_name, ordinal_position",
  );
  if (!r.ok) throw new RuntimeFailure(`cannot read the tables of ${t.where}: ${r.code} ${r.message}`);
  return r.rows.map((row) => row[0] ?? "");
}

/** A UsageError when the two databases' tables differ, naming the first difference. */
export async function checkSameTables(a: OpenedTarget, b: OpenedTarget): Promise<void> {
  const [x, y] = await Promise.all([columnsOf(a), columnsOf(b)]);
  const onlyA = x.filter((c) => !y.includes(c));
  const onlyB = y.filter((c) => !x.includes(c));
  if (onlyA.length > 0 || onlyB.length > 0) {
    const first = onlyA.length > 0 ? `${a.where} has ${onlyA[0]}` : `${b.where} has ${onlyB[0]}`;
    throw new UsageError(
      `the two databases' tables differ (${
        onlyA.length + onlyB.length
      } columns): ${first} and the other does not`,
      "compare databases with the same tables, or let compare set them up (--setup default)",
    );
  }
}

/** Reads and parses an allowlist file; any problem is a UsageError at file:line. */
export function readAllowlist(path: string): Set<string> {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read allowlist "${path}": ${(e as Error).message.split("\n")[0]}`);
  }
  try {
    return parseAllowlist(text);
  } catch (e) {
    if (e instanceof AllowlistError) throw new UsageError(`${path}:${e.line}: ${e.message}`);
    throw e;
  }
}

/** Runs `quarry compare`; returns the exit code. */
export async function compareCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "compare");
  if (v.help) {
    console.log(COMPARE_HELP);
    return 0;
  }
  if (v.a === undefined || v.b === undefined) throw new UsageError("name both databases with --a and --b");
  const { count, durationMs } = readExtent(
    v.count as string | undefined,
    v.duration as string | undefined,
    1000n,
  );
  const setup = (v.setup as string | undefined) ?? "default";
  if (setup !== "default" && setup !== "none") {
    throw new UsageError(`--setup must be default or none (got "${setup}")`);
  }
  if (setup === "none" && (v.a === "pglite" || v.b === "pglite")) {
    throw new UsageError("--setup none needs two servers (URLs): a new PGlite has no tables");
  }
  const floatEps = v["float-eps"] === undefined ? undefined : Number(v["float-eps"]);
  if (floatEps !== undefined && !(floatEps >= 0 && floatEps < 1)) {
    throw new UsageError(`--float-eps must be a number from 0 to below 1 (got "${v["float-eps"]}")`);
  }
  const reduceTries = v["reduce-tries"] === undefined
    ? 200
    : Number(parseCount(v["reduce-tries"] as string, "--reduce-tries"));
  const allow = v.allowlist === undefined ? new Set<string>() : readAllowlist(v.allowlist as string);
  const seed = v.seed === undefined ? randomSeed() : parseSeed(v.seed as string);
  if (typeof seed === "string") throw new UsageError(seed);
  const start = v.start === undefined ? 0n : parseCount(v.start as string, "--start");
  const loaded = await loadGrammar((v.grammar as string | undefined) ?? DEFAULT_GRAMMAR);
  const schemaSpec = (v.schema as string | undefined) ?? "default";
  let schema: Schema | undefined = setup === "default" ? loadSchema(schemaSpec) : undefined;
  await loadParser();

  const opened: OpenedTarget[] = [];
  try {
    opened.push(await openTarget(v.a as string, "--a"));
    opened.push(await openTarget(v.b as string, "--b"));
    const [a, b] = opened as [OpenedTarget, OpenedTarget];
    if (schema) {
      for (const t of opened) {
        for (const sql of setupStatements(schema)) {
          const r = await t.session.result(sql);
          if (!r.ok) {
            throw new RuntimeFailure(
              `setup failed on ${t.where}: ${r.code} ${r.message.split("\n")[0]} (in: ${sql.slice(0, 120)})`,
            );
          }
        }
      }
    }
    await checkSameTables(a, b);
    schema ??= v.schema !== undefined ? loadSchema(schemaSpec) : await readLiveSchema(a.url!);
    const program = compileFor(loaded, schema, schemaSpec);
    const generator = new LocalGenerator(program, seed);
    console.error(`quarry: seed ${formatSeed(seed)}`);
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
    for (const s of signals) Deno.addSignalListener(s, onSignal);
    const live = Deno.stderr.isTerminal() && !v.json;
    let summary: CompareSummary | undefined;
    try {
      summary = await compareRun({
        a: a.session,
        b: b.session,
        statements: (first, n) => generator.statements(first, n),
        first: start,
        ...(count === undefined ? {} : { count }),
        ...(durationMs === undefined ? {} : { durationMs }),
        schema,
        seed: formatSeed(seed),
        ...(floatEps === undefined ? {} : { floatEps }),
        strictCodes: v["strict-codes"] === true,
        volatile: volatileNames(
          catalog15 as unknown as CatalogSnapshot,
          catalog18 as unknown as CatalogSnapshot,
        ),
        allow,
        reduceTries,
        signal: controller.signal,
        ...(live ? { onTick: progressLine } : {}),
      }).catch((e) => {
        if (e instanceof StatementHung) throw new RuntimeFailure(e.message);
        if (e instanceof TablesApart) {
          throw new UsageError(e.message, "start from fresh databases, or from two copies of one");
        }
        throw e;
      });
    } finally {
      for (const s of signals) Deno.removeSignalListener(s, onSignal);
      if (live) Deno.stderr.writeSync(new TextEncoder().encode("\r\x1b[2K"));
    }
    const header = { grammar: loaded.grammar.name, a: a.where, b: b.where, seed: formatSeed(seed) };
    if (v.json) console.log(JSON.stringify({ ...header, ...summary }));
    else console.log(humanSummary(header, summary));
    if (controller.signal.aborted) throw new Interrupted();
    if (summary.stopped) throw new RuntimeFailure(summary.stopped);
    return summary.findings.length > 0 ? 1 : 0;
  } finally {
    await Promise.all(opened.map((t) => t.session.close().catch(() => {})));
  }
}

function progressLine(s: CompareSummary): void {
  const line =
    `\r\x1b[2K${s.statements} statements, ${s.statementsPerSecond}/s, ${s.agreementPercent}% agree, ` +
    `${s.findings.length} findings`;
  Deno.stderr.writeSync(new TextEncoder().encode(line));
}

function humanSummary(h: { grammar: string; a: string; b: string; seed: string }, s: CompareSummary): string {
  const lines = [
    `${h.grammar}: ${h.a} (a) against ${h.b} (b), seed ${h.seed}`,
    `${s.statements} statements in ${s.seconds} s: ${s.statementsPerSecond} statements/s`,
    `compared ${s.compared}, agreed ${s.agreed} (${s.agreementPercent}%), both failed alike ${s.bothFailed}, ` +
    `not compared (nondeterministic) ${s.nondeterministic}${s.allowed ? `, allowlisted ${s.allowed}` : ""}`,
  ];
  for (
    const [reason, n] of Object.entries(s.nondeterministicReasons).sort((x, y) => y[1] - x[1]).slice(0, 6)
  ) {
    lines.push(`  not compared: ${reason} ×${n}`);
  }
  const kinds = Object.entries(s.findingsByKind);
  lines.push(`findings: ${kinds.length === 0 ? "none" : kinds.map(([k, n]) => `${k} ${n}`).join(", ")}`);
  for (const f of s.findings.slice(0, 20)) lines.push(...findingLines(f));
  if (s.stopped) lines.push(`stopped: ${s.stopped}`);
  return lines.join("\n");
}
