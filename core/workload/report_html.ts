/**
 * `quarry workload run --report`: one HTML file that opens offline, with
 * the run's tables and its charts (throughput against target, response
 * time percentiles and lag over time, the latency spectrum, the operation
 * mix, errors). uPlot, its CSS and the chart code are inlined as text
 * imports, which `deno bundle` keeps working (relative ones are inlined in
 * the bundle, npm ones stay npm imports), so rendering reads no file and
 * needs no permission.
 *
 * @module
 */
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import uplotJs from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import chartsJs from "./report_charts.js" with { type: "text" };
import { reportData } from "./report_data.ts";
import type { LatencyStats, OperationResult, WorkloadResult } from "./result.ts";

/**
 * Renders a finished run as one self-contained HTML page: no script, style,
 * font or image is fetched from anywhere, so the file can be mailed,
 * archived or opened on a machine without network.
 *
 * @param result The run, as `quarry workload run` (or `workload merge`) produced it.
 * @returns The page's HTML text.
 *
 * @example The report of a two-transaction run
 * ```ts
 * import { renderReport } from "./report_html.ts";
 * import { WorkloadRecorder } from "./recorder.ts";
 *
 * const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 * rec.done(0, 10, 10, 12);
 * rec.done(0, 500, 500, 503);
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 1, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2025-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const html = renderReport(rec.result(meta, 1000, { cpu_percent: 1, saturated: false, warnings: [] }));
 * // Writing it needs `--allow-write`; rendering needs no permission.
 * if (!html.startsWith("<!doctype html>") || !html.includes("Workload report: <span class")) {
 *   throw new Error("unexpected page");
 * }
 * ```
 */
export function renderReport(result: WorkloadResult): string {
  const m = result.meta;
  const data = reportData(result);
  const title = `Quarry workload report: ${m.pattern}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="quarry ${esc(m.quarry_version)}">
<title>${esc(title)}</title>
<style>${inlineStyle(uplotCss)}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>Workload report: <span class="pattern">${esc(m.pattern)}</span></h1>
<p class="sub">${esc(m.target)} · PostgreSQL ${esc(m.server_version)} · started ${esc(m.started_at)} · ${
    esc(seconds(result.duration_s))
  } measured</p>
</header>
<main>
<section class="cards">
${totalsCards(result)}
</section>
${selfCheck(result)}
${findMaxSection(result)}
<section class="tables">
<div><h2>Run</h2>${metaTable(result)}</div>
<div><h2>Totals</h2>${totalsTable(result)}</div>
</section>
<section>
<h2>Throughput</h2>
${
    data.series
      ? `<p class="note">Transactions finished per second${
        data.series.target ? ", against the target rate" : ""
      }, and failures per second.</p><div class="chart" id="chart-throughput"></div>`
      : empty("No per-second samples: the measured part of the run lasted less than a second.")
  }
</section>
<section>
<h2>Response time over time</h2>
${
    data.series
      ? `<p class="note">Percentiles of each second's response times (from the scheduled start, so a stall shows
in every transaction scheduled during it)${
        data.series.lag ? ", and the 99th percentile of schedule lag" : ""
      }. Logarithmic scale; a second in which nothing finished is a gap.</p>
<div class="chart" id="chart-latency"></div>`
      : empty("No per-second samples.")
  }
</section>
<section>
<h2>Latency distribution</h2>
${
    data.spectrum
      ? `<p class="note">Response time at each percentile of the whole run (the percentile spectrum):
read the tail on the right.</p><div class="chart" id="chart-spectrum"></div>`
      : empty("No transaction finished, so there is no distribution to show.")
  }
</section>
<section>
<h2>Operations</h2>
${operationsTable(result)}
${data.mix ? `<div class="chart" id="chart-mix"></div>` : empty("No operation finished a transaction.")}
</section>
<section>
<h2>Errors</h2>
${errorsSection(result, data.errors !== undefined)}
</section>
</main>
<footer>Quarry ${esc(m.quarry_version)} · ${esc(result.format)}${
    result.merged_from ? ` · merged from ${result.merged_from} runs` : ""
  }</footer>
<script type="application/json" id="quarry-data">${jsonForScript(data)}</script>
<script>${inlineScript(uplotJs)}</script>
<script>${inlineScript(chartsJs)}</script>
</body>
</html>
`;
}

