/**
 * `--find-max --slo 'p99<10ms'`: the highest rate the database sustains
 * while a latency objective holds. Open-loop steps at fixed rates: from
 * `startRate` the rate doubles while the objective holds, then the bracket
 * between the last rate that met it and the first that did not is bisected.
 * (A flat-out probe would find the ceiling in one step, but it leaves the
 * database in another state: a burst of WAL, a checkpoint, dirty buffers,
 * that the next steps would pay for.) A step passes when the objective
 * holds on its response times (measured from the intended starts, so a
 * rate the database cannot keep fails through its queueing), at least 99%
 * of its transactions succeed, and it achieved 99% of its rate. A step that
 * misses is run once more and fails only if it misses again: one stall of
 * the machine (a checkpoint, another process) should not end the search
 * below the rate the database sustains. A step ends as soon as its miss is
 * certain ({@link certainMiss}): an overloaded step left running would pile
 * up a backlog, dead rows and WAL for the next steps to pay for. After a
 * miss the search rests (`settle`) before its next step, for the same
 * reason. The search stops at the climb's first miss, so its answer lies
 * within `tolerance` of the bracket's top below that rate, and every step
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

/** When a step's miss is certain before its end (see {@link certainMiss}). */
export interface EarlyVerdict {
  /** Responses at or above this, µs, count against the step. */
  limitUs: number;
  /** The share of the step's planned transactions that may reach it while the objective can still hold. */
  share: number;
}

/**
 * The bound whose miss can be known early: the first percentile (or max)
 * bound. A step of `planned` transactions misses `pQ < L` for sure once more
 * than (1 − Q/100) × planned of them took L or longer, whatever the rest
 * do; a mean can always be pulled back, so it has no early verdict.
 */
export function earlyVerdict(slo: Slo): EarlyVerdict | undefined {
  for (const b of slo.bounds) {
    if (b.stat === "mean") continue;
    const q = b.stat === "max" ? 100 : Number(b.stat.slice(1) === "999" ? 99.9 : b.stat.slice(1));
    return { limitUs: b.limitUs, share: (100 - q) / 100 };
  }
  return undefined;
}

/** Whether `over` slow responses already decide that a step of `planned` transactions misses. */
export function certainMiss(v: EarlyVerdict, over: number, planned: number): boolean {
  return over > v.share * planned;
}

/** The bisection stops when the bracket is this many tolerances wide; the climb takes it from there. */
const CLIMB_SPAN = 4;

/** One step of the search. */
export interface FindMaxStep {
  /** The rate asked for. */
  rate: number;
  achieved: number;
  p99_us: number;
  /** Seconds measured: the step's duration, or less when its miss was certain earlier. */
  seconds: number;
  /** Why it failed, or undefined when it passed. */
  miss: string | undefined;
}

/** What the search found. */
export interface FindMaxOutcome {
  /** The highest passing rate found (0 when even the first failed). */
  rate: number;
  /** The lowest failing rate: the answer lies in [rate, failing); Infinity when the climb never missed. */
  failing: number;
  steps: FindMaxStep[];
  /** The result of the best passing step. */
  best: WorkloadResult | undefined;
}

/**
 * Searches for the highest rate meeting `slo`.
 *
 * @param runStep Runs the workload at `rate` tps and returns its result.
 * @param o `startRate` [default: 100 tps]; `tolerance`: stop when the bracket is narrower than this share
 *   of its top [default: 0.02]; `maxSteps` of the search, confirmations included [default: 40]; `settleMs`.
 */
export async function findMax(
  slo: Slo,
  runStep: (rate: number) => Promise<WorkloadResult>,
  o: {
    startRate?: number;
    tolerance?: number;
    maxSteps?: number;
    /** Rest after a missed step, ms [default: 5000]; ignored when `settle` is given. */
    settleMs?: number;
    /**
     * The lowest rate tried [default: 1 tps]: when even the rates above it miss, the search ends
     * without an answer instead of halving toward zero.
     */
    minRate?: number;
    /** Waits after a missed step until the database has recovered from it (its backlog, vacuum). */
    settle?: () => Promise<unknown>;
    onStep?: (s: FindMaxStep) => void;
  } = {},
): Promise<FindMaxOutcome> {
  const settle: () => Promise<unknown> = o.settle ??
    (() => new Promise<void>((resolve) => setTimeout(resolve, o.settleMs ?? 5000)));
  const steps: FindMaxStep[] = [];
  const maxSteps = o.maxSteps ?? 40;
  /** The result of each rate's latest passing run. */
  const passed = new Map<number, WorkloadResult>();
  /** Runs `rate`, and again when it misses: a miss stands only when both runs miss. */
  const judge = async (rate: number): Promise<boolean> => {
    for (let run = 0; run < 2 && steps.length < maxSteps; run++) {
      const r = await runStep(rate);
      const miss = sloMiss(slo, r, rate);
      const s = { rate, achieved: r.tps, p99_us: r.overall.response.p99_us, seconds: r.duration_s, miss };
      steps.push(s);
      o.onStep?.(s);
      if (miss === undefined) {
        passed.set(rate, r);
        return true;
      }
      await settle();
    }
    passed.delete(rate);
    return false;
  };
  let lo = 0;
  let hi = Infinity;
  for (let rate = Math.max(1, o.startRate ?? 100); hi === Infinity && steps.length < maxSteps; rate *= 2) {
    if (await judge(rate)) lo = rate;
    else hi = rate;
  }
  const tolerance = o.tolerance ?? 0.02;
  const minRate = o.minRate ?? 1;
  for (;;) {
    // Bisection narrows the bracket to a few tolerances; the climb does the rest.
    while (hi !== Infinity && (hi - lo) / hi > CLIMB_SPAN * tolerance && steps.length < maxSteps) {
      const rate = (lo + hi) / 2;
      // Below the floor a step holds too few transactions to judge a percentile: no rate meets it.
      if (rate < minRate) break;
      if (await judge(rate)) lo = rate;
      else hi = rate;
    }
    if (lo === 0 || hi === Infinity || steps.length >= maxSteps) break;
    // The climb starts from a pass: after a miss, the highest passing rate runs again first. When it
    // misses now (twice), it was not the database's rate after all: the bracket moves below it.
    if (steps.at(-1)?.miss !== undefined && !(await judge(lo))) {
      if (steps.length >= maxSteps) break;
      hi = lo;
      lo = Math.max(0, ...[...passed.keys()].filter((r) => r < hi));
      continue;
    }
    // The climb: from the highest rate that passed, up in steps of `tolerance` of the bracket's top
    // until a rate misses (twice). Each step then follows one that passed, as in a manual sweep
    // upward: a bisection step after a miss meets a database still paying for the overload (dead
    // rows, WAL, autovacuum), and would put the answer below where a sweep first breaks. The
    // bisection's miss is not taken as given either: it was measured in that state, so the climb
    // may pass it.
    const step = tolerance * hi;
    const ceiling = 2 * hi;
    hi = Infinity;
    for (let rate = lo + step; rate <= ceiling && steps.length < maxSteps; rate += step) {
      if (await judge(rate)) lo = rate;
      else {
        hi = rate;
        break;
      }
    }
    // hi stays Infinity when no rate up to the ceiling missed: the bisection's miss did not repeat.
    break;
  }
  const best = passed.get(lo);
  return { rate: Math.floor(lo), failing: Math.ceil(hi), steps, best };
}
