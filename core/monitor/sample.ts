/**
 * What `generate`'s monitoring reports once an interval: one
 * {@link MonitorSample}, the same object for the terminal line, the JSON
 * lines of `--metrics-file` and the Prometheus endpoint. Its JSON form is a
 * stable contract (`schema` names its version; see `metrics_schema.ts`):
 * fields are only ever added, and a change of meaning takes a new version.
 *
 * @module
 */

/** The version of the sample's JSON form, in every line's `schema` field. */
export const METRICS_SCHEMA_ID = "quarry.generate.metrics/1";

/** One worker's share of the interval. */
export interface WorkerFigures {
  /** The worker's number, from 0 (the calling thread of a small run is worker 0). */
  worker: number;
  /** Statements of this worker's blocks this process has written so far. */
  statements: number;
  /** Of them, per second over the sample's interval. */
  statements_per_s: number;
}

/** Uniqueness figures. */
export interface UniqueFigures {
  /** `--unique`: none, structural, bloom or exact. */
  mode: string;
  /** Attempts the filter rejected as seen before and replaced by a fresh attempt, so far. */
  replaced: number;
  /** Indices given up on after every attempt was rejected, so far. */
  exhausted: number;
  /** Rejected attempts over all attempts in the interval (0 without a filter). */
  replaced_ratio: number;
  /** Estimated share of the filter in use (bloom: bits set; exact: slots), or null without a filter. */
  filter_fill: number | null;
  /** The false-positive rate a new statement meets now (bloom), or null. */
  false_positive_rate: number | null;
}

/** An alert that fired on this sample. */
export interface FiredAlert {
  /** rate_below, rss_above or replaced_above. */
  alert: string;
  /** The threshold as configured (statements/s, bytes, or a ratio). */
  threshold: number;
  /** The value that crossed it. */
  value: number;
  fatal: boolean;
  /** Where the rule was written, `file:line:column`, when it came from a file. */
  origin: string | null;
  /** One line saying what happened. */
  message: string;
}

/** One interval's figures; `kind: "final"` closes a run with its whole-run averages. */
export interface MonitorSample {
  schema: typeof METRICS_SCHEMA_ID;
  /** "interval" every --metrics-interval, "final" once at the end. */
  kind: "interval" | "final";
  /** How the run ended (final only; null on interval samples). */
  outcome: "completed" | "interrupted" | "alert" | "failed" | null;
  /** Wall-clock time of the sample, ISO 8601 UTC. */
  time: string;
  /** Seconds since this process began generating. */
  elapsed_s: number;
  /** Seconds the rates below are over (the whole run on the final sample). */
  interval_s: number;
  /** Statements written by the run so far (a resumed run counts those before the resume too). */
  statements: number;
  /** Statements the run (or shard) is to write. */
  planned: number;
  /** SQL bytes written so far (before compression), on the same terms as `statements`. */
  bytes: number;
  statements_per_s: number;
  /** Megabytes (10^6 bytes) of SQL per second. */
  mb_per_s: number;
  /** Resident set size of the process, in bytes. */
  rss_bytes: number;
  unique: UniqueFigures;
  workers: WorkerFigures[];
  /** Alerts that fired on this sample. */
  alerts: FiredAlert[];
}
