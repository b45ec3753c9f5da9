/**
 * The numbers behind the HTML report's charts, computed in Deno so the page
 * needs nothing but uPlot: per-second columns, the percentile spectrum
 * decoded from the encoded HdrHistograms (hdr-histogram-js stays out of the
 * browser), the operation mix and the error counts.
 *
 * @module
 */
import { decodeFromCompressedBase64 } from "hdr-histogram-js";
import type { OperationResult, WorkloadResult } from "./result.ts";

/** Column-oriented chart data, as uPlot takes it; latencies in milliseconds, `null` where there is none. */
export interface ReportData {
  /** Per-second columns; absent when the run has no samples. */
  series?: {
    t: number[];
    tps: number[];
    failed: number[];
    /** Absent in a closed loop. */
    target?: (number | null)[];
    p50: (number | null)[];
    p95: (number | null)[];
    p99: (number | null)[];
    max: (number | null)[];
    /** Absent when the schedule never lagged (closed loop). */
    lag?: (number | null)[];
  };
  /** Response time against 1 / (1 - quantile); absent when nothing finished. */
  spectrum?: { x: number[]; lines: { name: string; y: (number | null)[] }[] };
  /** Absent when no operation finished a transaction. */
  mix?: { names: string[]; succeeded: number[]; failed: number[] };
  /** Absent when nothing failed. */
  errors?: { classes: string[]; classCounts: number[]; codes: string[]; codeCounts: number[] };
}

/** Points per decade of the spectrum's x axis: enough for a smooth line, few enough to stay small. */
const SPECTRUM_STEPS = 24;
/** The spectrum stops at 99.9999 %: beyond, a run's histogram has no more resolution to show. */
const SPECTRUM_MAX_X = 1e6;
/** More lines than this make the spectrum unreadable; the overall line is always drawn. */
const SPECTRUM_MAX_OPERATIONS = 8;

/**
 * Computes the report's chart data from a finished run.
 *
 * @param result The run, as `quarry workload run` wrote it.
 * @returns Column arrays for each chart, absent for charts that would be empty.
 *
 * @example The spectrum of a two-transaction run
 * ```ts
 * import { reportData } from "./report_data.ts";
 * import { WorkloadRecorder } from "./recorder.ts";
 *
 * const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 * rec.done(0, 10, 10, 12);
 * rec.done(0, 500, 500, 503);
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 1, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2025-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const data = reportData(rec.result(meta, 1000, { cpu_percent: 1, saturated: false, warnings: [] }));
 * // Two transactions resolve up to the 50th percentile, where the line ends at the maximum, 3 ms (as
 * // the histogram's bucket holding it reads: 3.001).
 * const all = data.spectrum?.lines[0];
 * if (all?.name !== "all" || all.y.at(-1) !== 3.001 || data.errors !== undefined) {
 *   throw new Error("unexpected data");
 * }
 * ```
 */
export function reportData(result: WorkloadResult): ReportData {
  const data: ReportData = {};
  const series = seriesData(result);
  if (series) data.series = series;
  const spectrum = spectrumData(result);
  if (spectrum) data.spectrum = spectrum;
  const ops = result.operations.filter((op) => op.attempted > 0);
  if (ops.length > 0) {
    data.mix = {
      names: ops.map((op) => op.name),
      succeeded: ops.map((op) => op.succeeded),
      failed: ops.map((op) => op.failed),
    };
  }
  const classes = Object.entries(result.errors_by_class).filter(([, n]) => n > 0).sort(byCountThenKey);
  const codes = Object.entries(result.overall.errors).map(([code, e]) => [code, e.count] as [string, number])
    .filter(([, n]) => n > 0).sort(byCountThenKey);
  if (classes.length > 0 || codes.length > 0) {
    data.errors = {
      classes: classes.map(([k]) => k),
      classCounts: classes.map(([, n]) => n),
      codes: codes.map(([k]) => k),
      codeCounts: codes.map(([, n]) => n),
    };
  }
  return data;
}

function byCountThenKey(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
}

/** Microseconds to milliseconds; a second in which nothing finished has no latency, not a latency of 0. */
function ms(us: number, finished: boolean): number | null {
  return finished && Number.isFinite(us) ? us / 1000 : null;
}

function seriesData(result: WorkloadResult): ReportData["series"] {
  const s = result.series;
  if (s.length === 0) return undefined;
  const out: NonNullable<ReportData["series"]> = {
    t: s.map((x) => x.t),
    tps: s.map((x) => x.tps),
    failed: s.map((x) => x.failed),
    p50: s.map((x) => ms(x.p50_us, x.tps > 0)),
    p95: s.map((x) => ms(x.p95_us, x.tps > 0)),
    p99: s.map((x) => ms(x.p99_us, x.tps > 0)),
    max: s.map((x) => ms(x.max_us, x.tps > 0)),
  };
  if (s.some((x) => x.target !== undefined)) out.target = s.map((x) => x.target ?? null);
  // Lag is drawn on the same logarithmic axis as response time, where 0 has no place: a second without
  // lag is a gap, and a run that never lagged (a closed loop) has no lag line at all.
  if (s.some((x) => x.lag_p99_us > 0)) out.lag = s.map((x) => ms(x.lag_p99_us, x.lag_p99_us > 0));
  return out;
}

/** Percentile points of one encoded histogram, `null` past what its count can resolve; undefined if empty. */
function spectrumLine(encoded: string, xs: number[]): (number | null)[] | undefined {
  if (encoded === "") return undefined;
  let h;
  try {
    h = decodeFromCompressedBase64(encoded, 64);
  } catch {
    // A report is still worth having when one histogram is unreadable: that chart line is left out.
    return undefined;
  }
  try {
    const n = h.totalCount;
    if (n === 0) return undefined;
    const last = Math.min(n, SPECTRUM_MAX_X);
    let ended = false;
    return xs.map((x) => {
      if (ended) return null;
      // The first point at or past what the count resolves is the maximum itself, so the line ends where
      // the run did.
      if (x >= last * 0.9999999) {
        ended = true;
        return h.maxValue / 1000;
      }
      return h.getValueAtPercentile(100 - 100 / x) / 1000;
    });
  } finally {
    h.destroy();
  }
}

function spectrumData(result: WorkloadResult): ReportData["spectrum"] {
  const n = result.overall.response.count;
  if (n === 0) return undefined;
  const last = Math.min(Math.max(n, 1), SPECTRUM_MAX_X);
  const xs: number[] = [];
  for (let k = 0; 10 ** (k / SPECTRUM_STEPS) < last; k++) xs.push(10 ** (k / SPECTRUM_STEPS));
  xs.push(last);
  const overall = spectrumLine(result.overall.histograms.response, xs);
  if (!overall) return undefined;
  const lines = [{ name: "all", y: overall }];
  const ops: OperationResult[] = result.operations.filter((op) => op.response.count > 0);
  if (ops.length > 1 && ops.length <= SPECTRUM_MAX_OPERATIONS) {
    for (const op of ops) {
      const y = spectrumLine(op.histograms.response, xs);
      if (y) lines.push({ name: op.name, y });
    }
  }
  return { x: xs, lines };
}
