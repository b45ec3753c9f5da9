/**
 * `quarry workload`: application-shaped transaction mixes at a target rate,
 * with latency measured from when each transaction was due. Subcommands:
 * run, list, show, merge, diff.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { patternNames, patternText } from "../../core/workload/patterns.ts";
import { pattern } from "../../core/workload/patterns.ts";
import { compileData, rowCounts, scaledData } from "../../core/workload/setup.ts";
import type { WorkloadResult } from "../../core/workload/result.ts";
import { mergeResults } from "../../core/workload/merge.ts";
import { diffResults, formatDiff } from "../../core/workload/diff.ts";
import { formatSummary } from "../../core/workload/summary_text.ts";
import { workloadRun } from "./workload_run.ts";

export const WORKLOAD_HELP = `quarry workload: application-shaped transactions at a target rate

Usage:
  quarry workload run --pattern P [--db pglite|URL] [--tps T] [--duration S] [options]
  quarry workload run --config FILE [--pattern P] [options]
  quarry workload list
  quarry workload show P
  quarry workload merge A.json B.json ... [--json]
  quarry workload diff BASE.json RUN.json

A pattern is a schema (created in its own schema, "quarry_<pattern>", filled
through 'quarry data' and reused by later runs at the same --scale) and a
weighted mix of transactions whose parameters are drawn with skew where real
applications are skewed. With --tps the run is an open loop: transactions
are scheduled at the target rate whatever the database does, and latency is
measured from when each was due, so a stall shows in the percentiles instead
of vanishing (response = service + schedule lag; all three are reported).
Without --tps, each connection runs transactions back to back (closed loop).

Run options:
      --pattern P           A pattern (see 'quarry workload list')
      --config FILE         A workload file (YAML, JSON or TOML): its own data and
                            transactions, or "pattern: P" plus overrides, and a
                            "run" block with the settings below; flags win
      --db pglite|URL       postgres://user@host:port/database; a password may
                            come from PGPASSWORD [default: pglite, in memory]
  -c, --connections N       Connections [default: 4; PGlite: 1]
      --tps T               Target transactions per second (open loop)
      --arrival A           constant or poisson spacing of arrivals [default: constant]
      --duration S          Seconds measured [default: 10]
      --transactions N      Transactions measured, instead of --duration
      --warmup S            Seconds first, excluded from the results; the rate
                            ramps from 10% to the target [default: 0]
      --scale K             Table sizes × K [default: 1]
      --seed S              Seed of the mix, the parameters and the arrivals
      --latency-limit MS    Count transactions slower than this as late
      --skip-late           Skip a transaction already later than the limit when its
                            turn comes (pgbench -R --latency-limit)
      --max-tries N         Tries of a transaction that meets a serialization
                            failure or deadlock (40001, 40P01) [default: 3]
      --pipeline N          Transactions in flight per connection [default: 1]
      --schema NAME         Schema of the tables [default: quarry_<pattern>]
      --reload              Load the tables again even when they are there
      --find-max --slo OBJ  Search for the highest rate meeting a latency objective,
                            e.g. --slo 'p99<10ms' or 'p95<5ms,max<100ms': the rate
                            doubles from 100 tps until it misses (twice), the
                            bracket is bisected, then the search climbs from the
                            best rate in steps of --tolerance until one misses;
                            steps of --duration seconds (default 10), every step
                            printed. A step stops once its miss is certain, and
                            after a miss the search rests until the server's other
                            backends (autovacuum included) are idle, 30 s at most
      --tolerance PCT       --find-max's precision: its climbing step, as a share
                            of the rate [default: 2%]

Output:
      --progress S          Without a terminal: one line every S seconds [default: 1]
      --metrics-port P      Serve Prometheus metrics at http://127.0.0.1:P/metrics
      --json                Print the result as JSON instead of the summary
      --result FILE         Write the result as JSON (for merge, diff and reports)
      --report FILE.html    Write a self-contained HTML report with charts
  -h, --help                Show this help

Examples:
  quarry workload run --pattern oltp --duration 30
  quarry workload run --pattern ecommerce --db postgres://postgres@127.0.0.1/app \\
      --tps 500 --duration 60 --warmup 5 --report ecommerce.html
  quarry workload diff baseline.json today.json

Exit codes: 0 done, 2 bad usage or workload file, 3 the database failed or
stayed unreachable (the summary so far is printed), 130 interrupted (summary
printed).`;

const RUN_OPTIONS = {
  pattern: { type: "string" },
  config: { type: "string" },
  db: { type: "string" },
  connections: { type: "string", short: "c" },
  tps: { type: "string" },
  arrival: { type: "string" },
  duration: { type: "string" },
  transactions: { type: "string" },
  warmup: { type: "string" },
  scale: { type: "string" },
  seed: { type: "string" },
  "latency-limit": { type: "string" },
  "skip-late": { type: "boolean" },
  "max-tries": { type: "string" },
  pipeline: { type: "string" },
  schema: { type: "string" },
  reload: { type: "boolean" },
  "find-max": { type: "boolean" },
  slo: { type: "string" },
  tolerance: { type: "string" },
  progress: { type: "string" },
  "metrics-port": { type: "string" },
  json: { type: "boolean" },
  result: { type: "string" },
  report: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `quarry workload`; returns the exit code. */
