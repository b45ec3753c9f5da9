/**
 * The account of an events run: per table and operation what was tried,
 * what succeeded, the rows it touched, the retries it took and its errors
 * by SQLSTATE (each with the first statement that raised it); overall the
 * rate and the statements' latency.
 *
 * @module
 */
import { classifyError, type Family, type Verdict, verdictLabel } from "../exec/classify.ts";
import { LatencyHistogram } from "../exec/latency.ts";
import type { EventOperation } from "./config.ts";

/** A SQLSTATE met by one table and operation. */
export interface EventError {
  code: string;
  /** The class it falls in (core/exec/classify.ts): `expected/integrity`, `generator_bug`, … */
  verdict: string;
  count: number;
  message: string;
  /** The first statement that raised it. */
  sql: string;
}

/** One table × operation. */
export interface OperationCount {
  table: string;
  operation: EventOperation;
  /** Events of this kind. */
  attempted: number;
  succeeded: number;
  failed: number;
  /** Rows inserted, updated or deleted by the events that succeeded. */
  rows: number;
  /** Statements sent again after a retryable failure. */
  retries: number;
  errors: EventError[];
}

/** The account of a run, as `--json` prints it. */
export interface EventsSummary {
  events: number;
  succeeded: number;
  failed: number;
  /** succeeded / events, in percent (100 when nothing ran). */
  successPercent: number;
  statements: number;
  retries: number;
  seconds: number;
  eventsPerSecond: number;
  /** Per statement sent, in milliseconds. */
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  operations: OperationCount[];
  /** Failures per SQLSTATE over the whole run, most frequent first. */
  errors: { code: string; verdict: string; count: number }[];
  /** Why the run ended before its count, if it did ("interrupted", a lost database). */
  stopped?: string;
}

type Entry = OperationCount & { byCode: Map<string, EventError> };

/** Counts a run as it goes. */
export class EventsAccount {
  readonly #family: Family;
  readonly #ops: Entry[] = [];
  /** Each table's entries, by operation (insert, update, delete): no key is built per event. */
  readonly #byTable = new Map<string, (Entry | undefined)[]>();
  readonly #latency = new LatencyHistogram();
  readonly #began = performance.now();
  #statements = 0;
  stopped: string | undefined;

  constructor(family: Family = "postgres") {
    this.#family = family;
  }

  #entry(table: string, operation: EventOperation) {
    let row = this.#byTable.get(table);
    if (!row) this.#byTable.set(table, row = [undefined, undefined, undefined]);
    const i = order(operation);
    let e = row[i];
    if (!e) {
      e = {
        table,
        operation,
        attempted: 0,
        succeeded: 0,
        failed: 0,
        rows: 0,
        retries: 0,
        errors: [],
        byCode: new Map(),
      };
      row[i] = e;
      this.#ops.push(e);
    }
    return e;
  }

  /** A statement answered after `micros` of service time. */
  statement(micros: number): void {
    this.#statements++;
    this.#latency.record(micros);
  }

  /** A statement failed and will be sent again with new values. */
  retry(table: string, operation: EventOperation): void {
    this.#entry(table, operation).retries++;
  }

  /** An event that succeeded, touching `rows` rows. */
  succeeded(table: string, operation: EventOperation, rows: number): void {
    const e = this.#entry(table, operation);
    e.attempted++;
    e.succeeded++;
    e.rows += rows;
  }

  /** An event whose last statement failed; returns the failure's class (core/exec/classify.ts). */
  failed(table: string, operation: EventOperation, code: string, message: string, sql: string): Verdict {
    const e = this.#entry(table, operation);
    e.attempted++;
    e.failed++;
    const verdict = classifyError(code, message, this.#family);
    const seen = e.byCode.get(code);
    if (seen) seen.count++;
    else e.byCode.set(code, { code, verdict: verdictLabel(verdict), count: 1, message, sql });
    return verdict;
  }

  /** The run so far. */
  summary(): EventsSummary {
    const seconds = (performance.now() - this.#began) / 1000;
    const operations = this.#ops.map(({ byCode, ...o }) => ({
      ...o,
      errors: [...byCode.values()].sort((a, b) => b.count - a.count),
    })).sort((a, b) => a.table.localeCompare(b.table) || order(a.operation) - order(b.operation));
    const events = operations.reduce((n, o) => n + o.attempted, 0);
    const succeeded = operations.reduce((n, o) => n + o.succeeded, 0);
    const codes = new Map<string, { code: string; verdict: string; count: number }>();
    for (const o of operations) {
      for (const e of o.errors) {
        const c = codes.get(e.code) ?? { code: e.code, verdict: e.verdict, count: 0 };
        c.count += e.count;
        codes.set(e.code, c);
      }
    }
    const ms = (p: number) => Math.round(this.#latency.percentile(p)) / 1000;
    const out: EventsSummary = {
      events,
      succeeded,
      failed: events - succeeded,
      successPercent: events === 0 ? 100 : Math.round((10000 * succeeded) / events) / 100,
      statements: this.#statements,
      retries: operations.reduce((n, o) => n + o.retries, 0),
      seconds: Math.round(seconds * 1000) / 1000,
      eventsPerSecond: seconds > 0 ? Math.round(events / seconds) : 0,
      latencyMs: { p50: ms(50), p95: ms(95), p99: ms(99), max: this.#latency.max / 1000 },
      operations,
      errors: [...codes.values()].sort((a, b) => b.count - a.count),
    };
    if (this.stopped) out.stopped = this.stopped;
    return out;
  }
}

const order = (op: EventOperation) => op === "insert" ? 0 : op === "update" ? 1 : 2;
