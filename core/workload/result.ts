/**
 * What a `quarry workload run` produces, as one JSON-able value: the
 * contract between the runner (which records), the live view, the summary,
 * `--json`, the HTML report, `workload merge` and `workload diff`.
 *
 * Three latencies are kept for every transaction, all in microseconds:
 * - **response**: from the transaction's *intended* start (its slot in the
 *   arrival schedule) to its end: what a user of the application waits, so
 *   a stall of the database shows up in every transaction scheduled during
 *   it (no coordinated omission);
 * - **service**: from when it was actually sent to its end: what the
 *   database took;
 * - **lag**: from the intended start to the actual one: how far the client
 *   fell behind its schedule.
 * In a closed loop (no target rate) the intended start is the actual start,
 * so response equals service and lag is zero.
 *
 * Top-level fields whose names are quoted strings ("Throughput
 * (requests/second)" …) are named as BenchBase's summary names the same
 * measure, so tools that read BenchBase summaries read these too.
 *
 * @module
 */

/** Percentiles of one latency histogram, in microseconds. */
export interface LatencyStats {
  count: number;
  min_us: number;
  mean_us: number;
  p50_us: number;
  p95_us: number;
  p99_us: number;
  p999_us: number;
  max_us: number;
}

/** The first failure seen of one SQLSTATE. */
export interface ErrorSample {
  count: number;
  /** How core/exec/classify.ts judges the SQLSTATE ("expected/integrity", "generator_bug"…). */
  class: string;
  message: string;
  /** The statement that failed, with its parameters (trimmed). */
  statement: string;
}

/** HdrHistogram's standard compressed encoding (base64), as `hdr-histogram-js` `encodeIntoCompressedBase64` writes it. */
export type EncodedHistogram = string;

/** Counts and latencies of one transaction kind, or of all ("all"). */
export interface OperationResult {
  name: string;
  /** Transactions whose outcome is known (succeeded + failed). */
  attempted: number;
  succeeded: number;
  /** Failed after every try. */
  failed: number;
  /** Tries beyond the first (40001 / 40P01 retried up to --max-tries). */
  retries: number;
  /** Not sent because they were already later than --latency-limit when their turn came. */
  skipped: number;
  /** Finished, but with a response time above --latency-limit. */
  late: number;
  response: LatencyStats;
  service: LatencyStats;
  lag: LatencyStats;
  histograms: { response: EncodedHistogram; service: EncodedHistogram; lag: EncodedHistogram };
  /** By SQLSTATE. */
  errors: Record<string, ErrorSample>;
}

/** One second of the run (warm-up excluded), as the per-second series. */
export interface SecondSample {
  /** Seconds since the measured part began: this sample covers [t - 1, t). */
  t: number;
  /** Transactions finished in this second (succeeded or failed). */
  tps: number;
  /** The target rate in this second (absent in a closed loop). */
  target?: number;
  succeeded: number;
  failed: number;
  /** Response-time percentiles of this second's transactions, µs (0 when none finished). */
  p50_us: number;
  p95_us: number;
  p99_us: number;
  max_us: number;
  /** 99th percentile of schedule lag in this second, µs. */
  lag_p99_us: number;
}

/** A run's configuration, as far as a reader of the result needs it. */
export interface RunMeta {
  /** Pattern name, or the config file's name for a custom workload. */
  pattern: string;
  /** The database, without password ("pglite", "postgres://user@host:port/db"). */
  target: string;
  /** PostgreSQL's version string (`SHOW server_version`). */
  server_version: string;
  connections: number;
  scale: number;
  /** The seed as `quarry` prints it (hex). */
  seed: string;
  mode: "open" | "closed";
  arrival?: "constant" | "poisson";
  /** Transactions per second asked for (open loop). */
  target_tps?: number;
  /** --latency-limit, µs. */
  latency_limit_us?: number;
  /** Seconds of warm-up excluded from everything below. */
  warmup_s: number;
  /** Wall-clock start of the measured part (ISO 8601). */
  started_at: string;
  /** Quarry's version. */
  quarry_version: string;
}

/** Everything a run measured. */
export interface WorkloadResult {
  format: "quarry-workload/1";
  meta: RunMeta;
  /** Seconds the measured part lasted. */
  duration_s: number;
  totals: {
    attempted: number;
    succeeded: number;
    failed: number;
    skipped: number;
    late: number;
    retries: number;
    /** Connections lost and opened again during the run. */
    reconnects: number;
  };
  /** attempted / duration_s. */
  tps: number;
  /** The overall histogram ("all") and one per transaction kind, in the pattern's order. */
  overall: OperationResult;
  operations: OperationResult[];
  series: SecondSample[];
  /** Failures by SQLSTATE class ("40" → count). */
  errors_by_class: Record<string, number>;
  /** The self-check: when the client, not the database, was the limit. */
  client: {
    /** Client CPU over the run, percent of one core. */
    cpu_percent: number;
    saturated: boolean;
    warnings: string[];
  };
  /** `--find-max`: the search that chose this run's rate (this run is its best passing step). */
  find_max?: {
    slo: string;
    /** The highest rate that met the objective, and the lowest that did not. */
    rate: number;
    failing: number;
    /** Every step, confirmations of a miss included; `seconds` is short of the step when its miss was certain early. */
    steps: { rate: number; achieved: number; p99_us: number; seconds?: number; miss: string | undefined }[];
  };
  /** Runs this one was merged from (workload merge), else absent. */
  merged_from?: number;

  // BenchBase's names for the same measures.
  "Benchmark Type": string;
  "DBMS Type": "postgres";
  "DBMS Version": string;
  "Start timestamp (milliseconds)": number;
  "Elapsed Time (nanoseconds)": number;
  "Measured Requests": number;
  "Throughput (requests/second)": number;
  /** Successful transactions per second. */
  "Goodput (requests/second)": number;
  terminals: number;
  scalefactor: number;
  /** Of the response time ("all"), µs. */
  "Latency Distribution": {
    "Minimum Latency (microseconds)": number;
    "25th Percentile Latency (microseconds)": number;
    "Median Latency (microseconds)": number;
    "75th Percentile Latency (microseconds)": number;
    "90th Percentile Latency (microseconds)": number;
    "95th Percentile Latency (microseconds)": number;
    "99th Percentile Latency (microseconds)": number;
    "Maximum Latency (microseconds)": number;
    "Average Latency (microseconds)": number;
  };
}

/** What the live view and the Prometheus endpoint read while a run goes on. */
export interface LiveSnapshot {
  /** Seconds since the measured part began (negative during warm-up). */
  elapsed_s: number;
  /** The run's length when known: seconds (--duration) or transactions (--transactions). */
  planned?: { seconds: number } | { transactions: number };
  warming_up: boolean;
  /** The last full second. */
  last: SecondSample | undefined;
  totals: WorkloadResult["totals"];
  /** Finished transactions per kind since the start (mix). */
  mix: Record<string, number>;
  /** Up to 5 most recent failures: SQLSTATE and message. */
  recent_errors: { code: string; message: string }[];
  /** Since the start of the measured part. */
  overall: { p50_us: number; p95_us: number; p99_us: number; max_us: number };
}
