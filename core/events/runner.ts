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
import { type EventPrograms, type TableProgram, UPDATE_ROW_BASE } from "./row_programs.ts";
import type { KeyPool } from "./key_pool.ts";
import { Choices } from "../rng/choices.ts";
import { EventsAccount, type EventsSummary } from "./summary.ts";
import {
  defaultsInsert,
  deleteStatement,
  insertStatement,
  insertTemplate,
  ordered,
  sampledRows,
  type SampleOptions,
  sampleValues,
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

const NO_BYTES = new Uint8Array(0);

/** A statement: its text, and with parameters, how it is bound. */
interface Statement {
  text: string;
  bound?: { name: string; params: Uint8Array; count: number };
}

/** A statement as a person reads it: the text, then its parameters. */
function shown(st: Statement): string {
  return st.bound && st.bound.count > 0 ? shownWithParams(st.text, st.bound.params) : st.text;
}

/** A prepared statement's text, its name, and how many parameters the kernel's values fill. */
interface Shape {
  text: string;
  name: string;
  values: number;
}

/** What the loop keeps per churned table, so an event builds no text and looks nothing up by name. */
interface TableState {
  t: EventTable;
  program: TableProgram;
  /** INSERT batches taken so far (retries skip ahead), and UPDATE rows. */
  inserted: bigint;
  updated: bigint;
  /** Rows at the start (an estimate), kept up to date. */
  rows: number;
  /** Key columns an INSERT or DELETE returns: those of every pool of its rows. */
  returned: string[];
  /** The pools fed by those rows, with where each of a pool's columns sits in a returned row. */
  feeds: { pool: KeyPool; at: number[] }[];
  /** NOT NULL keys drawing from another churned table: while the pool is empty, that table gets the insert. */
  needs: { pool: KeyPool | undefined; parent: string }[];
  /** Prepared shapes: the INSERT; UPDATEs by assigned columns and DELETEs, each for a page sample, then an ordered one. */
  insert?: Shape;
  updates: [Map<bigint, Shape>, Map<bigint, Shape>];
  deletes: [Shape | undefined, Shape | undefined];
}

/**
 * Parameter bytes of statements in flight, one buffer each, reused: the
 * kernel's output is overwritten by the next statement, and a failure is
 * reported with its parameters after the answer.
 */
class ParamBuffers {
  readonly #free: Uint8Array[] = [];

  take(): { bytes: Uint8Array } {
    return { bytes: this.#free.pop() ?? new Uint8Array(4096) };
  }

  give(b: { bytes: Uint8Array }): void {
    this.#free.push(b.bytes);
  }

  /** `parts` one after another in `b` (grown when they do not fit). */
  static fill(b: { bytes: Uint8Array }, head: Uint8Array, tail?: Uint8Array): Uint8Array {
    const n = head.length + (tail?.length ?? 0);
    if (n > b.bytes.length) b.bytes = new Uint8Array(Math.max(n, 2 * b.bytes.length));
    b.bytes.set(head);
    if (tail) b.bytes.set(tail, head.length);
    return b.bytes.subarray(0, n);
  }
}

interface Event {
  index: number;
  table: TableState;
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
  const prepared = run.prepared === true;
  let started = 0;
  let pause: Promise<void> | undefined;
  const done = () => run.signal?.aborted === true || started >= limit || account.stopped !== undefined;

  const states = new Map<string, TableState>();
  for (const t of run.tables) {
    const returned = [...new Set(t.poolsHere.flatMap((p) => p.columns))];
    const feeds = t.poolsHere.flatMap((p) => {
      const pool = run.pools.get(p.id);
      return pool ? [{ pool, at: p.columns.map((c) => returned.indexOf(c)) }] : [];
    });
    const needs = t.references.filter((r) =>
      r.pool.parent !== t.name && byName.has(r.pool.parent) &&
      r.fk.columns.some((c) => t.table.columns.find((x) => x.name === c)?.nullable === false)
    ).map((r) => ({ pool: run.pools.get(r.pool.id), parent: r.pool.parent }));
    states.set(t.name, {
      t,
      program: run.programs.tables.get(t.name)!,
      inserted: 0n,
      updated: 0n,
      rows: run.estimatedRows.get(t.name) ?? 0,
      returned,
      feeds,
      needs,
      updates: [new Map(), new Map()],
      deletes: [undefined, undefined],
    });
  }
  const tableStates = run.tables.map((t) => states.get(t.name)!);

  /** The parent to insert into first, while a NOT NULL key of `s` has nothing to reference. */
  const insertTarget = (s: TableState): TableState => {
    for (let depth = 0; depth < 8; depth++) {
      const empty = s.needs.find((n) => (n.pool?.size ?? 0) === 0);
      if (!empty) return s;
      s = states.get(empty.parent)!;
    }
    return s;
  };

  const nextEvent = (): Event => {
    const index = started++;
    const table = tableStates[choices.weighted(tableWeights)]!;
    const op = g.operations[choices.weighted(g.operationWeights)]!;
    if (g.waitAfterOperations > 0 && g.waitDurationSeconds > 0 && (index + 1) % g.waitAfterOperations === 0) {
      pause = new Promise<void>((r) => setTimeout(r, g.waitDurationSeconds * 1000)).then(() => {
        pause = undefined;
      });
    }
    return { index, table: op === "insert" ? insertTarget(table) : table, op };
  };

  /** Statement texts of prepared statements, by text: their names. */
  const names = new Map<string, string>();
  const shape = (text: string, values: number): Shape => {
    let name = names.get(text);
    if (name === undefined) names.set(text, name = `quarry_events_${names.size}`);
    return { text, name, values };
  };

  const statement = (e: Event, attempt: number, buffer: { bytes: Uint8Array }): Statement => {
    const s = e.table;
    const t = s.t;
    const program = s.program;
    const sampleOf = (rows: number, guarded: boolean): SampleOptions => ({
      sampling: run.sampling,
      rows,
      estimatedRows: s.rows,
      token: choices.below(2 ** 31),
      guarded,
    });
    /** The statement of `sh` with the kernel's `head` and the sample's values as parameters. */
    const bind = (sh: Shape, head: Uint8Array, sample?: SampleOptions): Statement => {
      const values = sample ? sampleValues(t, sample) : [];
      const params = ParamBuffers.fill(buffer, head, values.length > 0 ? textParams(values) : undefined);
      return { text: sh.text, bound: { name: sh.name, params, count: sh.values + values.length } };
    };
    switch (e.op) {
      case "insert": {
        const n = g.insertRows;
        if (!program.compiled) return { text: defaultsInsert(t, n, s.returned) };
        // A retry skips ahead 2^attempt batches: a run of keys taken earlier is left quickly.
        // (at most 1024 batches a retry, so integer keys continued past the largest stay in range).
        if (attempt > 0) s.inserted += 1n << BigInt(Math.min(attempt, 10));
        const first = program.insertBase + s.inserted++ * BigInt(n);
        if (!prepared) {
          return { text: insertStatement(run.writer.write(program.compiled, "sql", first, n), s.returned) };
        }
        s.insert ??= shape(
          insertTemplate(t, program.compiled.columns.map((c) => c.name), n, s.returned),
          n * program.compiled.columns.length,
        );
        return bind(s.insert, run.writer.bytes(program.compiled, "bind", first, n));
      }
      case "update": {
        const sample = sampleOf(g.updateRows, false);
        if (!program.compiled || program.settableEntries.length === 0) {
          return { text: updateStatement(t, null, sampledRows(t, sample).where) };
        }
        const mask = choices.subsetMask(program.settableEntries);
        const row = UPDATE_ROW_BASE + s.updated++;
        if (!prepared) {
          const set = run.writer.write(program.compiled, "set", row, 1, mask);
          return { text: updateStatement(t, set, sampledRows(t, sample).where) };
        }
        const shapes = s.updates[ordered(sample) ? 1 : 0];
        let sh = shapes.get(mask);
        if (sh === undefined) {
          const columns = program.compiled.columns.filter((_, i) => (mask >> BigInt(i)) & 1n).map((c) =>
            c.name
          );
          const { where } = sampledRows(t, sample, columns.length + 1);
          shapes.set(mask, sh = shape(updateStatement(t, setTemplate(columns), where), columns.length));
        }
        return bind(sh, run.writer.bytes(program.compiled, "bind", row, 1, mask), sample);
      }
      case "delete": {
        const sample = sampleOf(g.deleteRows, true);
        if (!prepared) return { text: deleteStatement(t, sampledRows(t, sample).where, s.returned) };
        const sh = s.deletes[ordered(sample) ? 1 : 0] ??= shape(
          deleteStatement(t, sampledRows(t, sample, 1).where, s.returned),
          0,
        );
        return bind(sh, NO_BYTES, sample);
      }
    }
  };

  /** Inserted keys join their pools, deleted ones leave. */
  const track = (e: Event, rows: (string | null)[][], affected: number) => {
    const s = e.table;
    if (e.op === "update") return;
    s.rows = Math.max(0, s.rows + (e.op === "insert" ? affected : -affected));
    for (const { pool, at } of s.feeds) {
      for (const row of rows) {
        if (at.length === 1) {
          if (e.op === "insert") pool.addOne(row[at[0]!] ?? null);
          else pool.removeOne(row[at[0]!] ?? null);
        } else {
          const key = at.map((i) => row[i] ?? null);
          if (e.op === "insert") pool.add(key);
          else pool.remove(key);
        }
      }
    }
  };

  const buffers = new ParamBuffers();
  const step = async (session: Target): Promise<LaneStep> => {
    while (pause) await pause;
    if (done()) return "ok";
    const e = nextEvent();
    const name = e.table.t.name;
    const retries = e.op === "insert" ? g.insertMaxRetries : g.updateMaxRetries;
    const buffer = buffers.take();
    try {
      for (let attempt = 0;; attempt++) {
        const st = statement(e, attempt, buffer);
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
          account.succeeded(name, e.op, o.affected);
          return "ok";
        }
        if (RETRY[e.op].has(o.code) && attempt < retries) {
          account.retry(name, e.op);
          continue;
        }
        const verdict = account.failed(name, e.op, o.code, o.message, shown(st));
        return verdict.class === "connection" ? { lost: `${o.code}: ${o.message}` } : "ok";
      }
    } finally {
      buffers.give(buffer);
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
  for (const s of tableStates) run.estimatedRows.set(s.t.name, s.rows);
  if (run.signal?.aborted) account.stopped ??= "interrupted";
  return account.summary();
}
