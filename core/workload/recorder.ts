/**
 * The recording side of `quarry workload run`: every finished, skipped or
 * retried transaction goes into {@link WorkloadRecorder}, which keeps
 * HdrHistograms of the three latencies (response, service, lag; see
 * result.ts) per transaction kind, the per-second series, the failures by
 * SQLSTATE, and turns them into a {@link WorkloadResult} at the end.
 *
 * Pure: no host calls. Times are `performance.now()` milliseconds, passed
 * in by the runner, so tests drive the recorder with made-up clocks.
 *
 * @module
 */
import { build, type Histogram, initWebAssemblySync } from "hdr-histogram-js";
import { classifyError, type Family, verdictLabel } from "../exec/classify.ts";
import { assembleResult, HISTOGRAM, operationResult, toMicros } from "./_assemble.ts";
import type { ErrorSample, LiveSnapshot, RunMeta, SecondSample, WorkloadResult } from "./result.ts";

/** How many of a failure's message and statement characters a result keeps. */
const MESSAGE_CHARS = 500;
const STATEMENT_CHARS = 300;

/** Failures the live view lists. */
const RECENT_ERRORS = 5;

/**
 * Seconds the recorder keeps open at once (a power of two). A transaction
 * is binned by the second it finished in; a second closes when a tick (or a
 * later finish) shows it is over, and room for several keeps a runner that
 * ticks late from forcing a close on every finish.
 */
const OPEN_SECONDS = 4;

/**
 * The last second of a run enters the series only when at least this much
 * of it was measured; a sliver (the few transactions draining after the
 * schedule ended) would read as a collapse of the rate.
 */
const LAST_SECOND_MIN_FRACTION = 0.99;

let wasmReady = false;

/**
 * A histogram like `newHistogram()` (_assemble.ts) in the WebAssembly build, which
 * records a value in about 15 ns against 30 to 50 for the JavaScript one
 * (bench/workload_recorder_bench.ts), so `done()` costs about 130 ns instead
 * of 330. Its memory lives in the module and is freed only by `destroy()`.
 * The module compiles synchronously (about 10 ms) on first use, not on
 * import, so commands that never record pay nothing.
 */
function recordingHistogram(): Histogram {
  if (!wasmReady) {
    initWebAssemblySync();
    wasmReady = true;
  }
  return build({ ...HISTOGRAM, useWebAssembly: true });
}

/** Frees a collected recorder's WebAssembly histograms. */
const release = new FinalizationRegistry<Histogram[]>((histograms) => {
  for (const h of histograms) h.destroy();
});

/** Options of {@link WorkloadRecorder}. */
export interface RecorderOptions {
  /** Transaction kinds, in the pattern's order; `done(op, …)` indexes this. */
  operations: readonly string[];
  /** When the run started (`performance.now()` ms). */
  startMs: number;
  /** The target rate at the start (open loop); absent in a closed loop. */
  targetTps?: number;
  /** --latency-limit in µs: finished transactions slower than this count as late. */
  latencyLimitUs?: number;
  /** The end of the warm-up (`performance.now()` ms); the measured part starts there. */
  warmupUntilMs?: number;
  /**
   * Measured responses slower than this (µs) are counted in {@link WorkloadRecorder.over}: how
   * `--find-max` learns that a step can no longer meet its objective.
   */
  overUs?: number;
  /** The run's planned length, shown by the live view. */
  planned?: LiveSnapshot["planned"];
  /** The database family, for classifying failures [default: "postgres"]. */
  family?: Family;
}

/** A failure as the runner reports it. */
export interface Failure {
  /** SQLSTATE, or the client's own code for a failure without one. */
  code: string;
  message: string;
  /** The statement that failed, with its parameters. */
  statement: string;
}

/**
 * Records a workload run's transactions: counts, three latency histograms
 * per transaction kind, the per-second series and the failures. Built for
 * tens of thousands of `done()` calls a second on one thread: a success
 * allocates nothing (counters in typed arrays indexed by kind, histograms
 * made once and reset for reuse).
 *
 * Failed transactions are in the latency histograms too: whoever ran them
 * waited as long. Skipped ones are not: they never ran.
 *
 * @example A closed loop of two transactions
 * ```ts
 * import { WorkloadRecorder } from "./recorder.ts";
 * const rec = new WorkloadRecorder({ operations: ["read"], startMs: 0 });
 * rec.done(0, 10, 10, 12); // intended, sent, finished: ms
 * rec.done(0, 500, 500, 501.5);
 * rec.tick(1000);
 * const meta = {
 *   pattern: "demo", target: "pglite", server_version: "17", connections: 1, scale: 1, seed: "0x1",
 *   mode: "closed", warmup_s: 0, started_at: "2024-01-01T00:00:00Z", quarry_version: "0",
 * } as const;
 * const r = rec.result(meta, 1000, { cpu_percent: 1, saturated: false, warnings: [] });
 * if (r.totals.succeeded !== 2 || r.overall.service.max_us !== 2000 || r.series[0]?.tps !== 2) {
 *   throw new Error("unexpected result");
 * }
 * ```
 */
