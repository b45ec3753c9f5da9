/**
 * Databases statements run against: a PostgreSQL server through
 * npm:postgres, or an embedded PGlite. Each statement runs on its own in
 * autocommit, or with `runRolledBack` inside a transaction that is rolled
 * back; a failure is returned with its SQLSTATE, never thrown.
 *
 * @module
 */
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import { paramValues } from "./wire.ts";

/** The outcome of one statement. */
export type Outcome = { ok: true } | Failure;

/** A statement that failed, with its SQLSTATE. */
export type Failure = { ok: false; code: string; message: string };

/**
 * The outcome of a statement whose result is read: its rows as text (cast
 * what you select to text to get the server's own spelling) and the rows it
 * affected (the count in its command tag; for several statements, the last).
 */
export type QueryOutcome =
  | { ok: true; rows: (string | null)[][]; affected: number }
  | Failure;

/** Somewhere to run SQL. */
export interface Target {
  readonly name: string;
  /** Runs one statement. */
  run(sql: string): Promise<Outcome>;
  /** Runs one statement and reads its result. */
  query(sql: string): Promise<QueryOutcome>;
  /** Runs statements in order; outcomes in the same order. */
  runAll(sql: readonly string[]): Promise<Outcome[]>;
  /**
   * Runs one statement between BEGIN and ROLLBACK, so it changes nothing but
   * sequences (nextval is never rolled back). Statements that cannot run in a
   * transaction block (VACUUM, CREATE DATABASE) fail with 25001. A
   * transaction-control statement would end the wrapping transaction: callers
   * must not pass one. A lost or refused connection comes back as SQLSTATE
   * 08001 or 08006, so a caller needs no knowledge of the driver's codes.
   */
  runRolledBack(sql: string): Promise<Outcome>;
  close(): Promise<void>;
}

/** A target that also runs prepared statements with parameters (the wire client). */
export interface PreparingTarget extends Target {
  /**
   * Runs statement `text` under `name` (prepared once per connection) with
   * `count` text parameters, given as a Bind message's parameter section.
   */
  execute(name: string, text: string, params: Uint8Array, count: number): Promise<QueryOutcome>;
}

/** A prepared statement with its parameters, as a Bind message's parameter section (see `textParams`). */
export interface BoundStatement {
  /** Prepared once per connection under this name. */
  name: string;
  text: string;
  params: Uint8Array;
  count: number;
}

/** A target that runs several statements as one transaction (workloads). */
export interface TransactingTarget extends Target {
  /** Connections opened so far, where the target has connections (the wire client). */
  readonly opened?: number;
  /**
   * Runs `statements` in order as one transaction: all take effect or none.
   * The outcome is the first failure, else the last statement's rows and count.
   */
  transaction(statements: readonly BoundStatement[]): Promise<QueryOutcome>;
}

/** Whether a target runs prepared statements. */
export function preparing(t: Target): t is PreparingTarget {
  return typeof (t as Partial<PreparingTarget>).execute === "function";
}

/** A driver's error as an outcome: its SQLSTATE, or "?????" when it has none. */
export function failureOutcome(e: unknown): Failure {
  const err = e as { code?: unknown; message?: unknown };
  return { ok: false, code: typeof err.code === "string" ? err.code : "?????", message: String(err.message) };
}

/** A result cell as text: drivers parse some types even when asked for text. */
function textCell(v: unknown): string | null {
  return v === null || v === undefined ? null : typeof v === "string" ? v : String(v);
}

/** Connecting failed: postgres.js and Deno name these without a SQLSTATE. */
const CANNOT_CONNECT = /^(E[A-Z]+|CONNECT_TIMEOUT)$/;
/** An open connection went away. */
const CONNECTION_LOST = /^CONNECTION_(CLOSED|ENDED|DESTROYED)$/;

/**
 * Like `failureOutcome`, but a driver's connection failure gets the SQLSTATE a
 * libpq client would report (08001 cannot connect, 08006 connection lost),
 * with the driver's code kept in the message. A missing permission is a
 * usage problem, not an outcome, so it is thrown on.
 */
function sqlstateOutcome(e: unknown): Failure {
  if (e instanceof Deno.errors.NotCapable) throw e;
  const o = failureOutcome(e);
  const state = CANNOT_CONNECT.test(o.code) ? "08001" : CONNECTION_LOST.test(o.code) ? "08006" : undefined;
  return state ? { ok: false, code: state, message: `${o.code}: ${o.message}` } : o;
}

