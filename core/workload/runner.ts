/**
 * The workload loop, on the execution lanes every traffic command shares
 * (core/exec/lanes.ts): each connection runs `pipeline` lanes, and each lane
 * takes the next transaction slot.
 *
 * - **Open loop** (a target rate): slots come from the arrival schedule; a
 *   lane waits for its slot's intended start, runs it, and takes the next.
 *   A late slot runs at once and its response time counts from when it was
 *   due, so the client's or the database's stalls stay in the numbers.
 * - **Closed loop** (no rate): a lane runs its next transaction as soon as
 *   the last one ended (plus the kind's think time).
 *
 * Which kind a slot runs and the values it binds are fixed when the slot
 * is taken, in slot order (kind from the seeded stream, values from the
 * kernel's row n of that kind), so one lane repeats a run exactly.
 * Serialization failures and deadlocks are retried with the same values up
 * to `maxTries`; a transaction whose connection drops is counted once, as
 * failed, never run again; the lane reconnects with back-off and the run
 * goes on, and a database that stays down ends it.
 *
 * @module
 */
import { type LaneStep, runLanes } from "../exec/lanes.ts";
import type { TransactingTarget } from "../exec/targets.ts";
import { shownWithParams } from "../exec/wire.ts";
import { Choices } from "../rng/choices.ts";
import type { WorkloadProgram } from "./program.ts";
import { type Arrival, ArrivalSchedule, SlotDispatcher } from "./schedule.ts";

/** What the runner tells the metrics (core/workload/recorder.ts implements it). */
export interface Recorder {
  done(
    op: number,
    intendedMs: number,
    startMs: number,
    endMs: number,
    failure?: { code: string; message: string; statement: string },
  ): void;
  skipped(op: number, intendedMs: number): void;
  retried(op: number, code: string): void;
  reconnected(): void;
  setTarget(tps: number | undefined): void;
  tick(nowMs: number): void;
}

/** Options of {@link runWorkload}. */
export interface WorkloadRunOptions {
  sessions: readonly TransactingTarget[];
  program: WorkloadProgram;
  recorder: Recorder;
  /** Seeds the mix and the Poisson gaps. */
  seed: bigint;
  /** Transactions in flight per connection [default: 1]. */
  pipeline?: number;
  /** Target rate, transactions per second: an open loop. Absent: a closed loop. */
  tps?: number;
  /** The target rate at a moment, ms since the start (overrides `tps` as it goes: --find-max). */
  rate?: (sinceStartMs: number) => number;
  arrival?: Arrival;
  /** Seconds at the start excluded from the results (the rate ramps up from 10 %). */
  warmupS?: number;
  /** Seconds measured (after warm-up). */
  durationS?: number;
  /** Transactions measured (after warm-up). */
  transactions?: number;
  /** Response time above which a transaction is late, ms. */
  latencyLimitMs?: number;
  /** Skip a slot already later than the limit when its turn comes (pgbench -R --latency-limit). */
  skipLate?: boolean;
  /** Tries of a transaction that meets 40001 or 40P01 [default: 1]. */
  maxTries?: number;
  signal?: AbortSignal;
  /** When the run starts (`performance.now()`), as the recorder was told [default: now]. */
  startMs?: number;
  /** Called about four times a second. */
  onTick?(nowMs: number): void;
}

/** How a run ended. */
export interface WorkloadRunEnd {
  startMs: number;
  /** When the measured part began (after warm-up). */
  measuredStartMs: number;
  /** When it ended: the planned end for a --duration run, else when the last transaction finished. */
  endMs: number;
  stoppedBy: "duration" | "transactions" | "signal" | "unreachable";
  /** Why a database that stayed down ended the run. */
  reason?: string;
}

const RETRYABLE = new Set(["40001", "40P01"]);

