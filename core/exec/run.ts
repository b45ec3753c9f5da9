/**
 * Executes generated statements on a database and accounts for every one:
 * latency, and for each failure its SQLSTATE and class (core/exec/classify.ts).
 * Each session (one connection) keeps up to `pipeline` statements in flight;
 * a line that opens a transaction has its session to itself, and is rolled
 * back if it fails, so one failed transaction never poisons the next
 * statement. A lost connection is counted and the session carries on (the
 * driver reconnects); a server fault is kept as a finding with the statement
 * index that reproduces it.
 *
 * @module
 */
import { classifyError, type Family, type Verdict, verdictLabel } from "./classify.ts";
import type { Coverage } from "./coverage.ts";
import { LatencyHistogram } from "./latency.ts";
import type { Outcome, Target } from "./targets.ts";
import { type LaneStep, runLanes, type SessionClock } from "./lanes.ts";

/** What to run, where, and for how long. */
export interface RunPlan {
  /** Statements [first, first + count) of the grammar. */
  statements(first: bigint, count: number): string[];
  /** The grammar rules statement `index` went through (LocalGenerator.rulePath). */
  rulePath?(index: bigint): string[];
  /** Index of the first statement [default: 0]. */
  first?: bigint;
  /** Stop after this many statements. */
  count?: bigint;
  /** Stop after this many milliseconds. */
  durationMs?: number;
  /** One target per connection. */
  sessions: Target[];
  /** Statements in flight per session [default: 1]. */
  pipeline?: number;
  family: Family;
  coverage?: Coverage;
  /** Called about four times a second with the run so far. */
  onTick?(summary: RunSummary): void;
  /** Ends the run early (Ctrl-C); what ran is still summarized. */
  signal?: AbortSignal;
}

/** A SQLSTATE seen in a run, with the first statement that raised it. */
export interface CodeCount {
  code: string;
  /** `expected/integrity`, `generator_bug`, … */
  verdict: string;
  count: number;
  message: string;
  /** Statement index: `quarry generate --seed S --at INDEX` prints it again. */
  index: string;
  sql: string;
  /** The grammar rules that statement went through, so its author knows where to look. */
  rules?: string[];
}

/** A statement the server failed on in a way that is its own bug, or that took it down. */
export interface Finding {
  code: string;
  message: string;
  index: string;
  sql: string;
}

/** The account of a run. */
export interface RunSummary {
  statements: number;
  succeeded: number;
  failed: number;
  seconds: number;
  statementsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** Failures per class: expected/data, generator_bug, connection, … */
  classes: Record<string, number>;
  /** Failures per SQLSTATE, most frequent first. */
  codes: CodeCount[];
  /** Connections lost and re-established. */
  reconnects: number;
  findings: Finding[];
  /** Why the run stopped before its count or duration, if it did. */
  stopped?: string;
}

const OPENS_TRANSACTION = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;

/**
 * Whether a line opens a transaction: it needs its session to itself, and a
 * ROLLBACK after it fails so the next statement does not run in an aborted one.
 */
export function opensTransaction(sql: string): boolean {
  return OPENS_TRANSACTION.test(sql);
}

/** Sessions ended because the server crashed (57P02) or is restarting after one (57P03). */
const SERVER_DOWN = new Set(["57P02", "57P03"]);

const BATCH = 1024;

