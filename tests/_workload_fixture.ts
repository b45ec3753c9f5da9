/**
 * Made-up but realistic workload results for the report's test and the
 * screenshot script, produced through the real {@link WorkloadRecorder}
 * from a simulated run: Poisson arrivals against a pool of connections,
 * three transaction kinds with log-normal service times, a five-second
 * database stall that builds a queue (lag, late and skipped transactions),
 * retried serialization failures and a few failures of other SQLSTATEs.
 * Seeded, so every call gives the same result.
 *
 * @module
 */
import { type Failure, WorkloadRecorder } from "../core/workload/recorder.ts";
import type { RunMeta, WorkloadResult } from "../core/workload/result.ts";

/** Options of {@link syntheticResult}. */
export interface SyntheticRun {
  /** Measured seconds [default: 300]. */
  seconds?: number;
  /** Target rate [default: 200]. */
  tps?: number;
  /** Seed of the simulation [default: 42]. */
  seed?: number;
  /**
   * A closed loop with nothing failing [default: false]: no target, no lag, no stall, no errors (the
   * arrivals stay Poisson, a simplification no chart can tell from a real closed loop).
   */
  closed?: boolean;
}

const OPERATIONS = ["transfer", "balance", "report"] as const;
/** Share of each kind, in OPERATIONS' order. */
const WEIGHTS = [0.6, 0.3, 0.1];
/** Median service time of each kind, ms. */
const MEDIAN_MS = [2.5, 0.8, 12];
const CONNECTIONS = 8;
const WARMUP_MS = 5_000;
const LATENCY_LIMIT_MS = 2_000;

/** mulberry32: small, seeded, good enough for made-up latencies. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run's configuration as `quarry workload run` would record it. */
export function syntheticMeta(o: { pattern?: string; tps?: number } = {}): RunMeta {
  return {
    pattern: o.pattern ?? "tpcb-like",
    target: "postgres://quarry@127.0.0.1:5432/bench",
    server_version: "17.5",
    connections: CONNECTIONS,
    scale: 10,
    seed: "0x2a",
    mode: "open",
    arrival: "poisson",
    target_tps: o.tps ?? 200,
    latency_limit_us: LATENCY_LIMIT_MS * 1000,
    warmup_s: WARMUP_MS / 1000,
    started_at: "2025-06-01T12:00:05.000Z",
    quarry_version: "0.9.0",
  };
}

interface Txn {
  op: number;
  intended: number;
  start: number;
  end: number;
  failure?: Failure;
  /** Tried again after a serialization failure. */
  retried?: boolean;
  /** Not sent: `end` is when its turn came. */
  skipped?: boolean;
}

/**
 * A run of `seconds` measured seconds after a 5 s warm-up, recorded by {@link WorkloadRecorder}.
 *
 * @param o See {@link SyntheticRun}.
 * @returns The recorder's result.
 */
export function syntheticResult(o: SyntheticRun = {}): WorkloadResult {
  const seconds = o.seconds ?? 300;
  const tps = o.tps ?? 200;
  const closed = o.closed ?? false;
  const random = rng(o.seed ?? 42);
  const endMs = WARMUP_MS + seconds * 1000;
  const stallFrom = closed ? Infinity : WARMUP_MS + seconds * 500;
  const stallTo = stallFrom + 5_000;
  const free = new Array<number>(CONNECTIONS).fill(0);
  const rec = new WorkloadRecorder({
    operations: OPERATIONS,
    startMs: 0,
    ...closed ? {} : { targetTps: tps },
    latencyLimitUs: LATENCY_LIMIT_MS * 1000,
    warmupUntilMs: WARMUP_MS,
    planned: { seconds },
  });
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const txns: Txn[] = [];
  for (let intended = 0;;) {
    intended += -Math.log(1 - random()) * 1000 / tps;
    if (intended >= endMs) break;
    const u = random();
    const op = u < WEIGHTS[0]! ? 0 : u < WEIGHTS[0]! + WEIGHTS[1]! ? 1 : 2;
    let conn = 0;
    for (let c = 1; c < CONNECTIONS; c++) if (free[c]! < free[conn]!) conn = c;
    // The client's own delay in sending (a timer firing late, a busy event loop): a small lag always.
    const start = Math.max(intended, free[conn]!) + -Math.log(1 - random()) * 0.08;
    // A closed loop sends when it means to: its schedule is whenever a connection is free.
    if (closed) intended = start;
    if (start - intended > LATENCY_LIMIT_MS) {
      // Already later than --latency-limit when its turn came: not sent, as the runner does.
      txns.push({ op, intended, start, end: start, skipped: true });
      continue;
    }
    let service = MEDIAN_MS[op]! * Math.exp(0.45 * gauss());
    // The stall: the database answers nothing until it ends.
    if (start < stallTo && start + service > stallFrom) service += stallTo - Math.max(start, stallFrom);
    const end = start + service;
    free[conn] = end;
    const t: Txn = { op, intended, start, end };
    const f = closed ? 1 : random();
    if (op === 0 && f < 0.012) {
      t.retried = true;
      if (f < 0.0005) {
        t.failure = {
          code: "40001",
          message: "could not serialize access due to concurrent update",
          statement: "UPDATE accounts SET abalance = abalance + $1 WHERE aid = $2 -- $1 = -2719, $2 = 81211",
        };
      }
    } else if (op === 0 && f < 0.015) {
      t.failure = {
        code: "23505",
        message: 'duplicate key value violates unique constraint "history_pkey"',
        statement: "INSERT INTO history (tid, bid, aid, delta, mtime) VALUES (3, 1, 81211, -2719, now())",
      };
    } else if (op === 2 && f < 0.006) {
      t.failure = {
        code: "57014",
        message: "canceling statement due to statement timeout",
        statement: "SELECT bid, sum(abalance) FROM accounts GROUP BY bid </script><b>not markup</b>",
      };
    }
    txns.push(t);
  }
  // The runner reports a transaction when it ends, with the clock moved on: replay in that order.
  txns.sort((a, b) => a.end - b.end);
  let reconnected = false;
  for (const t of txns) {
    rec.tick(t.end);
    if (!reconnected && t.end > stallTo) {
      rec.reconnected();
      reconnected = true;
    }
    if (t.skipped) {
      rec.skipped(t.op, t.intended);
      continue;
    }
    if (t.retried) rec.retried(t.op, "40001");
    rec.done(t.op, t.intended, t.start, t.end, t.failure);
  }
  rec.tick(endMs);
  if (closed) {
    const meta: RunMeta = { ...syntheticMeta({ pattern: "tpcb-like-closed" }), mode: "closed" };
    delete meta.arrival;
    delete meta.target_tps;
    return rec.result(meta, endMs, { cpu_percent: 97, saturated: true, warnings: [] });
  }
  return rec.result(syntheticMeta({ tps }), endMs, {
    cpu_percent: 41.5,
    saturated: false,
    warnings: [
      `schedule lag p99 reached ${
        (LATENCY_LIMIT_MS / 1000).toFixed(1)
      } s while the database stalled: transactions were queued, then skipped`,
    ],
  });
}

/** A run that measured nothing: no transaction finished, no second was recorded. */
export function emptyResult(): WorkloadResult {
  const rec = new WorkloadRecorder({ operations: OPERATIONS, startMs: 0 });
  const meta: RunMeta = { ...syntheticMeta({ pattern: "empty-run" }), mode: "closed", warmup_s: 0 };
  delete meta.arrival;
  delete meta.target_tps;
  delete meta.latency_limit_us;
  return rec.result(meta, 400, { cpu_percent: 0, saturated: false, warnings: [] });
}