export class WorkloadRecorder {
  readonly #names: readonly string[];
  /** Start of the measured part: the end of the warm-up, or the start. */
  readonly #from: number;
  readonly #limitUs: number;
  readonly #overUs: number;
  #over = 0;
  readonly #planned: LiveSnapshot["planned"];
  readonly #family: Family;
  #measuring: boolean;
  /** The current target rate; NaN in a closed loop. */
  #target: number;

  // Per kind, indexed by op.
  readonly #succeeded: Float64Array;
  readonly #failed: Float64Array;
  readonly #skipped: Float64Array;
  readonly #late: Float64Array;
  readonly #retries: Float64Array;
  readonly #response: Histogram[];
  readonly #service: Histogram[];
  readonly #lag: Histogram[];
  readonly #errors: Map<string, ErrorSample>[];
  /** All kinds' failures by SQLSTATE, first sample in time order. */
  readonly #allErrors = new Map<string, ErrorSample>();
  readonly #recentErrors: { code: string; message: string }[] = [];
  #reconnects = 0;

  // The open seconds, a ring indexed by (second & (OPEN_SECONDS - 1)).
  /** The oldest second not yet closed (0 = the first measured second). */
  #open = 0;
  readonly #secSucceeded = new Float64Array(OPEN_SECONDS);
  readonly #secFailed = new Float64Array(OPEN_SECONDS);
  /** The target in force when the second's last transaction finished; NaN before one did. */
  readonly #secTarget = new Float64Array(OPEN_SECONDS).fill(NaN);
  readonly #secResponse: Histogram[] = [];
  readonly #secLag: Histogram[] = [];
  readonly #series: SecondSample[] = [];
  /** For live() with several kinds: reused, since it sums their response histograms several times a second. */
  readonly #scratch: Histogram | undefined;
  /** Every WebAssembly histogram made here, for {@link WorkloadRecorder.dispose} and the finalizer. */
  readonly #owned: Histogram[] = [];