/** Options for {@link postgresTarget}. */
export interface PostgresOptions {
  /** statement_timeout for every statement [default: 10000]. */
  statementTimeoutMs?: number;
  /** How long connecting may take [default: postgres.js's 30 s]. */
  connectTimeoutSeconds?: number;
  /**
   * How long close waits for queries still under way before dropping the
   * connection [default: forever]. Set it where a connection may have died:
   * after the server ends a session, postgres.js's close can otherwise hang.
   */
  closeTimeoutSeconds?: number;
}

/**
 * A PostgreSQL server. Requires `--allow-net` for its address and
 * `--allow-env` (postgres.js reads PG* variables).
 */
export function postgresTarget(url: string, options: PostgresOptions = {}): Target {
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    // Generated statements are all different: naming and keeping a prepared
    // statement for each would cost the server work and memory for nothing.
    prepare: false,
    // Results are never read, so there are no custom types to learn at connect.
    fetch_types: false,
    connection: { statement_timeout: options.statementTimeoutMs ?? 10000 },
    ...(options.connectTimeoutSeconds === undefined
      ? {}
      : { connect_timeout: options.connectTimeoutSeconds }),
  });
  // The simple protocol: one message per statement, as psql and pgbench send, and a
  // line may hold several statements (a whole transaction).
  const run = (text: string) =>
    sql.unsafe(text).simple().then((): Outcome => ({ ok: true }), sqlstateOutcome);
  const query = (text: string) =>
    sql.unsafe(text).simple().values().then(
      (r): QueryOutcome => ({
        ok: true,
        rows: (r as unknown as unknown[][]).map((row) => row.map(textCell)),
        affected: r.count ?? 0,
      }),
      sqlstateOutcome,
    );
  return {
    name: "postgresql",
    run,
    query,
    // One connection pipelines the queries and keeps their order.
    runAll: (texts) => Promise.all(texts.map(run)),
    async runRolledBack(text) {
      // All three go out at once, in order, on the one connection, so the
      // statement never runs outside the transaction: should the connection
      // drop after BEGIN, it fails with it instead of running in autocommit
      // on a new one. (postgres.js's own sql.begin and sql.reserve crash the
      // process when their connection dies, so they are not used.)
      const begin = sql.unsafe("BEGIN").execute();
      const statement = sql.unsafe(text).execute();
      const rollback = sql.unsafe("ROLLBACK").execute();
      const [b, s] = await Promise.allSettled([begin, statement, rollback]);
      if (b.status === "rejected") return sqlstateOutcome(b.reason);
      return s.status === "rejected" ? sqlstateOutcome(s.reason) : { ok: true };
    },
    close: () =>
      options.closeTimeoutSeconds === undefined
        ? sql.end()
        : sql.end({ timeout: options.closeTimeoutSeconds }),
  };
}

/**
 * An in-memory PGlite, or `db` (which the target then owns and closes).
 * Requires `--allow-read` for its data files.
 */
export async function pgliteTarget(db?: PGlite): Promise<TransactingTarget> {
  db ??= await PGlite.create();
  const run = (text: string) => db.exec(text).then((): Outcome => ({ ok: true }), failureOutcome);
  const query = (text: string) =>
    db.exec(text, { rowMode: "array" }).then((results): QueryOutcome => {
      const last = results[results.length - 1];
      return {
        ok: true,
        rows: ((last?.rows ?? []) as unknown as unknown[][]).map((row) => row.map(textCell)),
        affected: last?.affectedRows ?? 0,
      };
    }, failureOutcome);
  return {
    name: "pglite",
    run,
    query,
    async runAll(texts) {
      const out: Outcome[] = [];
      for (const t of texts) out.push(await run(t));
      return out;
    },
    async transaction(statements) {
      type Rows = { rows: unknown[]; affectedRows?: number };
      const one = async (q: Pick<PGlite, "query">, s: BoundStatement) =>
        (await q.query(s.text, paramValues(s.params), { rowMode: "array" })) as Rows;
      const outcome = (r: Rows | undefined): QueryOutcome => ({
        ok: true,
        rows: ((r?.rows ?? []) as unknown[][]).map((row) => row.map(textCell)),
        affected: r?.affectedRows ?? 0,
      });
      try {
        if (statements.length === 1) return outcome(await one(db, statements[0]!));
        return outcome(
          await db.transaction(async (tx) => {
            let last: Rows | undefined;
            for (const s of statements) last = await one(tx, s);
            return last;
          }),
        );
      } catch (e) {
        return sqlstateOutcome(e);
      }
    },
    async runRolledBack(text) {
      await db.exec("BEGIN");
      try {
        // query() uses the extended protocol: one statement, as on a server.
        await db.query(text);
        return { ok: true };
      } catch (e) {
        return sqlstateOutcome(e);
      } finally {
        await db.exec("ROLLBACK");
      }
    },
    close: () => db.close(),
  };
}
