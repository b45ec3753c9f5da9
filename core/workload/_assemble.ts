/**
 * What the recorder and `workload merge` share: the histogram every latency
 * is kept in, and the assembly of a {@link WorkloadResult} from histograms
 * and counters, so a merged result is built exactly as a recorded one.
 *
 * @module
 */
import { build, encodeIntoCompressedBase64, type Histogram } from "hdr-histogram-js";
import type {
  ErrorSample,
  LatencyStats,
  OperationResult,
  RunMeta,
  SecondSample,
  WorkloadResult,
} from "./result.ts";

/** The largest latency a histogram tracks, in µs: one hour. Longer ones are recorded as one hour. */
export const HIGHEST_US = 3_600_000_000;

/** Significant decimal digits every histogram keeps (0.1% resolution). */
export const SIGNIFICANT_DIGITS = 3;

/** The histogram options (see {@link newHistogram}). */
export const HISTOGRAM = {
  lowestDiscernibleValue: 1,
  highestTrackableValue: HIGHEST_US,
  numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
  // 64-bit counts: a closed loop puts every lag in one bucket, which 32-bit
  // counts would overflow after a day at 50,000 transactions per second.
  bitBucketSize: 64,
  autoResize: false,
} as const;

/**
 * A histogram as every part of Quarry keeps latencies: 1 µs to one hour,
 * {@link SIGNIFICANT_DIGITS} significant digits, 64-bit counts, in the plain
 * JavaScript build of hdr-histogram-js (garbage-collected, unlike the
 * WebAssembly one, so right for everything but the recorder's hot path).
 *
 * @returns An empty histogram.
 */
export function newHistogram(): Histogram {
  return build(HISTOGRAM);
}

/**
 * Milliseconds (fractional, as `performance.now()` differences are) to whole
 * microseconds for a histogram: rounded, at least `min`, at most one hour.
 *
 * @param ms The duration in milliseconds.
 * @param min The smallest result: 1 for response and service times (a
 *   transaction takes some time; 0 would only be rounding), 0 for lag (in a
 *   closed loop a transaction starts exactly when intended).
 * @returns Microseconds.
 */
export function toMicros(ms: number, min: number): number {
  const us = Math.round(ms * 1000);
  return us < min ? min : us > HIGHEST_US ? HIGHEST_US : us;
}

/**
 * The summary of one histogram. Minimum and maximum are read from the
 * buckets (lowest and highest equivalent value), not from the exact values
 * recorded, so that a histogram decoded from its encoding, or merged from
 * parts, gives the same numbers as the one that recorded them.
 *
 * @param h The histogram.
 * @returns Its count and percentiles in µs (all 0 when empty).
 */
export function latencyStats(h: Histogram): LatencyStats {
  const count = h.totalCount;
  if (count === 0) {
    return { count: 0, min_us: 0, mean_us: 0, p50_us: 0, p95_us: 0, p99_us: 0, p999_us: 0, max_us: 0 };
  }
  return {
    count,
    min_us: h.getValueAtPercentile(0),
    mean_us: Math.round(h.mean * 10) / 10,
    p50_us: h.getValueAtPercentile(50),
    p95_us: h.getValueAtPercentile(95),
    p99_us: h.getValueAtPercentile(99),
    p999_us: h.getValueAtPercentile(99.9),
    max_us: h.getValueAtPercentile(100),
  };
}

/** What {@link assembleResult} needs beyond the histogram of all response times. */
export interface ResultParts {
  meta: RunMeta;
  duration_s: number;
  totals: WorkloadResult["totals"];
  overall: OperationResult;
  operations: OperationResult[];
  series: SecondSample[];
  client: WorkloadResult["client"];
  merged_from?: number;
  /** The rates, when they are not counts / duration_s: a merge sums its parts' rates. */
  rates?: { tps: number; goodput: number };
}

