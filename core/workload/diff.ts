/**
 * `quarry workload diff`: how a run compares with a baseline, per
 * transaction kind (matched by name) and overall, as data and as a table
 * that marks what got worse.
 *
 * @module
 */
import type { OperationResult, WorkloadResult } from "./result.ts";
import { formatMs } from "./summary_text.ts";

/** A p99 more than this many percent above the baseline's is marked as a regression. */
export const P99_WORSE_PCT = 10;

/** A rate more than this many percent below the baseline's is marked as a regression. */
export const TPS_LOWER_PCT = 10;

/** One measure before and after; `null` where a side lacks the transaction kind. */
export interface Change {
  before: number | null;
  after: number | null;
  /** (after − before) / before × 100; `null` when either side is missing or `before` is 0 and `after` is not. */
  change_pct: number | null;
}

/** What got worse beyond the thresholds. */
export type Regression = "p99" | "tps";

/** One transaction kind (or all, "all") compared. */
export interface OperationDiff {
  name: string;
  /** Where the kind appears. */
  presence: "both" | "base only" | "run only";
  /** Transactions per second (succeeded or failed). */
  tps: Change;
  /** Response time, µs. */
  p50_us: Change;
  p99_us: Change;
  /** Failed transactions. */
  failed: Change;
  /** Empty unless both sides have the kind and it got worse by more than {@link P99_WORSE_PCT} / {@link TPS_LOWER_PCT}. */
  regressions: Regression[];
}

/** A run compared with a baseline. */
export interface WorkloadDiff {
  base: { pattern: string; started_at: string; duration_s: number };
  run: { pattern: string; started_at: string; duration_s: number };
  overall: OperationDiff;
  /** The baseline's kinds in its order, then those only the run has. */
  operations: OperationDiff[];
  /** Whether any line regressed. */
  regressed: boolean;
}

/**
 * Compares a run with a baseline: rate, median and 99th-percentile response
 * time and failures, per transaction kind and overall. A p99 more than
 * {@link P99_WORSE_PCT}% higher or a rate more than {@link TPS_LOWER_PCT}%
 * lower than the baseline's is a regression.
 *
 * @param base The baseline.
 * @param run The run to judge.
 * @returns The comparison.
 *
 * @example A slower p99 is a regression
 * ```ts
 * import { WorkloadRecorder } from "./recorder.ts";
 * import { diffResults } from "./diff.ts";
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 1, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2024-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const run = (ms: number) => {
 *   const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 *   for (let i = 0; i < 100; i++) rec.done(0, i * 5, i * 5, i * 5 + ms);
 *   return rec.result(meta, 1000, { cpu_percent: 1, saturated: false, warnings: [] });
 * };
 * const d = diffResults(run(1), run(2));
 * if (d.overall.regressions.join() !== "p99" || !d.regressed) throw new Error("not marked");
 * ```
 */
export function diffResults(base: WorkloadResult, run: WorkloadResult): WorkloadDiff {
  const side = (r: WorkloadResult) => ({
    pattern: r.meta.pattern,
    started_at: r.meta.started_at,
    duration_s: r.duration_s,
  });
  const names = [...new Set([...base.operations, ...run.operations].map((o) => o.name))];
  const find = (r: WorkloadResult, name: string) => r.operations.find((o) => o.name === name);
  const opTps = (r: WorkloadResult) => (o: OperationResult) =>
    r.duration_s > 0 ? o.attempted / r.duration_s : 0;
  const overall = compare("all", base.overall, run.overall, () => base.tps, () => run.tps);
  const operations = names.map((n) => compare(n, find(base, n), find(run, n), opTps(base), opTps(run)));
  return {
    base: side(base),
    run: side(run),
    overall,
    operations,
    regressed: [overall, ...operations].some((d) => d.regressions.length > 0),
  };
}

function compare(
  name: string,
  before: OperationResult | undefined,
  after: OperationResult | undefined,
  tpsBefore: (o: OperationResult) => number,
  tpsAfter: (o: OperationResult) => number,
): OperationDiff {
  const change = (f: (o: OperationResult) => number, g = f): Change => {
    const b = before === undefined ? null : f(before);
    const a = after === undefined ? null : g(after);
    let pct: number | null = null;
    if (a !== null && b !== null) pct = b !== 0 ? ((a - b) / b) * 100 : a === 0 ? 0 : null;
    return { before: b, after: a, change_pct: pct };
  };
  const d: OperationDiff = {
    name,
    presence: before === undefined ? "run only" : after === undefined ? "base only" : "both",
    tps: change(tpsBefore, tpsAfter),
    p50_us: change((o) => o.response.p50_us),
    p99_us: change((o) => o.response.p99_us),
    failed: change((o) => o.failed),
    regressions: [],
  };
  if ((d.p99_us.change_pct ?? 0) > P99_WORSE_PCT) d.regressions.push("p99");
  if ((d.tps.change_pct ?? 0) < -TPS_LOWER_PCT) d.regressions.push("tps");
  return d;
}