/** Shared and exclusive use of one session. */
class SessionGate {
  #inflight = 0;
  #exclusive: Promise<void> | undefined;
  #drained: (() => void)[] = [];

  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#exclusive) await this.#exclusive;
    this.#inflight++;
    try {
      return await fn();
    } finally {
      if (--this.#inflight === 0) this.#drained.splice(0).forEach((f) => f());
    }
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#exclusive) await this.#exclusive;
    let release!: () => void;
    this.#exclusive = new Promise((r) => release = r);
    try {
      if (this.#inflight > 0) await new Promise<void>((r) => this.#drained.push(r));
      return await fn();
    } finally {
      this.#exclusive = undefined;
      release();
    }
  }
}

/** Runs the plan; resolves with its summary when the count or duration is reached. */
export async function runStatements(plan: RunPlan): Promise<RunSummary> {
  const first = plan.first ?? 0n;
  const limit = plan.count;
  const deadline = plan.durationMs === undefined ? Infinity : performance.now() + plan.durationMs;
  const latency = new LatencyHistogram();
  const classes: Record<string, number> = {};
  const codes = new Map<string, CodeCount>();
  const findings: Finding[] = [];
  let next = 0n;
  let batchStart = -1n;
  let batch: string[] = [];
  let succeeded = 0, failed = 0, reconnects = 0;
  let stopped: string | undefined;
  const began = performance.now();

  const statementAt = (offset: bigint): string => {
    if (offset < batchStart || offset >= batchStart + BigInt(batch.length)) {
      batchStart = offset;
      const n = limit === undefined
        ? BATCH
        : Number(limit - offset < BigInt(BATCH) ? limit - offset : BigInt(BATCH));
      batch = plan.statements(first + offset, n);
    }
    return batch[Number(offset - batchStart)]!;
  };

  const summary = (): RunSummary => {
    const seconds = (performance.now() - began) / 1000;
    const ms = (p: number) => Math.round(latency.percentile(p)) / 1000;
    const out: RunSummary = {
      statements: succeeded + failed,
      succeeded,
      failed,
      seconds: Math.round(seconds * 1000) / 1000,
      statementsPerSecond: seconds > 0 ? Math.round((succeeded + failed) / seconds) : 0,
      latencyMs: { p50: ms(50), p95: ms(95), p99: ms(99), max: latency.max / 1000 },
      classes: { ...classes },
      codes: [...codes.values()].sort((a, b) => b.count - a.count),
      reconnects,
      findings: [...findings],
    };
    if (stopped) out.stopped = stopped;
    return out;
  };

  /** Counts the outcome; returns the failure's verdict, if it failed. */
  const account = (o: Outcome, offset: bigint, sql: string): Verdict | undefined => {
    if (o.ok) {
      succeeded++;
      return undefined;
    }
    failed++;
    const verdict = classifyError(o.code, o.message, plan.family);
    const label = verdictLabel(verdict);
    classes[label] = (classes[label] ?? 0) + 1;
    const seen = codes.get(o.code);
    if (seen) seen.count++;
    else {
      const entry: CodeCount = {
        code: o.code,
        verdict: label,
        count: 1,
        message: o.message,
        index: String(first + offset),
        sql,
      };
      const rules = plan.rulePath?.(first + offset);
      if (rules) entry.rules = rules;
      codes.set(o.code, entry);
    }
    if (verdict.class === "connection") reconnects++;
    if ((verdict.class === "server_fault" || SERVER_DOWN.has(o.code)) && findings.length < 20) {
      findings.push({ code: o.code, message: o.message, index: String(first + offset), sql });
    }
    return verdict;
  };

  const done = () =>
    stopped !== undefined || plan.signal?.aborted === true || performance.now() >= deadline ||
    (limit !== undefined && next >= limit);

  // Latency is service time (core/exec/lanes.ts): a pipelined statement is timed from when it was
  // sent or when the one before it on its session finished, whichever is later.
  const gates = new Map<Target, SessionGate>();
  const step = async (session: Target, clock: SessionClock): Promise<LaneStep> => {
    let gate = gates.get(session);
    if (!gate) gates.set(session, gate = new SessionGate());
    const offset = next++;
    const sql = statementAt(offset);
    const sent = performance.now();
    const o = opensTransaction(sql)
      ? await gate.exclusive(async () => {
        const r = await session.run(sql);
        if (!r.ok) await session.run("ROLLBACK");
        return r;
      })
      : await gate.shared(() => session.run(sql));
    latency.record(clock.served(sent));
    const verdict = account(o, offset, sql);
    plan.coverage?.add(sql);
    return !o.ok && verdict?.class === "connection" ? { lost: `${o.code}: ${o.message}` } : "ok";
  };

  await runLanes({
    sessions: plan.sessions,
    pipeline: plan.pipeline ?? 1,
    done,
    step,
    giveUp: (reason) => stopped ??= reason,
    ...(plan.onTick ? { tick: () => plan.onTick!(summary()) } : {}),
  });
  if (plan.signal?.aborted) stopped ??= "interrupted";
  return summary();
}
