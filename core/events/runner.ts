/**
 * The events loop: each event picks a table and an operation by their
 * weights, has the kernel write its values, and runs through the execution
 * lanes (core/exec/lanes.ts). An INSERT that meets a unique or foreign-key
 * violation is written again with new rows, up to `insert_max_retries`
 * times; an UPDATE or DELETE that meets a constraint or a deadlock is sent
 * again with new values and a new sample, up to `update_max_retries` times.
 * Keys inserted and deleted flow back into the pools, so the next rows
 * reference rows that exist.
 *
 * An INSERT into a table whose NOT NULL foreign key has no parent rows yet
 * goes to that parent instead (when it is churned), so an empty schema fills
 * itself in dependency order.
 *
 * @module
 */
import type { Family } from "../exec/classify.ts";
import { type LaneStep, runLanes } from "../exec/lanes.ts";
import { preparing, type Target } from "../exec/targets.ts";
import { shownWithParams, textParams } from "../exec/wire.ts";
import type { RowWriter } from "../engine/row_writer.ts";
import type { EventOperation, EventsGenerator } from "./config.ts";
import type { EventTable } from "./tables.ts";
import { type EventPrograms, UPDATE_ROW_BASE } from "./row_programs.ts";
import type { KeyPool } from "./key_pool.ts";
import { Choices } from "../rng/choices.ts";
import { EventsAccount, type EventsSummary } from "./summary.ts";
import {
  defaultsInsert,
  deleteStatement,
  insertStatement,
  insertTemplate,
  sampledRows,
  type SampleOptions,
  type Sampling,
  setTemplate,
  updateStatement,
} from "./statements.ts";

/** Everything a run needs. */
export interface EventsRun {
  tables: readonly EventTable[];
  programs: EventPrograms;
  /** Writes the rows of `programs.compiled` (its memory holds the pools' lists). */
  writer: RowWriter;
  /** Every pool by id, filled with the keys that exist at the start. */
  pools: ReadonlyMap<string, KeyPool>;
  /** One per connection. */
  sessions: readonly Target[];
  /** Statements in flight per connection [default: 1]. */
  pipeline?: number;
  /**
   * Prepared statements with parameters (the kernel writes the parameters)
   * instead of statements with literals, on sessions that run them.
   */
  prepared?: boolean;
  generator: EventsGenerator;
  sampling: Sampling;
  /** Rows of each table at the start (estimates); kept up to date by the run. */
  estimatedRows: Map<string, number>;
  /** Seeds table, operation and column choices (from random_seed). */
  choiceSeed: bigint;
  family?: Family;
  /** Ends the run: statements in flight finish, nothing new starts. */
  signal?: AbortSignal;
  /** Called about four times a second. */
  onTick?(summary: EventsSummary): void;
  /** Every statement as it is sent (logging, determinism tests). */
  onStatement?(sql: string, event: number): void;
}

const RETRY: Record<EventOperation, ReadonlySet<string>> = {
  insert: new Set(["23505", "23503"]),
  update: new Set(["23505", "23503", "23514", "40001", "40P01"]),
  delete: new Set(["23503", "40001", "40P01"]),
};

/** A statement: its text, and with parameters, how it is bound. */
interface Statement {
  text: string;
  bound?: { name: string; params: Uint8Array; count: number };
}

/** A statement as a person reads it: the text, then its parameters. */
function shown(st: Statement): string {
  return st.bound && st.bound.count > 0 ? shownWithParams(st.text, st.bound.params) : st.text;
}

interface Event {
  index: number;
  table: EventTable;
  op: EventOperation;
}