/** Whether a failure means the connection is gone (08: connection exceptions; 57P0x: the server shut down). */
export function connectionLost(code: string): boolean {
  return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03";
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs a workload until its duration or count, the signal, or a database that stays down. */
export async function runWorkload(o: WorkloadRunOptions): Promise<WorkloadRunEnd> {
  const startMs = o.startMs ?? performance.now();
  const warmupMs = (o.warmupS ?? 0) * 1000;
  const measuredStartMs = startMs + warmupMs;
  const plannedEnd = o.durationS !== undefined ? measuredStartMs + o.durationS * 1000 : Infinity;
  const open = o.tps !== undefined || o.rate !== undefined;
  const base = (at: number) => o.rate ? o.rate(at - startMs) : o.tps!;
  // The warm-up ramps the rate from 10 % to the target.
  const rate = (at: number) =>
    at < measuredStartMs ? base(at) * (0.1 + 0.9 * Math.max(0, at - startMs) / warmupMs) : base(at);
  const schedule = open ? new ArrivalSchedule(startMs, o.arrival ?? "constant", rate, o.seed) : undefined;
  const dispatcher = schedule ? new SlotDispatcher(schedule) : undefined;
  const choices = new Choices(o.seed);
  const weights = o.program.transactions.map((t) => t.weight);
  const executions = o.program.transactions.map(() => 0n);
  const maxTries = Math.max(1, o.maxTries ?? 1);
  const limitMs = o.latencyLimitMs;
  // Reconnects: connections a session opened beyond its first (a loss found while idle counts too).
  // (A session not yet connected at the start opens its first connection uncounted.)
  const opened = new Map(o.sessions.map((s) => [s, Math.max(1, s.opened ?? 0)]));
  const countReconnects = () => {
    for (const s of o.sessions) {
      const now = s.opened ?? 0;
      const before = opened.get(s)!;
      for (let i = before; i < now; i++) o.recorder.reconnected();
      opened.set(s, Math.max(before, now));
    }
  };
  let measured = 0;
  let finished: WorkloadRunEnd["stoppedBy"] | undefined;
  let reason: string | undefined;
  let lastEnd = startMs;

  const tick = () => {
    countReconnects();
    const now = performance.now();
    if (open) o.recorder.setTarget(rate(now));
    o.recorder.tick(now);
    o.onTick?.(now);
  };
  if (open) o.recorder.setTarget(rate(startMs));

  const step = async (session: TransactingTarget): Promise<LaneStep> => {
    // A slot, once due; its kind and values are fixed before anything else awaits, so slot order
    // decides them.
    let intended: number;
    if (dispatcher) {
      const slot = dispatcher.take();
      const due = typeof slot === "object" ? await slot : slot;
      if (due === undefined) return "ok";
      intended = due;
    } else intended = performance.now();
    // (Slots add up floating-point gaps: one due a hair before the end is the end's.)
    if (intended >= plannedEnd - 1e-6) {
      finished ??= "duration";
      dispatcher?.close();
      return "ok";
    }
    if (o.transactions !== undefined && intended >= measuredStartMs && ++measured > o.transactions) {
      finished ??= "transactions";
      dispatcher?.close();
      return "ok";
    }
    const kind = choices.weighted(weights);
    const n = executions[kind]!;
    executions[kind] = n + 1n;
    if (limitMs !== undefined && o.skipLate && performance.now() - intended > limitMs) {
      o.recorder.skipped(kind, intended);
      return "ok";
    }
    const statements = o.program.bind(kind, n);
    const start = performance.now();
    let outcome = await session.transaction(statements);
    for (let tries = 1; !outcome.ok && RETRYABLE.has(outcome.code) && tries < maxTries; tries++) {
      o.recorder.retried(kind, outcome.code);
      outcome = await session.transaction(statements);
    }
    const end = performance.now();
    if (end > lastEnd) lastEnd = end;
    if (outcome.ok) {
      o.recorder.done(kind, intended, start, end);
    } else {
      const shown = statements.map((s) => shownWithParams(s.text, s.params)).join("; ");
      o.recorder.done(kind, intended, start, end, {
        code: outcome.code,
        message: outcome.message,
        statement: `${o.program.transactions[kind]!.name}: ${shown}`.slice(0, 500),
      });
      if (connectionLost(outcome.code)) return { lost: `${outcome.code} ${outcome.message}` };
    }
    const think = o.program.transactions[kind]!.thinkMs;
    if (!open && think > 0) await sleep(think);
    return "ok";
  };

  const stop = () => dispatcher?.close();
  o.signal?.addEventListener("abort", stop);
  await runLanes({
    sessions: o.sessions,
    pipeline: o.pipeline ?? 1,
    done: () => finished !== undefined || o.signal?.aborted === true || reason !== undefined,
    step: (session) => step(session as TransactingTarget),
    giveUp: (why) => {
      reason = why;
      stop();
    },
    tick,
  });
  o.signal?.removeEventListener("abort", stop);
  tick();
  const stoppedBy = reason !== undefined
    ? "unreachable"
    : finished ?? (o.signal?.aborted ? "signal" : "transactions");
  const endMs = stoppedBy === "duration" ? plannedEnd : Math.max(lastEnd, measuredStartMs);
  return { startMs, measuredStartMs, endMs, stoppedBy, ...(reason !== undefined ? { reason } : {}) };
}
