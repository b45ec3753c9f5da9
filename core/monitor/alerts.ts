/**
 * Alert rules of a generate config's `monitoring.alerts`: a threshold on
 * one figure of the interval sample (rate below, RSS above, replacement
 * ratio above), held for a while, firing a warning or, when `fatal`, a stop.
 *
 * @module
 */
import type { FiredAlert, MonitorSample } from "./sample.ts";

/** What an alert watches. */
export type AlertKind = "rate_below" | "rss_above" | "replaced_above";

/** The alert kinds, each with the figure it reads and how it is shown. */
export const ALERT_KINDS: Readonly<
  Record<AlertKind, { figure: string; above: boolean; read: (s: MonitorSample) => number; example: string }>
> = {
  rate_below: {
    figure: "statements/s",
    above: false,
    read: (s) => s.statements_per_s,
    example: "rate_below: 500k",
  },
  rss_above: { figure: "RSS", above: true, read: (s) => s.rss_bytes, example: "rss_above: 4GiB" },
  replaced_above: {
    figure: "replaced share of attempts",
    above: true,
    read: (s) => s.unique.replaced_ratio,
    example: "replaced_above: 1%",
  },
};

/** One rule. */
export interface AlertRule {
  kind: AlertKind;
  /** Statements/s, bytes, or a ratio from 0 to 1. */
  threshold: number;
  /** Seconds the condition must hold, over consecutive intervals, before it fires [0: one interval]. */
  forSeconds: number;
  /** Stop the run (with a checkpoint where there is one) instead of only warning. */
  fatal: boolean;
  /** Where it was written, `file:line:column`. */
  origin?: string;
}

/**
 * Watches samples against rules. A rule fires once when its condition has
 * held for `forSeconds`, and again only after the condition has cleared. A
 * rate is not judged before this process has written its first statement.
 *
 * @example A rate alert that must hold for 2 s
 * ```ts
 * import { AlertWatch } from "./alerts.ts";
 * import type { MonitorSample } from "./sample.ts";
 * const w = new AlertWatch([{ kind: "rate_below", threshold: 1000, forSeconds: 2, fatal: false }]);
 * const at = (t: number, rate: number) =>
 *   ({ elapsed_s: t, interval_s: 1, statements_per_s: rate, workers: [{ statements: 1 }] }) as MonitorSample;
 * if (w.check(at(1, 10)).length !== 0) throw new Error("fired after 1 s");
 * if (w.check(at(2, 10)).length !== 1) throw new Error("did not fire after 2 s");
 * if (w.check(at(3, 10)).length !== 0) throw new Error("fired twice");
 * ```
 */
export class AlertWatch {
  readonly #rules: readonly AlertRule[];
  /** Per rule: when its condition began to hold (elapsed seconds), and whether it fired since. */
  readonly #state: { since: number | undefined; fired: boolean }[];

  constructor(rules: readonly AlertRule[]) {
    this.#rules = rules;
    this.#state = rules.map(() => ({ since: undefined, fired: false }));
  }

  /** The rules' alerts that fire on this interval sample. */
  check(sample: MonitorSample): FiredAlert[] {
    const out: FiredAlert[] = [];
    this.#rules.forEach((rule, i) => {
      const state = this.#state[i]!;
      const kind = ALERT_KINDS[rule.kind];
      const value = kind.read(sample);
      // Before the first statement is written (compiling, starting workers) there is no rate to judge.
      const starting = rule.kind === "rate_below" && sample.workers.every((w) => w.statements === 0);
      const crossed = !starting && (kind.above ? value > rule.threshold : value < rule.threshold);
      if (!crossed) {
        state.since = undefined;
        state.fired = false;
        return;
      }
      state.since ??= sample.elapsed_s - sample.interval_s;
      const held = sample.elapsed_s - state.since;
      if (state.fired || held + 1e-9 < rule.forSeconds) return;
      state.fired = true;
      const shown = (n: number) => showFigure(rule.kind, n);
      out.push({
        alert: rule.kind,
        threshold: rule.threshold,
        value,
        fatal: rule.fatal,
        origin: rule.origin ?? null,
        message: `${kind.figure} ${shown(value)} ${kind.above ? "above" : "below"} ${shown(rule.threshold)}` +
          `${rule.forSeconds > 0 ? ` for ${held.toFixed(held < 10 ? 1 : 0)} s` : ""}` +
          `${rule.origin ? ` (${rule.origin})` : ""}`,
      });
    });
    return out;
  }
}

/** A figure as alert messages show it: 1.2M, 3.1 GiB, 2.5%. */
export function showFigure(kind: AlertKind, n: number): string {
  if (kind === "replaced_above") return `${Number((n * 100).toPrecision(3))}%`;
  if (kind === "rss_above") {
    return n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(2)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`;
  }
  if (n >= 1e9) return `${Number((n / 1e9).toPrecision(3))}G`;
  if (n >= 1e6) return `${Number((n / 1e6).toPrecision(3))}M`;
  if (n >= 1e3) return `${Number((n / 1e3).toPrecision(3))}k`;
  return String(Math.round(n));
}