/** Runs events until `num_iterations`, the signal, or a lost database; resolves with the account. */
export async function runEvents(run: EventsRun): Promise<EventsSummary> {
  const g = run.generator;
  const account = new EventsAccount(run.family);
  const choices = new Choices(run.choiceSeed);
  const byName = new Map(run.tables.map((t) => [t.name, t]));
  const tableWeights = run.tables.map((t) => t.weight);
  const limit = g.numIterations < 0 ? Infinity : g.numIterations;
  const counters = new Map<string, bigint>();
  const count = (key: string) => {
    const n = counters.get(key) ?? 0n;
    counters.set(key, n + 1n);
    return n;
  };
  let started = 0;
  let pause: Promise<void> | undefined;
  const done = () => run.signal?.aborted === true || started >= limit || account.stopped !== undefined;

  /** The parent to insert into first, while a NOT NULL key of `t` has nothing to reference. */
  const insertTarget = (t: EventTable): EventTable => {
    for (let depth = 0; depth < 8; depth++) {
      const empty = t.references.find((r) =>
        r.pool.parent !== t.name && byName.has(r.pool.parent) &&
        (run.pools.get(r.pool.id)?.size ?? 0) === 0 &&
        r.fk.columns.some((c) => t.table.columns.find((x) => x.name === c)?.nullable === false)
      );
      if (!empty) return t;
      t = byName.get(empty.pool.parent)!;
    }
    return t;
  };

  const nextEvent = (): Event => {
    const index = started++;
    const table = run.tables[choices.weighted(tableWeights)]!;
    const op = g.operations[choices.weighted(g.operationWeights)]!;
    if (g.waitAfterOperations > 0 && g.waitDurationSeconds > 0 && (index + 1) % g.waitAfterOperations === 0) {
      pause = new Promise<void>((r) => setTimeout(r, g.waitDurationSeconds * 1000)).then(() => {
        pause = undefined;
      });
    }
    return { index, table: op === "insert" ? insertTarget(table) : table, op };
  };

  /** Key columns an INSERT or DELETE of `t` returns: those of every pool of its rows. */
  const returnedColumns = new Map<string, string[]>();
  const returnedOf = (t: EventTable) => {
    let cols = returnedColumns.get(t.name);
    if (!cols) {
      cols = [...new Set(t.poolsHere.flatMap((p) => p.columns))];
      returnedColumns.set(t.name, cols);
    }
    return cols;
  };

  /** Each table's INSERT text with parameters (the same for every event). */
  const insertTexts = new Map<string, string>();
  /** Statement texts of prepared statements, by text: their names. */
  const names = new Map<string, string>();
  const bound = (text: string, params: Uint8Array, count: number): Statement => {
    let name = names.get(text);
    if (name === undefined) names.set(text, name = `quarry_events_${names.size}`);
    return { text, bound: { name, params, count } };
  };
  const withSample = (text: string, head: Uint8Array, headCount: number, values: string[]): Statement => {
    if (values.length === 0) return bound(text, head.slice(), headCount);
    const tail = textParams(values);
    const params = new Uint8Array(head.length + tail.length);
    params.set(head);
    params.set(tail, head.length);
    return bound(text, params, headCount + values.length);
  };

  const statement = (e: Event, attempt: number): Statement => {
    const t = e.table;
    const program = run.programs.tables.get(t.name)!;
    const prepared = run.prepared === true;
    const sampleOf = (rows: number, guarded: boolean): SampleOptions => ({
      sampling: run.sampling,
      rows,
      estimatedRows: run.estimatedRows.get(t.name) ?? 0,
      token: choices.below(2 ** 31),
      guarded,
    });
    switch (e.op) {
      case "insert": {
        const n = g.insertRows;
        if (!program.compiled) return { text: defaultsInsert(t, n, returnedOf(t)) };
        // A retry skips ahead 2^attempt batches: a run of keys taken earlier is left quickly.
        // (at most 1024 batches a retry, so integer keys continued past the largest stay in range).
        const skip = attempt === 0 ? 0n : 1n << BigInt(Math.min(attempt, 10));
        const key = `i${t.name}`;
        counters.set(key, (counters.get(key) ?? 0n) + skip);
        const first = program.insertBase + count(key) * BigInt(n);
        if (!prepared) {
          return {
            text: insertStatement(run.writer.write(program.compiled, "sql", first, n), returnedOf(t)),
          };
        }
        let text = insertTexts.get(t.name);
        if (text === undefined) {
          text = insertTemplate(t, program.compiled.columns.map((c) => c.name), n, returnedOf(t));
          insertTexts.set(t.name, text);
        }
        const params = run.writer.bytes(program.compiled, "bind", first, n);
        return bound(text, params.slice(), n * program.compiled.columns.length);
      }
      case "update": {
        const sample = sampleOf(g.updateRows, false);
        if (!program.compiled || program.settableEntries.length === 0) {
          return { text: updateStatement(t, null, sampledRows(t, sample).where) };
        }
        const mask = choices.subsetMask(program.settableEntries);
        const row = UPDATE_ROW_BASE + count(`u${t.name}`);
        if (!prepared) {
          const set = run.writer.write(program.compiled, "set", row, 1, mask);
          return { text: updateStatement(t, set, sampledRows(t, sample).where) };
        }
        const columns = program.compiled.columns.filter((_, i) => (mask >> BigInt(i)) & 1n).map((c) =>
          c.name
        );
        const { where, values } = sampledRows(t, sample, columns.length + 1);
        const params = run.writer.bytes(program.compiled, "bind", row, 1, mask);
        return withSample(updateStatement(t, setTemplate(columns), where), params, columns.length, values);
      }
      case "delete": {
        const sample = sampleOf(g.deleteRows, true);
        if (!prepared) return { text: deleteStatement(t, sampledRows(t, sample).where, returnedOf(t)) };
        const { where, values } = sampledRows(t, sample, 1);
        return withSample(deleteStatement(t, where, returnedOf(t)), new Uint8Array(), 0, values);
      }
    }
  };

  /** Inserted keys join their pools, deleted ones leave. */
  const track = (e: Event, rows: (string | null)[][], affected: number) => {
    const t = e.table;
    const est = run.estimatedRows.get(t.name) ?? 0;
    run.estimatedRows.set(
      t.name,
      Math.max(0, est + (e.op === "insert" ? affected : e.op === "delete" ? -affected : 0)),
    );
    if (e.op === "update" || rows.length === 0) return;
    const cols = returnedOf(t);
    for (const p of t.poolsHere) {
      const pool = run.pools.get(p.id);
      if (!pool) continue;
      const at = p.columns.map((c) => cols.indexOf(c));
      for (const row of rows) {
        const key = at.map((i) => row[i] ?? null);
        if (e.op === "insert") pool.add(key);
        else pool.remove(key);
      }
    }
  };

  const step = async (session: Target): Promise<LaneStep> => {
    while (pause) await pause;
    if (done()) return "ok";
    const e = nextEvent();
    const retries = e.op === "insert" ? g.insertMaxRetries : g.updateMaxRetries;
    for (let attempt = 0;; attempt++) {
      const st = statement(e, attempt);
      if (run.onStatement) run.onStatement(shown(st), e.index);
      const sent = performance.now();
      const o = st.bound && preparing(session)
        ? await session.execute(st.bound.name, st.text, st.bound.params, st.bound.count)
        : await session.query(st.text);
      // Latency as the application sees it: from sending to the answer, queueing behind the
      // session's other statements in flight included.
      account.statement((performance.now() - sent) * 1000);
      if (o.ok) {
        track(e, o.rows, o.affected);
        account.succeeded(e.table.name, e.op, o.affected);
        return "ok";
      }
      if (RETRY[e.op].has(o.code) && attempt < retries) {
        account.retry(e.table.name, e.op);
        continue;
      }
      const verdict = account.failed(e.table.name, e.op, o.code, o.message, shown(st));
      return verdict.class === "connection" ? { lost: `${o.code}: ${o.message}` } : "ok";
    }
  };

  await runLanes({
    sessions: run.sessions,
    pipeline: run.pipeline ?? 1,
    done,
    step,
    giveUp: (reason) => account.stopped ??= reason,
    ...(run.onTick ? { tick: () => run.onTick!(account.summary()) } : {}),
  });
  if (run.signal?.aborted) account.stopped ??= "interrupted";
  return account.summary();
}