export async function workloadCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
    (sub === undefined ? console.error : console.log)(WORKLOAD_HELP);
    return sub === undefined ? 2 : 0;
  }
  switch (sub) {
    case "run": {
      const { values } = parseFlags(rest, RUN_OPTIONS, "workload run");
      if (values.help) {
        console.log(WORKLOAD_HELP);
        return 0;
      }
      return await workloadRun(values);
    }
    case "list":
      parseFlags(rest, {}, "workload list");
      console.log(listPatterns());
      return 0;
    case "show": {
      const { positionals } = parseFlags(rest, { scale: { type: "string" } }, "workload show", 1);
      if (positionals.length === 0) throw new UsageError("show which pattern?", "see 'quarry workload list'");
      console.log(showPattern(positionals[0]!));
      return 0;
    }
    case "merge": {
      const { values, positionals } = parseFlags(rest, { json: { type: "boolean" } }, "workload merge", 1000);
      if (positionals.length < 2) {
        throw new UsageError("merge takes two or more result files (--result FILE)");
      }
      const merged = mergeResults(positionals.map(readResult));
      console.log(values.json ? JSON.stringify(merged) : formatSummary(merged));
      return 0;
    }
    case "diff": {
      const { positionals } = parseFlags(rest, {}, "workload diff", 2);
      if (positionals.length !== 2) {
        throw new UsageError("diff takes a baseline and a run: diff BASE.json RUN.json");
      }
      console.log(formatDiff(diffResults(readResult(positionals[0]!), readResult(positionals[1]!))));
      return 0;
    }
    default:
      throw new UsageError(
        `unknown workload subcommand "${sub}"`,
        "subcommands: run, list, show, merge, diff",
      );
  }
}

function readResult(path: string): WorkloadResult {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message.split("\n")[0];
    throw new UsageError(`cannot read "${path}": ${why}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`"${path}" is not JSON: ${(e as Error).message}`);
  }
  if ((value as { format?: unknown })?.format !== "quarry-workload/1") {
    throw new UsageError(`"${path}" is not a workload result (write one with 'workload run --result FILE')`);
  }
  return value as WorkloadResult;
}

function listPatterns(): string {
  const names = patternNames();
  const width = Math.max(...names.map((n) => n.length));
  return names.map((n) => `${n.padEnd(width)}  ${pattern(n).description}`).join("\n");
}

/** A pattern's tables (rows at scale 1), transaction mix and parameters, then its file. */
function showPattern(name: string): string {
  let def;
  try {
    def = pattern(name);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message, "see 'quarry workload list'");
    throw e;
  }
  const compiled = compileData(scaledData(def, 1, `quarry_${name}`), def.name);
  const rows = rowCounts(compiled);
  const total = def.transactions.reduce((a, t) => a + t.weight, 0);
  const lines = [`${def.name}: ${def.description}`, "", "Tables (rows at --scale 1):"];
  for (const [t, n] of rows) lines.push(`  ${t.padEnd(24)} ${n.toLocaleString("en-US").padStart(12)}`);
  lines.push("", "Transactions (share of the mix):");
  for (const t of def.transactions) {
    lines.push(`  ${t.name} ${((t.weight / total) * 100).toFixed(1)}%`);
    for (const sql of t.sql) lines.push(`      ${sql}`);
    for (const [p, spec] of Object.entries(t.params)) lines.push(`      :${p} ${JSON.stringify(spec)}`);
  }
  lines.push(
    "",
    `The pattern's file (copy it to make your own, then --config FILE):`,
    "",
    patternText(name).trimEnd(),
  );
  if (lines.length === 0) throw new RuntimeFailure("empty pattern");
  return lines.join("\n");
}