/** Escapes text for HTML content and attribute values. */
function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON that a `<script type="application/json">` element holds intact: `<`, `>` and `&` as `\u` escapes
 * (an SQL statement or error message containing `</script>` cannot end the element), and the two line
 * separators JavaScript once rejected in string literals.
 */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * A library's text as the content of a `<script>` element. The parser ends the element at the first
 * `</script`, and `<!--` changes how it looks for that end; in minified code both can only occur inside
 * string or regular-expression literals, where `<\/` and `<\!` mean the same. The licence banner's address
 * loses its scheme, so the page holds no URL a reader could take for a fetched resource.
 */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--").replace(/https?:\/\//g, "");
}

/** A stylesheet as the content of a `<style>` element, which only `</style` can end. */
function inlineStyle(css: string): string {
  return css.replace(/<\/(style)/gi, "<\\/$1");
}

function empty(text: string): string {
  return `<p class="empty">${esc(text)}</p>`;
}

/** Microseconds as a person reads them. */
function us(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (v < 1000) return `${Math.round(v)} µs`;
  if (v < 1e6) return `${(v / 1000).toFixed(v < 1e4 ? 2 : v < 1e5 ? 1 : 0)} ms`;
  return `${(v / 1e6).toFixed(2)} s`;
}

function count(v: number): string {
  return Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–";
}