/**
 * The comparison as a table for a terminal: per kind and overall, the rate,
 * p50 and p99 response time (ms) and failures of the baseline and the run,
 * with the change in percent. A `!` marks a p99 more than
 * {@link P99_WORSE_PCT}% higher or a rate more than {@link TPS_LOWER_PCT}%
 * lower than the baseline's; the last line names every regression.
 *
 * @param d The comparison.
 * @returns Lines of plain text, no trailing newline.
 */
export function formatDiff(d: WorkloadDiff): string {
  const rows = [d.overall, ...d.operations];
  const nameWidth = Math.min(NAME_WIDTH, Math.max(9, ...rows.map((r) => r.name.length)));
  const groups = [
    { title: "TPS", width: 7, get: (r: OperationDiff) => r.tps, fmt: rate, mark: "tps" },
    { title: "p50 (ms)", width: 5, get: (r: OperationDiff) => r.p50_us, fmt: formatMs, mark: "" },
    { title: "p99 (ms)", width: 5, get: (r: OperationDiff) => r.p99_us, fmt: formatMs, mark: "p99" },
  ] as const;
  // A group: base, run, change and the mark, in columns of `width`, `width`, 6 and 2.
  const groupWidth = (w: number) => 2 * w + 2 + 6 + 2;
  const sep = "  ";
  const lines = [
    `Workload diff: ${pair(d.base.pattern, d.run.pattern)}, base ${when(d.base)} -> run ${when(d.run)}`,
    "",
    [" ".repeat(nameWidth), ...groups.map((g) => title(g.title, groupWidth(g.width))), title("failed", 11)]
      .join(sep),
    [
      "operation".padEnd(nameWidth),
      ...groups.map((g) =>
        `${"base".padStart(g.width)} ${"run".padStart(g.width)} ${"change".padStart(6)}  `
      ),
      `${"base".padStart(5)} ${"run".padStart(5)}`,
    ].join(sep),
  ];
  for (const r of rows) {
    const cells = groups.map((g) => {
      const c = g.get(r);
      const marked = g.mark !== "" && r.regressions.includes(g.mark) ? " !" : "  ";
      return `${cell(c.before, g.fmt, g.width)} ${cell(c.after, g.fmt, g.width)} ${
        pct(c).padStart(6)
      }${marked}`;
    });
    const failed = `${cell(r.failed.before, count, 5)} ${cell(r.failed.after, count, 5)}`;
    const note = r.presence === "both" ? "" : `  (${r.presence})`;
    lines.push(`${[cut(r.name, nameWidth).padEnd(nameWidth), ...cells, failed].join(sep)}${note}`);
  }
  lines.push(
    "",
    `! = p99 more than ${P99_WORSE_PCT}% higher, or TPS more than ${TPS_LOWER_PCT}% lower, than the base`,
  );
  const regressed = rows.filter((r) => r.regressions.length > 0);
  lines.push(
    regressed.length === 0
      ? "No regressions beyond the thresholds."
      : `Regressions: ${regressed.map((r) => `${r.name} (${r.regressions.join(", ")})`).join(", ")}`,
  );
  return lines.map((l) => l.trimEnd()).join("\n");
}

/** Kind names longer than this are cut in the table, which then fits 100 columns. */
const NAME_WIDTH = 17;

/** `t` centred in dashes across `width`. */
function title(t: string, width: number): string {
  const dashes = width - t.length - 2;
  const left = Math.floor(dashes / 2);
  return `${"-".repeat(left)} ${t} ${"-".repeat(dashes - left)}`;
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function pair(a: string, b: string): string {
  return a === b ? a : `${a} vs ${b}`;
}

function when(s: WorkloadDiff["base"]): string {
  return `${s.started_at.replace(/\.\d+Z$/, "Z")} (${Number(s.duration_s.toFixed(1))} s)`;
}

function cell(v: number | null, fmt: (n: number) => string, width: number): string {
  return (v === null ? "-" : fmt(v)).padStart(width);
}

function rate(tps: number): string {
  return tps >= 10_000 ? tps.toFixed(0) : tps.toFixed(1);
}

function count(n: number): string {
  return String(n);
}

function pct(c: Change): string {
  if (c.change_pct === null) return c.before === 0 && c.after !== null ? "new" : "-";
  const p = c.change_pct;
  if (Math.abs(p) < 0.05) return "0.0%";
  return `${p > 0 ? "+" : ""}${Math.abs(p) >= 100 ? p.toFixed(0) : p.toFixed(1)}%`;
}
