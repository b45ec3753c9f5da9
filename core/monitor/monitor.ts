/**
 * A run's monitoring: every interval a {@link MonitorSample} from the
 * meter, checked against the alert rules and handed to the sinks (the
 * terminal line, the JSON lines file, the Prometheus endpoint's latest
 * snapshot); a final sample when the run ends. The host parts (the clock's
 * timer aside) are the caller's: it passes the RSS reader and the sinks.
 *
 * @module
 */
import { type AlertRule, AlertWatch } from "./alerts.ts";
import { type MeterOptions, RunMeter } from "./meter.ts";
import type { GenerateSnapshot } from "./prometheus.ts";
import type { FiredAlert, MonitorSample } from "./sample.ts";

/** Options of {@link Monitor}. */
export interface MonitorOptions extends Omit<MeterOptions, "startMs"> {
  /** Milliseconds between samples. */
  intervalMs: number;
  /** The process's resident set size in bytes (the CLI passes `Deno.memoryUsage().rss`). */
  rss: () => number;
  rules?: readonly AlertRule[];
  /** Each receives every sample, interval and final, in order. */
  sinks: readonly ((sample: MonitorSample) => void)[];
  /** Called for each alert as it fires, before the sinks see its sample. */
  onAlert?: (alert: FiredAlert) => void;
  /** Called once, for the first fatal alert: the caller stops the run. */
  onFatal?: (alert: FiredAlert) => void;
  /** Called when a sink fails (e.g. the metrics file cannot be written); sampling stops. */
  onError?: (error: unknown) => void;
  /** The clock [default: performance.now]. */
  now?: () => number;
}

/**
 * Samples a run on a timer.
 *
 * @example A run of two intervals and the final sample
 * ```ts
 * import { Monitor } from "./monitor.ts";
 * import { planNone } from "../engine/uniqueness.ts";
 * let t = 0;
 * const seen: string[] = [];
 * const m = new Monitor({
 *   filter: planNone("structural"), planned: 20, workers: 1, intervalMs: 1000, now: () => t,
 *   rss: () => 1, sinks: [(s) => seen.push(`${s.kind} ${s.statements}`)],
 * });
 * m.progress(10, 100, 0, 0, 0);
 * t = 1000; m.tick();
 * m.progress(20, 200, 0, 0, 0);
 * t = 2000; m.tick();
 * m.finish("completed");
 * if (seen.join() !== "interval 10,interval 20,final 20") throw new Error(seen.join());
 * ```
 */
export class Monitor {
  readonly #o: MonitorOptions;
  readonly #meter: RunMeter;
  readonly #watch: AlertWatch;
  readonly #now: () => number;
  readonly #fired = new Map<string, { alert: string; severity: "warning" | "fatal"; count: number }>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #latest: MonitorSample;
  #fatal: FiredAlert | undefined;
  #failed = false;

  constructor(o: MonitorOptions) {
    this.#o = o;
    this.#now = o.now ?? (() => performance.now());
    this.#meter = new RunMeter({ ...o, startMs: this.#now() });
    this.#watch = new AlertWatch(o.rules ?? []);
    // Zeros until the first interval ends, so that a scrape before it finds every metric.
    this.#latest = this.#meter.sample(this.#now(), o.rss(), "interval");
  }

  /** The engine's progress callback (totals so far, and the worker whose chunk was written). */
  readonly progress = (
    statements: number,
    bytes: number,
    rejected: number,
    exhausted: number,
    worker?: number,
  ): void => this.#meter.record(statements, bytes, rejected, exhausted, worker);

  /** Starts sampling every interval. */
  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#o.intervalMs);
  }

  /** Takes an interval sample now (the timer calls this). */
  tick(): void {
    if (this.#failed) return;
    const sample = this.#meter.sample(this.#now(), this.#o.rss(), "interval");
    sample.alerts = this.#watch.check(sample);
    for (const a of sample.alerts) {
      const severity = a.fatal ? "fatal" : "warning";
      const key = `${a.alert}\u0000${severity}`;
      const entry = this.#fired.get(key) ?? { alert: a.alert, severity, count: 0 };
      entry.count++;
      this.#fired.set(key, entry);
      this.#o.onAlert?.(a);
    }
    this.#emit(sample);
    const fatal = sample.alerts.find((a) => a.fatal);
    if (fatal && !this.#fatal) {
      this.#fatal = fatal;
      this.#o.onFatal?.(fatal);
    }
  }

  /** Stops the timer and emits the final sample: whole-run averages and how the run ended. */
  finish(outcome: NonNullable<MonitorSample["outcome"]>): MonitorSample {
    this.stop();
    const sample = this.#meter.sample(this.#now(), this.#o.rss(), "final");
    sample.outcome = outcome;
    if (!this.#failed) this.#emit(sample);
    return sample;
  }

  /** Stops the timer without a final sample. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The first fatal alert that fired, if one did. */
  get fatal(): FiredAlert | undefined {
    return this.#fatal;
  }

  /** The latest sample and the alerts fired so far: what a Prometheus scrape reads. */
  snapshot(): GenerateSnapshot {
    return { sample: this.#latest, alertsFired: [...this.#fired.values()] };
  }

  #emit(sample: MonitorSample): void {
    this.#latest = sample;
    try {
      for (const sink of this.#o.sinks) sink(sample);
    } catch (e) {
      this.#failed = true;
      this.stop();
      if (this.#o.onError) this.#o.onError(e);
      else throw e;
    }
  }
}