function rate(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString("en-US", { maximumFractionDigits: 1 }) : "–";
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${(100 * part / whole).toFixed(part === whole || part === 0 ? 0 : 2)} %` : "–";
}

function seconds(s: number): string {
  if (!Number.isFinite(s)) return "–";
  if (s < 120) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return m < 120 ? `${m} min ${Math.round(s - 60 * m)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function rows(pairs: [string, string][]): string {
  return `<table class="kv">${
    pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join("")
  }</table>`;
}

function totalsCards(r: WorkloadResult): string {
  const cards: [string, string, string][] = [
    [
      "Throughput",
      `${rate(r.tps)} tps`,
      r.meta.target_tps ? `target ${rate(r.meta.target_tps)} tps` : "closed loop",
    ],
    ["Transactions", count(r.totals.attempted), `${count(r.totals.succeeded)} succeeded`],
    ["Failed", count(r.totals.failed), percent(r.totals.failed, r.totals.attempted)],
    ["Response p99", stat(r.overall.response, "p99_us"), `p50 ${stat(r.overall.response, "p50_us")}`],
    ["Response max", stat(r.overall.response, "max_us"), `p99.9 ${stat(r.overall.response, "p999_us")}`],
  ];
  return cards.map(([label, value, sub]) =>
    `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div>` +
    `<div class="subvalue">${esc(sub)}</div></div>`
  ).join("\n");
}

function metaTable(r: WorkloadResult): string {
  const m = r.meta;
  const mode = m.mode === "open"
    ? `open loop, ${esc(m.arrival ?? "constant")} arrivals${
      m.target_tps ? `, ${rate(m.target_tps)} tps` : ""
    }`
    : "closed loop (each connection sends its next transaction when the last one ends)";
  const pairs: [string, string][] = [
    ["Pattern", esc(m.pattern)],
    ["Target", esc(m.target)],
    ["Server", `PostgreSQL ${esc(m.server_version)}`],
    ["Mode", mode],
    ["Connections", count(m.connections)],
    ["Scale", esc(m.scale)],
    ["Seed", `<code>${esc(m.seed)}</code>`],
    ["Latency limit", m.latency_limit_us === undefined ? "none" : us(m.latency_limit_us)],
    ["Warm-up", `${esc(seconds(m.warmup_s))} (excluded)`],
    ["Started", esc(m.started_at)],
    ["Measured", esc(seconds(r.duration_s))],
    ["Quarry", esc(m.quarry_version)],
  ];
  if (r.merged_from) pairs.push(["Merged from", `${count(r.merged_from)} runs`]);
  return rows(pairs);
}

function totalsTable(r: WorkloadResult): string {
  const t = r.totals;
  return rows([
    ["Attempted", count(t.attempted)],
    ["Succeeded", `${count(t.succeeded)} <span class="dim">${percent(t.succeeded, t.attempted)}</span>`],
    ["Failed", `${count(t.failed)} <span class="dim">${percent(t.failed, t.attempted)}</span>`],
    ["Retries", count(t.retries)],
    ["Skipped", `${count(t.skipped)} <span class="dim">over the latency limit before sending</span>`],
    ["Late", `${count(t.late)} <span class="dim">finished over the latency limit</span>`],
    ["Reconnects", count(t.reconnects)],
    ["Throughput", `${rate(r.tps)} tps`],
    ["Goodput", `${rate(r["Goodput (requests/second)"])} tps`],
  ]);
}

function selfCheck(r: WorkloadResult): string {
  const c = r.client;
  const warn = c.saturated || c.warnings.length > 0;
  const items = c.warnings.map((w) => `<li>${esc(w)}</li>`).join("");
  return `<section class="selfcheck ${warn ? "warn" : "ok"}">
<h2>Client self-check</h2>
<p>Client CPU ${esc(c.cpu_percent.toFixed(0))} % of one core. ${
    c.saturated
      ? "<strong>The client was saturated: the numbers below measure Quarry as much as the database.</strong>"
      : "The client was not the limit."
  }</p>${items ? `<ul>${items}</ul>` : ""}
</section>`;
}

/** One figure of a latency summary; an empty histogram has none (its zeros are no measurement). */
function stat(s: LatencyStats, k: keyof LatencyStats): string {
  return s.count > 0 ? us(s[k]) : "–";
}

/** `--find-max`: the steps of the rate search this run ends, so the chosen rate can be judged. */
function findMaxSection(r: WorkloadResult): string {
  const f = r.find_max;
  if (!f) return "";
  const steps = f.steps.map((s) =>
    `<tr><td class="num">${rate(s.rate)} tps</td>` +
    `<td class="num">${rate(s.achieved)} tps</td><td class="num">${us(s.p99_us)}</td>` +
    `<td>${s.miss === undefined ? "met" : `missed: ${esc(s.miss)}`}</td></tr>`
  ).join("");
  return `<section>
<h2>Rate search</h2>
<p class="note">The highest rate meeting <code>${esc(f.slo)}</code> was ${rate(f.rate)} tps (${
    rate(f.failing)
  } tps missed it). This report is of the best passing step.</p>
<table class="steps"><thead><tr><th class="num">Target</th><th class="num">Achieved</th><th class="num">p99</th>
<th>Objective</th></tr></thead><tbody>${steps}</tbody></table>
</section>`;
}

function latencyCells(s: LatencyStats, cols: (keyof LatencyStats)[]): string {
  return cols.map((k, i) => `<td class="num${i === 0 ? " group" : ""}">${stat(s, k)}</td>`).join("");
}

const RESPONSE_COLS: (keyof LatencyStats)[] = ["p50_us", "p95_us", "p99_us", "max_us"];
const LAG_COLS: (keyof LatencyStats)[] = ["p50_us", "p99_us", "max_us"];

function operationRow(op: OperationResult, total: number, cls: string): string {
  return `<tr class="${cls}"><th>${esc(op.name)}</th><td class="num">${percent(op.attempted, total)}</td>` +
    `<td class="num">${count(op.attempted)}</td><td class="num">${count(op.succeeded)}</td>` +
    `<td class="num${op.failed > 0 ? " bad" : ""}">${count(op.failed)}</td><td class="num">${
      count(op.retries)
    }</td>` +
    `<td class="num">${count(op.skipped)}</td><td class="num">${count(op.late)}</td>` +
    latencyCells(op.response, RESPONSE_COLS) + latencyCells(op.service, RESPONSE_COLS) +
    latencyCells(op.lag, LAG_COLS) + "</tr>";
}

function operationsTable(r: WorkloadResult): string {
  const total = r.overall.attempted;
  const head =
    `<thead><tr><th rowspan="2">Operation</th><th rowspan="2">Share</th><th rowspan="2">Attempted</th>
<th rowspan="2">Succeeded</th><th rowspan="2">Failed</th><th rowspan="2">Retries</th><th rowspan="2">Skipped</th>
<th rowspan="2">Late</th><th colspan="4" class="group">Response time</th><th colspan="4" class="group">Service time</th>
<th colspan="3" class="group">Schedule lag</th></tr>
<tr>${
      ["p50", "p95", "p99", "max", "p50", "p95", "p99", "max", "p50", "p99", "max"]
        .map((h, i) => `<th class="num${i === 0 || i === 4 || i === 8 ? " group" : ""}">${h}</th>`).join("")
    }</tr></thead>`;
  const body = r.operations.map((op) => operationRow(op, total, "")).join("\n") + "\n" +
    operationRow({ ...r.overall, name: "all" }, total, "all");
  return `<p class="note">Response time runs from the scheduled start to the end, service time from sending to the
end, lag from the scheduled start to sending.</p>
<div class="scroll"><table class="ops">${head}<tbody>${body}</tbody></table></div>`;
}

function errorsSection(r: WorkloadResult, any: boolean): string {
  if (!any && r.totals.failed === 0) {
    return `<p class="noerrors">No errors: ${
      r.totals.attempted > 0 ? "every transaction that was sent succeeded" : "no transaction finished"
    }.</p>`;
  }
  const classes = Object.entries(r.errors_by_class).sort((a, b) => b[1] - a[1]);
  const codes = Object.entries(r.overall.errors).sort((a, b) => b[1].count - a[1].count);
  const classRows = classes.map(([k, n]) =>
    `<tr><td><code>${esc(k)}</code></td><td>${esc(SQLSTATE_CLASSES[k] ?? "")}</td><td class="num">${
      count(n)
    }</td></tr>`
  ).join("");
  const codeRows = codes.map(([code, e]) =>
    `<tr><td><code>${esc(code)}</code></td><td>${esc(e.class)}</td><td class="num">${count(e.count)}</td>` +
    `<td>${esc(e.message)}</td><td><code class="sql">${esc(e.statement)}</code></td></tr>`
  ).join("\n");
  return `<p class="note">${count(r.totals.failed)} transactions failed after every try (${
    percent(r.totals.failed, r.totals.attempted)
  }).</p>
<div class="pair">
<div><h3>By SQLSTATE class</h3>${any ? `<div class="chart" id="chart-error-classes"></div>` : ""}
<table class="errors"><thead><tr><th>Class</th><th>Name</th><th class="num">Failures</th></tr></thead>
<tbody>${classRows}</tbody></table></div>
<div><h3>By SQLSTATE</h3>${any ? `<div class="chart" id="chart-error-codes"></div>` : ""}</div>
</div>
<h3>First failure of each SQLSTATE</h3>
<div class="scroll"><table class="errors"><thead><tr><th>SQLSTATE</th><th>Kind</th><th class="num">Failures</th>
<th>Message</th><th>Statement</th></tr></thead><tbody>${codeRows}</tbody></table></div>`;
}

/** PostgreSQL's names of the SQLSTATE classes (the manual's Appendix A), for the errors table. */
const SQLSTATE_CLASSES: Record<string, string> = {
  "01": "warning",
  "02": "no data",
  "03": "SQL statement not yet complete",
  "08": "connection exception",
  "09": "triggered action exception",
  "0A": "feature not supported",
  "0B": "invalid transaction initiation",
  "0L": "invalid grantor",
  "0P": "invalid role specification",
  "21": "cardinality violation",
  "22": "data exception",
  "23": "integrity constraint violation",
  "24": "invalid cursor state",
  "25": "invalid transaction state",
  "26": "invalid SQL statement name",
  "27": "triggered data change violation",
  "28": "invalid authorization specification",
  "2B": "dependent privilege descriptors still exist",
  "2D": "invalid transaction termination",
  "2F": "SQL routine exception",
  "34": "invalid cursor name",
  "38": "external routine exception",
  "39": "external routine invocation exception",
  "3B": "savepoint exception",
  "3D": "invalid catalog name",
  "3F": "invalid schema name",
  "40": "transaction rollback",
  "42": "syntax error or access rule violation",
  "44": "WITH CHECK OPTION violation",
  "53": "insufficient resources",
  "54": "program limit exceeded",
  "55": "object not in prerequisite state",
  "57": "operator intervention",
  "58": "system error",
  "72": "snapshot failure",
  "F0": "configuration file error",
  "HV": "foreign data wrapper error",
  "P0": "PL/pgSQL error",
  "XX": "internal error",
};

/** The page's own style: system fonts only, so nothing is fetched. */
const PAGE_CSS = `
:root { --fg: #111827; --dim: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f9fafb; --bad: #b91c1c;
  --good: #15803d; --warn-bg: #fffbeb; --warn-line: #f59e0b; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI",
  Roboto, "Helvetica Neue", Arial, sans-serif; }
header { padding: 20px 32px 12px; border-bottom: 1px solid var(--line); background: var(--panel); }
h1 { font-size: 22px; margin: 0 0 4px; font-weight: 600; }
h2 { font-size: 17px; margin: 0 0 8px; font-weight: 600; }
h3 { font-size: 14px; margin: 12px 0 6px; font-weight: 600; }
.sub, .note, .dim, footer { color: var(--dim); }
.note { margin: 0 0 8px; max-width: 90ch; }
main { padding: 16px 32px 32px; max-width: 1400px; }
section { margin: 0 0 28px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 170px; background: var(--panel); }
.card .label { color: var(--dim); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .subvalue { color: var(--dim); font-size: 12px; }
.tables, .pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 24px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.kv th { font-weight: 500; color: var(--dim); white-space: nowrap; }
thead th { font-weight: 600; background: var(--panel); white-space: nowrap; }
.num { text-align: right; white-space: nowrap; }
.group { border-left: 2px solid var(--line); }
th.group { text-align: center; }
tr.all th, tr.all td { font-weight: 600; border-top: 2px solid var(--line); }
td.bad { color: var(--bad); }
.scroll { overflow-x: auto; }
table.ops { font-size: 13px; }
table.ops th, table.ops td { padding: 4px 7px; }
code { font: 12px ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
code.sql { display: block; max-width: 60ch; white-space: pre-wrap; word-break: break-word; }
.chart { width: 100%; min-height: 40px; margin-top: 8px; }
.empty { color: var(--dim); font-style: italic; padding: 16px; border: 1px dashed var(--line); border-radius: 6px; }
.noerrors { color: var(--good); font-weight: 600; padding: 12px 16px; border: 1px solid #bbf7d0; border-radius: 6px;
  background: #f0fdf4; }
.selfcheck { padding: 12px 16px; border-radius: 8px; border: 1px solid var(--line); }
.selfcheck.warn { background: var(--warn-bg); border-color: var(--warn-line); }
.selfcheck p { margin: 0; }
.selfcheck ul { margin: 6px 0 0; padding-left: 20px; }
footer { padding: 12px 32px 24px; font-size: 12px; }
.uplot { font-family: inherit; }
`;
