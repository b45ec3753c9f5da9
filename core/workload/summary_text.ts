/**
 * The summary `quarry workload run` (and `workload merge`) prints when a run
 * ends: plain text, no colours, lines of at most {@link SUMMARY_WIDTH}
 * characters, so it reads the same in a terminal, a CI log and a pasted
 * issue.
 *
 * @module
 */
import type { ErrorSample, LatencyStats, OperationResult, WorkloadResult } from "./result.ts";

/** The longest line {@link formatSummary} writes. */
export const SUMMARY_WIDTH = 100;

/** Transaction kind names longer than this are cut in the tables. */
const NAME_WIDTH = 24;

/**
 * Microseconds as milliseconds with three significant digits at most, in
 * five characters at most: "0.012", "1.23", "12.3", "123", "1234", then
 * seconds: "12.3s", "3600s".
 *
 * @param us Microseconds.
 * @returns The text.
 *
 * @example
 * ```ts
 * import { formatMs } from "./summary_text.ts";
 * if ([12, 1234, 123456, 12_345_678].map(formatMs).join(" ") !== "0.012 1.23 123 12.3s") throw new Error();
 * ```
 */
export function formatMs(us: number): string {
  if (us === 0) return "0";
  const ms = us / 1000;
  if (ms < 0.9995) return ms.toFixed(3);
  if (ms < 9.995) return ms.toFixed(2);
  if (ms < 99.95) return ms.toFixed(1);
  if (ms < 9999.5) return ms.toFixed(0);
  const s = ms / 1000;
  return s < 99.95 ? `${s.toFixed(1)}s` : `${s.toFixed(0)}s`;
}

/**
 * The end-of-run summary: what ran, the totals (succeeded, failed, skipped,
 * late, retries, reconnects), the rate against its target, each kind's share
 * of the mix, response, service and lag percentiles (p50 p95 p99 p99.9 max
 * mean, ms) per kind and overall, failures grouped by SQLSTATE class with
 * the first message of each code, and the client's self-check.
 *
 * In a closed loop response time equals service time and there is no lag,
 * so each kind gets one latency row instead of three.
 *
 * @param r The result.
 * @returns Lines of at most {@link SUMMARY_WIDTH} characters, no trailing newline.
 *
 * @example
 * ```ts
 * import { WorkloadRecorder } from "./recorder.ts";
 * import { formatSummary } from "./summary_text.ts";
 * const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 * rec.done(0, 0, 0, 1.5);
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 1, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2024-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const text = formatSummary(rec.result(meta, 1000, { cpu_percent: 3, saturated: false, warnings: [] }));
 * if (!text.includes("1 succeeded")) throw new Error(text);
 * ```
 */
export function formatSummary(r: WorkloadResult): string {
  const lines = [
    ...header(r),
    "",
    ...totals(r),
    "",
    ...mix(r),
    "",
    ...latencies(r),
    ...errors(r),
    "",
    ...client(r),
  ];
  return lines.map((l) => cut(l.trimEnd(), SUMMARY_WIDTH)).join("\n");
}

function header(r: WorkloadResult): string[] {
  const m = r.meta;
  const how = [
    m.mode === "open" ? "open loop" : "closed loop",
    m.mode === "open" && m.arrival && `${m.arrival} arrivals`,
    m.mode === "open" && m.target_tps !== undefined && `target ${target(m.target_tps)} tps`,
    plural(m.connections, "connection"),
    `scale ${m.scale}`,
    m.latency_limit_us !== undefined && `latency limit ${formatMs(m.latency_limit_us)} ms`,
  ].filter((x): x is string => typeof x === "string");
  const lines = [
    `Workload ${m.pattern}: ${
      seconds(r.duration_s)
    } measured on ${m.target} (PostgreSQL ${m.server_version})`,
    how.join(", "),
    `measured from ${m.started_at}${
      m.warmup_s > 0 ? ` after ${m.warmup_s} s of warm-up` : ""
    }, seed ${m.seed}, ` +
    `Quarry ${m.quarry_version}`,
  ];
  if (r.merged_from !== undefined) lines.push(`merged from ${plural(r.merged_from, "run")}`);
  return lines;
}

function totals(r: WorkloadResult): string[] {
  const t = r.totals;
  const goal = r.meta.mode === "open" && r.meta.target_tps !== undefined
    ? ` (target ${target(r.meta.target_tps)})`
    : "";
  return [
    `Transactions  ${int(t.succeeded)} succeeded, ${int(t.failed)} failed, ${int(t.skipped)} skipped, ` +
    `${int(t.late)} late, ${plural(t.retries, "retry", "retries")}, ${plural(t.reconnects, "reconnect")}`,
    `Throughput    ${rate(r.tps)} tps${goal}, ${rate(r["Goodput (requests/second)"])} tps succeeded`,
  ];
}