/**
 * A {@link WorkloadResult} from its parts: the rates, failures by SQLSTATE
 * class and BenchBase's summary fields are derived here, once, for both the
 * recorder and `workload merge`.
 *
 * @param parts The measured parts.
 * @param response The histogram of every response time (for BenchBase's
 *   quartiles, which {@link LatencyStats} does not keep).
 * @returns The result.
 */
export function assembleResult(parts: ResultParts, response: Histogram): WorkloadResult {
  const { meta, duration_s, totals, overall } = parts;
  const perSecond = (n: number) => duration_s > 0 ? n / duration_s : 0;
  const tps = parts.rates?.tps ?? perSecond(totals.attempted);
  const errorsByClass: Record<string, number> = {};
  for (const [code, e] of Object.entries(overall.errors)) {
    const cls = code.slice(0, 2);
    errorsByClass[cls] = (errorsByClass[cls] ?? 0) + e.count;
  }
  const pct = (p: number) => response.totalCount === 0 ? 0 : response.getValueAtPercentile(p);
  const started = Date.parse(meta.started_at);
  const result: WorkloadResult = {
    format: "quarry-workload/1",
    meta,
    duration_s,
    totals,
    tps,
    overall,
    operations: parts.operations,
    series: parts.series,
    errors_by_class: errorsByClass,
    client: parts.client,
    "Benchmark Type": meta.pattern,
    "DBMS Type": "postgres",
    "DBMS Version": meta.server_version,
    "Start timestamp (milliseconds)": Number.isNaN(started) ? 0 : started,
    "Elapsed Time (nanoseconds)": Math.round(duration_s * 1e9),
    "Measured Requests": totals.attempted,
    "Throughput (requests/second)": tps,
    "Goodput (requests/second)": parts.rates?.goodput ?? perSecond(totals.succeeded),
    terminals: meta.connections,
    scalefactor: meta.scale,
    // BenchBase writes whole microseconds, its average included.
    "Latency Distribution": {
      "Minimum Latency (microseconds)": pct(0),
      "25th Percentile Latency (microseconds)": pct(25),
      "Median Latency (microseconds)": pct(50),
      "75th Percentile Latency (microseconds)": pct(75),
      "90th Percentile Latency (microseconds)": pct(90),
      "95th Percentile Latency (microseconds)": pct(95),
      "99th Percentile Latency (microseconds)": pct(99),
      "Maximum Latency (microseconds)": pct(100),
      "Average Latency (microseconds)": response.totalCount === 0 ? 0 : Math.round(response.mean),
    },
  };
  if (parts.merged_from !== undefined) result.merged_from = parts.merged_from;
  return result;
}

/** The counters of one transaction kind (or of all). */
export interface OperationCounts {
  succeeded: number;
  failed: number;
  retries: number;
  skipped: number;
  late: number;
}

/**
 * One kind's (or all kinds') result from its counters and histograms:
 * the summaries and encodings of the histograms, the failures copied.
 *
 * @param name The kind, or "all".
 * @param counts Its counters.
 * @param histograms Response, service and lag times.
 * @param errors Its failures by SQLSTATE.
 * @returns The result.
 */
export function operationResult(
  name: string,
  counts: OperationCounts,
  [response, service, lag]: readonly [Histogram, Histogram, Histogram],
  errors: Iterable<[string, ErrorSample]>,
): OperationResult {
  return {
    name,
    attempted: counts.succeeded + counts.failed,
    succeeded: counts.succeeded,
    failed: counts.failed,
    retries: counts.retries,
    skipped: counts.skipped,
    late: counts.late,
    response: latencyStats(response),
    service: latencyStats(service),
    lag: latencyStats(lag),
    histograms: {
      response: encodeIntoCompressedBase64(response),
      service: encodeIntoCompressedBase64(service),
      lag: encodeIntoCompressedBase64(lag),
    },
    errors: Object.fromEntries([...errors].map(([code, e]) => [code, { ...e }])),
  };
}
