/**
 * `--find-max --slo 'p99<10ms'`: the highest rate the database sustains
 * while a latency objective holds. The search first runs flat out (closed
 * loop) to learn the ceiling, since no rate above what the database does
 * unthrottled can be held, then bisects between zero and that ceiling with
 * open-loop steps at fixed rates. A step passes when the objective holds on
 * its response times (measured from the intended starts, so a rate the
 * database cannot keep fails through its queueing), at least 99% of its
 * transactions succeed, and it achieved 99% of its rate. A step that misses
 * is run once more and fails only if it misses again: one stall of the
 * machine (a checkpoint, another process) should not end the search below
 * the rate the database sustains. The search stops
 * when the bracket is narrower than `tolerance` of its top, and every step
 * is reported, so the answer can be checked.
 *
 * @module
 */
import type { WorkloadResult } from "./result.ts";

/** One bound of an objective: a percentile of the response time below a limit. */
export interface SloBound {
  /** "p50", "p95", "p99", "p99.9" or "max". */
  stat: string;
  /** The limit, µs. */
  limitUs: number;
}

/** A latency objective: every bound must hold. */
export interface Slo {
  text: string;
  bounds: SloBound[];
}

const STATS: Record<string, keyof WorkloadResult["overall"]["response"]> = {
  p50: "p50_us",
  p95: "p95_us",
  p99: "p99_us",
  "p99.9": "p999_us",
  p999: "p999_us",
  max: "max_us",
  mean: "mean_us",
};

const UNITS: Record<string, number> = { us: 1, "µs": 1, ms: 1000, s: 1_000_000 };

/**
 * Reads an objective like `p99<10ms` or `p95<5ms,p99.9<50ms`.
 *
 * @throws {RangeError} naming what is wrong, with an example.
 */
export function parseSlo(text: string): Slo {
  const bounds: SloBound[] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const m = /^(p50|p95|p99|p99\.9|p999|max|mean)\s*<\s*(\d+(?:\.\d+)?)\s*(us|µs|ms|s)$/i.exec(part);
    if (!m) {
      throw new RangeError(
        `--slo "${part}" is not an objective; write a percentile, "<" and a time, e.g. 'p99<10ms' or 'p95<5ms,max<200ms'`,
      );
    }
    bounds.push({ stat: m[1]!.toLowerCase(), limitUs: Number(m[2]) * UNITS[m[3]!.toLowerCase()]! });
  }
  if (bounds.length === 0) throw new RangeError(`--slo is empty; e.g. 'p99<10ms'`);
  return { text, bounds };
}

/** Why a step's result misses the objective, or undefined when it meets it. */
export function sloMiss(slo: Slo, r: WorkloadResult, rate?: number): string | undefined {
  for (const b of slo.bounds) {
    const v = r.overall.response[STATS[b.stat]!] as number;
    if (v >= b.limitUs) return `${b.stat} ${(v / 1000).toFixed(2)} ms ≥ ${(b.limitUs / 1000).toFixed(2)} ms`;
  }
  const done = r.totals.succeeded + r.totals.failed;
  if (done > 0 && r.totals.succeeded / done < 0.99) {
    return `only ${((r.totals.succeeded / done) * 100).toFixed(1)}% succeeded`;
  }
  if (rate !== undefined && r.tps < rate * 0.99) {
    return `achieved ${r.tps.toFixed(0)} of ${rate.toFixed(0)} tps`;
  }
  return undefined;
}

/** One step of the search. */
export interface FindMaxStep {
  /** The rate asked for; undefined for the closed-loop probe. */
  rate: number | undefined;
  achieved: number;
  p99_us: number;
  /** Why it failed, or undefined when it passed. */
  miss: string | undefined;
}

/** What the search found. */
export interface FindMaxOutcome {
  /** The highest passing rate found (0 when even the lowest failed). */
  rate: number;
  /** The lowest failing rate: the answer lies in [rate, failing). */
  failing: number;
  /** The unthrottled ceiling of the probe. */
  ceiling: number;
  steps: FindMaxStep[];
  /** The result of the best passing step. */
  best: WorkloadResult | undefined;
}

/**
 * Searches for the highest rate meeting `slo`.
 *
 * @param runStep Runs the workload at `rate` tps (undefined: closed loop) and returns its result.
 * @param o `tolerance`: stop when the bracket is narrower than this share of its top [default: 0.02].
 */
export async function findMax(
  slo: Slo,
  runStep: (rate: number | undefined) => Promise<WorkloadResult>,
  o: { tolerance?: number; maxSteps?: number; onStep?: (s: FindMaxStep) => void } = {},
): Promise<FindMaxOutcome> {
  const steps: FindMaxStep[] = [];
  const record = (rate: number | undefined, r: WorkloadResult, miss: string | undefined) => {
    const s = { rate, achieved: r.tps, p99_us: r.overall.response.p99_us, miss };
    steps.push(s);
    o.onStep?.(s);
  };
  const probe = await runStep(undefined);
  const ceiling = probe.tps;
  record(undefined, probe, undefined);
  let lo = 0;
  let hi = Math.max(1, ceiling * 1.05);
  let best: WorkloadResult | undefined;
  const tolerance = o.tolerance ?? 0.02;
  const maxSteps = o.maxSteps ?? 12;
  for (let n = 0; n < maxSteps && (hi - lo) / hi > tolerance; n++) {
    // The first step tries 90% of the ceiling: on an easy objective, the answer is near it.
    const rate = n === 0 ? ceiling * 0.9 : (lo + hi) / 2;
    let r = await runStep(rate);
    let miss = sloMiss(slo, r, rate);
    record(rate, r, miss);
    if (miss !== undefined) {
      r = await runStep(rate);
      miss = sloMiss(slo, r, rate);
      record(rate, r, miss);
    }
    if (miss === undefined) {
      lo = rate;
      best = r;
    } else hi = rate;
  }
  return { rate: Math.floor(lo), failing: Math.ceil(hi), ceiling, steps, best };
}