function mix(r: WorkloadResult): string[] {
  const w = nameWidth(r);
  const cols = [["finished", 10], ["share", 7], ["tps", 9], ["failed", 8], ["skipped", 8], ["late", 8], [
    "retries",
    8,
  ]] as const;
  const lines = [`${"Operations".padEnd(w)}${cols.map(([t, n]) => t.padStart(n)).join("")}`];
  const all = r.overall.attempted;
  for (const o of r.operations) {
    const tps = r.duration_s > 0 ? o.attempted / r.duration_s : 0;
    const share = all > 0 ? `${((o.attempted / all) * 100).toFixed(1)}%` : "-";
    const cells = [
      int(o.attempted),
      share,
      rate(tps),
      int(o.failed),
      int(o.skipped),
      int(o.late),
      int(o.retries),
    ];
    lines.push(`${name(o.name, w)}${cells.map((c, i) => c.padStart(cols[i]![1])).join("")}`);
  }
  return lines;
}

function latencies(r: WorkloadResult): string[] {
  const w = nameWidth(r);
  const open = r.meta.mode === "open";
  const heads = ["p50", "p95", "p99", "p99.9", "max", "mean"];
  const lines = [`${"Latency (ms)".padEnd(w + 10)}${heads.map((h) => h.padStart(8)).join("")}`];
  const row = (label: string, kind: string, s: LatencyStats) => {
    const values = [s.p50_us, s.p95_us, s.p99_us, s.p999_us, s.max_us, s.mean_us];
    return `${name(label, w)}${kind.padEnd(10)}${values.map((v) => formatMs(v).padStart(8)).join("")}`;
  };
  // "all" first, unless there is one kind: then "all" is that kind.
  const ops: OperationResult[] = r.operations.length === 1 ? r.operations : [r.overall, ...r.operations];
  for (const o of ops) {
    if (!open) {
      lines.push(row(o.name, "", o.service));
      continue;
    }
    lines.push(row(o.name, "response", o.response), row("", "service", o.service), row("", "lag", o.lag));
  }
  lines.push(
    open
      ? "response: from the scheduled start; service: from sending; lag: how late it was sent"
      : "closed loop: response time is service time, from sending to the end; no lag",
  );
  return lines;
}

function errors(r: WorkloadResult): string[] {
  const codes = Object.entries(r.overall.errors);
  if (codes.length === 0) return [];
  const byClass = new Map<string, [string, ErrorSample][]>();
  for (const entry of codes) {
    const cls = entry[0].slice(0, 2);
    byClass.set(cls, [...byClass.get(cls) ?? [], entry]);
  }
  const total = (es: [string, ErrorSample][]) => es.reduce((n, [, e]) => n + e.count, 0);
  const classes = [...byClass].sort((a, b) => total(b[1]) - total(a[1]) || a[0].localeCompare(b[0]));
  const lines = ["", "Failures by SQLSTATE class"];
  for (const [cls, es] of classes) {
    lines.push(`  ${cls}  ${plural(total(es), "failure")}`);
    for (const [code, e] of es.sort((a, b) => b[1].count - a[1].count)) {
      lines.push(`    ${code.padEnd(5)} ${int(e.count).padStart(8)}  ${e.class}: ${oneLine(e.message)}`);
      if (e.statement !== "") lines.push(`${" ".repeat(20)}in: ${oneLine(e.statement)}`);
    }
  }
  return lines;
}

function client(r: WorkloadResult): string[] {
  const c = r.client;
  const lines = [`Client        ${c.cpu_percent.toFixed(0)}% of one core`];
  if (c.saturated) {
    lines.push("  the client was the limit: these numbers measure Quarry's machine, not the database");
  }
  for (const w of c.warnings) lines.push(`  warning: ${oneLine(w)}`);
  return lines;
}

function nameWidth(r: WorkloadResult): number {
  return Math.min(NAME_WIDTH, Math.max(12, ...r.operations.map((o) => o.name.length))) + 2;
}

/** A name cut to fit a column of `w` (two of which are the gap after it). */
function name(s: string, w: number): string {
  return cut(s, w - 2).padEnd(w);
}

function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

function int(n: number): string {
  return n.toLocaleString("en-US");
}

function rate(tps: number): string {
  return tps.toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** A target rate: whole when it is. */
function target(tps: number): string {
  return Number.isInteger(tps) ? int(tps) : rate(tps);
}

function seconds(s: number): string {
  return `${Number(s.toFixed(1))} s`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${int(n)} ${n === 1 ? one : many}`;
}
