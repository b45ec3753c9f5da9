/**
 * The counters behind {@link MonitorSample}: fed by the engine's progress
 * callback (totals after each chunk, and the worker whose chunk it was),
 * read once an interval into a sample of rates over that interval. Pure:
 * the time and the resident set size are passed in.
 *
 * @module
 */
import { type FilterPlan, filterState } from "../engine/uniqueness.ts";
import { FILTER_BLOOM, FILTER_EXACT } from "../../wasm/opcodes.ts";
import { METRICS_SCHEMA_ID, type MonitorSample, type UniqueFigures } from "./sample.ts";

/** Options of {@link RunMeter}. */
export interface MeterOptions {
  /** The run's filter (its mode, and its size for the fill estimate). */
  filter: FilterPlan;
  /** Statements the run (or shard) is to write, counting any written before a resume. */
  planned: number;
  /** Statements and bytes written before this process began (a resumed run). */
  before?: { statements: number; bytes: number };
  /** Worker threads, so that each has its figures from the first sample on. */
  workers: number;
  /** performance.now() when generation began. */
  startMs: number;
}

/** The figures at one point in time, to take differences from. */
interface Mark {
  ms: number;
  statements: number;
  bytes: number;
  rejected: number;
  perWorker: number[];
}

/**
 * Counts a run and turns the counts into samples.
 *
 * @example Two chunks, one sample
 * ```ts
 * import { RunMeter } from "./meter.ts";
 * import { planNone } from "../engine/uniqueness.ts";
 * const m = new RunMeter({ filter: planNone("structural"), planned: 100, workers: 2, startMs: 0 });
 * m.record(40, 4000, 0, 0, 0);
 * m.record(60, 6000, 0, 0, 1);
 * const s = m.sample(2000, 50e6, "interval");
 * if (s.statements_per_s !== 30 || s.workers[1]!.statements !== 20) throw new Error(JSON.stringify(s));
 * ```
 */
export class RunMeter {
  readonly #o: MeterOptions;
  #statements = 0;
  #bytes = 0;
  #rejected = 0;
  #exhausted = 0;
  readonly #perWorker: number[];
  #last: Mark;

  constructor(o: MeterOptions) {
    this.#o = o;
    this.#perWorker = new Array<number>(Math.max(1, o.workers)).fill(0);
    this.#last = { ms: o.startMs, statements: 0, bytes: 0, rejected: 0, perWorker: [...this.#perWorker] };
  }

  /**
   * The engine's progress callback: totals of this process so far, and the
   * worker whose chunk was just written.
   */
  record(statements: number, bytes: number, rejected: number, exhausted: number, worker = 0): void {
    while (worker >= this.#perWorker.length) this.#perWorker.push(0);
    this.#perWorker[worker]! += statements - this.#statements;
    this.#statements = statements;
    this.#bytes = bytes;
    this.#rejected = rejected;
    this.#exhausted = exhausted;
  }

  /**
   * The figures since the last sample (for `final`: since the start), and
   * starts the next interval.
   *
   * @param nowMs performance.now() of the sample.
   * @param rssBytes The process's resident set size.
   */
  sample(nowMs: number, rssBytes: number, kind: "interval" | "final"): MonitorSample {
    const from: Mark = kind === "final"
      ? { ms: this.#o.startMs, statements: 0, bytes: 0, rejected: 0, perWorker: this.#perWorker.map(() => 0) }
      : this.#last;
    const seconds = Math.max(1e-3, (nowMs - from.ms) / 1000);
    const statements = this.#statements - from.statements;
    const rejected = this.#rejected - from.rejected;
    const before = this.#o.before ?? { statements: 0, bytes: 0 };
    const sample: MonitorSample = {
      schema: METRICS_SCHEMA_ID,
      kind,
      outcome: null,
      time: new Date().toISOString(),
      elapsed_s: round((nowMs - this.#o.startMs) / 1000, 3),
      interval_s: round(seconds, 3),
      statements: before.statements + this.#statements,
      planned: this.#o.planned,
      bytes: before.bytes + this.#bytes,
      statements_per_s: round(statements / seconds, 1),
      mb_per_s: round((this.#bytes - from.bytes) / seconds / 1e6, 3),
      rss_bytes: rssBytes,
      unique: this.#unique(statements + rejected > 0 ? rejected / (statements + rejected) : 0),
      workers: this.#perWorker.map((n, worker) => ({
        worker,
        statements: n,
        statements_per_s: round((n - (from.perWorker[worker] ?? 0)) / seconds, 1),
      })),
      alerts: [],
    };
    if (kind === "interval") {
      this.#last = {
        ms: nowMs,
        statements: this.#statements,
        bytes: this.#bytes,
        rejected: this.#rejected,
        perWorker: [...this.#perWorker],
      };
    }
    return sample;
  }

  #unique(replacedRatio: number): UniqueFigures {
    const f = this.#o.filter;
    const inserted = (this.#o.before?.statements ?? 0) + this.#statements;
    const hasFilter = f.code === FILTER_BLOOM || f.code === FILTER_EXACT;
    return {
      mode: f.mode,
      replaced: this.#rejected,
      exhausted: this.#exhausted,
      replaced_ratio: round(replacedRatio, 6),
      filter_fill: hasFilter ? round(estimatedFill(f, inserted), 6) : null,
      false_positive_rate: f.code === FILTER_BLOOM ? filterState(f, 0, inserted).falsePositiveRate : null,
    };
  }
}

/**
 * The share of a filter in use after `inserted` statements, estimated
 * without reading the filter (a count of its bits would hold up the
 * writer): an exact table takes a slot per statement; a bloom statement
 * sets k random bits of one word, and the words' loads are Poisson, so a
 * bit stays clear with probability exp(λ((63/64)^k − 1)) at λ statements
 * a word.
 */
export function estimatedFill(filter: FilterPlan, inserted: number): number {
  if (filter.slots <= 0) return 0;
  if (filter.code === FILTER_BLOOM) {
    return 1 - Math.exp((inserted / filter.slots) * (Math.pow(63 / 64, filter.k) - 1));
  }
  return Math.min(1, inserted / filter.slots);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