  /** @param o See {@link RecorderOptions}. */
  constructor(o: RecorderOptions) {
    if (o.operations.length === 0) throw new RangeError("A workload recorder needs at least one operation");
    const n = o.operations.length;
    this.#names = [...o.operations];
    this.#from = Math.max(o.startMs, o.warmupUntilMs ?? o.startMs);
    this.#measuring = this.#from <= o.startMs;
    this.#limitUs = o.latencyLimitUs ?? Infinity;
    this.#overUs = o.overUs ?? Infinity;
    this.#planned = o.planned;
    this.#family = o.family ?? "postgres";
    this.#target = o.targetTps ?? NaN;
    this.#succeeded = new Float64Array(n);
    this.#failed = new Float64Array(n);
    this.#skipped = new Float64Array(n);
    this.#late = new Float64Array(n);
    this.#retries = new Float64Array(n);
    const own = () => {
      const h = recordingHistogram();
      this.#owned.push(h);
      return h;
    };
    this.#response = Array.from({ length: n }, own);
    this.#service = Array.from({ length: n }, own);
    this.#lag = Array.from({ length: n }, own);
    this.#errors = Array.from({ length: n }, () => new Map());
    for (let i = 0; i < OPEN_SECONDS; i++) {
      this.#secResponse.push(own());
      this.#secLag.push(own());
    }
    if (n > 1) this.#scratch = own();
    release.register(this, this.#owned, this);
  }

  /**
   * Frees the histograms' WebAssembly memory now rather than when the
   * recorder is garbage-collected; the recorder is unusable afterwards.
   * Optional: for a process that makes many recorders (--find-max steps,
   * tests).
   */
  dispose(): void {
    release.unregister(this);
    for (const h of this.#owned.splice(0)) h.destroy();
  }

  /**
   * A transaction finished (after its last try). Ignored when it was due
   * during the warm-up: the measured part holds the slots scheduled in it,
   * so a backlog left by the warm-up does not inflate its rate.
   *
   * @param op Index of its kind in `operations`.
   * @param intendedMs When the schedule meant it to start.
   * @param startMs When it was sent.
   * @param endMs When its outcome arrived.
   * @param failure Why it failed, when it did.
   */
  done(op: number, intendedMs: number, startMs: number, endMs: number, failure?: Failure): void {
    if (intendedMs < this.#from) return;
    const response = toMicros(endMs - intendedMs, 1);
    const lag = toMicros(startMs - intendedMs, 0);
    this.#response[op]!.recordValue(response);
    this.#service[op]!.recordValue(toMicros(endMs - startMs, 1));
    this.#lag[op]!.recordValue(lag);
    if (response > this.#limitUs) this.#late[op]!++;
    if (response >= this.#overUs) this.#over++;

    let second = Math.floor((endMs - this.#from) / 1000);
    // Finished in a second already closed (the runner read the clock before
    // a tick but reported after it): it counts in the oldest open one.
    if (second < this.#open) second = this.#open;
    else if (second >= this.#open + OPEN_SECONDS) this.#closeThrough(second - OPEN_SECONDS);
    const slot = second & (OPEN_SECONDS - 1);
    this.#secResponse[slot]!.recordValue(response);
    this.#secLag[slot]!.recordValue(lag);
    this.#secTarget[slot] = this.#target;
    if (failure === undefined) {
      this.#succeeded[op]!++;
      this.#secSucceeded[slot]!++;
    } else {
      this.#failed[op]!++;
      this.#secFailed[slot]!++;
      this.#fail(op, failure);
    }
  }

  /**
   * A transaction was not sent: it was already later than --latency-limit
   * when its turn came. Counted, but in no latency histogram.
   *
   * @param op Index of its kind.
   * @param intendedMs When it was meant to start (a slot of the warm-up is not counted).
   */
  skipped(op: number, intendedMs: number): void {
    if (intendedMs >= this.#from) this.#skipped[op]!++;
  }

  /**
   * A try failed and the transaction will be tried again.
   *
   * @param op Index of its kind.
   * @param _code The SQLSTATE that caused the retry (40001, 40P01); the
   *   result keeps only the count.
   */
  retried(op: number, _code: string): void {
    if (this.#measuring) this.#retries[op]!++;
  }

  /** A connection was lost and opened again. */
  reconnected(): void {
    if (this.#measuring) this.#reconnects++;
  }

  /**
   * The target rate changed (warm-up ramp, a --find-max step); each second of
   * the series carries the target in force when its transactions finished.
   *
   * @param tps The new rate, or undefined for a closed loop.
   */
  setTarget(tps: number | undefined): void {
    this.#target = tps ?? NaN;
  }

  /**
   * Moves the clock on: closes the seconds that are over into the series and
   * ends the warm-up once `nowMs` reaches its end. Call it a few times a
   * second.
   *
   * @param nowMs `performance.now()`.
   */
  tick(nowMs: number): void {
    if (!this.#measuring && nowMs >= this.#from) this.#measuring = true;
    const current = Math.floor((nowMs - this.#from) / 1000);
    if (current > this.#open) this.#closeThrough(current - 1);
  }

  /** Measured transactions whose response time reached `overUs` (see {@link RecorderOptions}). */
  get over(): number {
    return this.#over;
  }

  /**
   * What the live view shows now.
   *
   * @param nowMs `performance.now()`.
   * @returns A snapshot; nothing in it is shared with the recorder.
   */
  live(nowMs: number): LiveSnapshot {
    const mix: Record<string, number> = {};
    for (let i = 0; i < this.#names.length; i++) {
      mix[this.#names[i]!] = this.#succeeded[i]! + this.#failed[i]!;
    }
    const all = this.#allResponses();
    const pct = (p: number) => all.totalCount === 0 ? 0 : all.getValueAtPercentile(p);
    const last = this.#series.at(-1);
    const snapshot: LiveSnapshot = {
      elapsed_s: (nowMs - this.#from) / 1000,
      warming_up: nowMs < this.#from,
      last: last === undefined ? undefined : { ...last },
      totals: this.#totals(),
      mix,
      recent_errors: this.#recentErrors.map((e) => ({ ...e })),
      overall: { p50_us: pct(50), p95_us: pct(95), p99_us: pct(99), max_us: pct(100) },
    };
    if (this.#planned !== undefined) snapshot.planned = { ...this.#planned };
    return snapshot;
  }

  /**
   * The run's result. Closes every full second into the series, and the
   * last one too when at least 99% of it was measured.
   *
   * @param meta The run's configuration.
   * @param endMs When the run ended (`performance.now()`).
   * @param client The client's self-check.
   * @returns The result; nothing in it is shared with the recorder.
   */
  result(meta: RunMeta, endMs: number, client: WorkloadResult["client"]): WorkloadResult {
    const measured = Math.max(0, endMs - this.#from) / 1000;
    const full = Math.floor(measured);
    if (full > this.#open) this.#closeThrough(full - 1);
    if (measured - full >= LAST_SECOND_MIN_FRACTION && full >= this.#open) this.#closeThrough(full);

    const operations = this.#names.map((name, i) =>
      operationResult(
        name,
        {
          succeeded: this.#succeeded[i]!,
          failed: this.#failed[i]!,
          retries: this.#retries[i]!,
          skipped: this.#skipped[i]!,
          late: this.#late[i]!,
        },
        [this.#response[i]!, this.#service[i]!, this.#lag[i]!],
        this.#errors[i]!,
      )
    );
    // WebAssembly histograms add only to their own kind; these live until the result is built.
    const kinds = [this.#response, this.#service, this.#lag].map((hs) => {
      const h = recordingHistogram();
      for (const part of hs) h.add(part);
      return h;
    }) as [Histogram, Histogram, Histogram];
    const totals = this.#totals();
    try {
      return assembleResult({
        meta,
        duration_s: measured,
        totals,
        overall: operationResult("all", totals, kinds, this.#allErrors),
        operations,
        series: this.#series.map((s) => ({ ...s })),
        client: { ...client, warnings: [...client.warnings] },
      }, kinds[0]);
    } finally {
      for (const h of kinds) h.destroy();
    }
  }

  #totals(): WorkloadResult["totals"] {
    let succeeded = 0, failed = 0, skipped = 0, late = 0, retries = 0;
    for (let i = 0; i < this.#names.length; i++) {
      succeeded += this.#succeeded[i]!;
      failed += this.#failed[i]!;
      skipped += this.#skipped[i]!;
      late += this.#late[i]!;
      retries += this.#retries[i]!;
    }
    return {
      attempted: succeeded + failed,
      succeeded,
      failed,
      skipped,
      late,
      retries,
      reconnects: this.#reconnects,
    };
  }

  /** Every kind's response times in one histogram (the kind's own when there is one). */
  #allResponses(): Histogram {
    const h = this.#scratch;
    if (h === undefined) return this.#response[0]!;
    h.reset();
    for (const part of this.#response) h.add(part);
    return h;
  }

  /** The failure path of done(): allocating here is fine. */
  #fail(op: number, f: Failure): void {
    for (const map of [this.#errors[op]!, this.#allErrors]) {
      const known = map.get(f.code);
      if (known !== undefined) known.count++;
      else {
        map.set(f.code, {
          count: 1,
          class: verdictLabel(classifyError(f.code, f.message, this.#family)),
          message: trim(f.message, MESSAGE_CHARS),
          statement: trim(f.statement, STATEMENT_CHARS),
        });
      }
    }
    this.#recentErrors.push({ code: f.code, message: trim(f.message, MESSAGE_CHARS) });
    if (this.#recentErrors.length > RECENT_ERRORS) this.#recentErrors.shift();
  }

  /** Closes the open seconds up to and including `last` into the series. */
  #closeThrough(last: number): void {
    for (; this.#open <= last; this.#open++) {
      const slot = this.#open & (OPEN_SECONDS - 1);
      const response = this.#secResponse[slot]!;
      const lag = this.#secLag[slot]!;
      const some = response.totalCount > 0;
      const pct = (h: Histogram, p: number) => some ? h.getValueAtPercentile(p) : 0;
      const succeeded = this.#secSucceeded[slot]!;
      const failed = this.#secFailed[slot]!;
      const sample: SecondSample = {
        t: this.#open + 1,
        tps: succeeded + failed,
        succeeded,
        failed,
        p50_us: pct(response, 50),
        p95_us: pct(response, 95),
        p99_us: pct(response, 99),
        max_us: pct(response, 100),
        lag_p99_us: pct(lag, 99),
      };
      // A second in which nothing finished carries the target in force now.
      const target = Number.isNaN(this.#secTarget[slot]!) ? this.#target : this.#secTarget[slot]!;
      if (!Number.isNaN(target)) sample.target = target;
      this.#series.push(sample);
      if (some) {
        response.reset();
        lag.reset();
      }
      this.#secSucceeded[slot] = 0;
      this.#secFailed[slot] = 0;
      this.#secTarget[slot] = NaN;
    }
  }
}

/** `s` cut to `max` characters, an ellipsis marking the cut. */
function trim(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
