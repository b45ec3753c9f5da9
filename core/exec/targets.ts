/**
 * Databases statements run against: a PostgreSQL server through
 * npm:postgres, or an embedded PGlite. Each statement runs on its own in
 * autocommit; a failure is returned with its SQLSTATE, never thrown.
 *
 * @module
 */
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";

/** The outcome of one statement. */
export type Outcome = { ok: true } | { ok: false; code: string; message: string };

/** Somewhere to run SQL. */
export interface Target {
  readonly name: string;
  /** Runs one statement. */
  run(sql: string): Promise<Outcome>;
  /** Runs statements in order; outcomes in the same order. */
  runAll(sql: readonly string[]): Promise<Outcome[]>;
  close(): Promise<void>;
}

function outcome(e: unknown): Outcome {
  const err = e as { code?: unknown; message?: unknown };
  return { ok: false, code: typeof err.code === "string" ? err.code : "?????", message: String(err.message) };
}

/**
 * A PostgreSQL server. Requires `--allow-net` for its address and
 * `--allow-env` (postgres.js reads PG* variables).
 */
export function postgresTarget(url: string, options: { statementTimeoutMs?: number } = {}): Target {
  const sql = postgres(url, {
    max: 1,
    onnotice: () => {},
    connection: { statement_timeout: options.statementTimeoutMs ?? 10000 },
  });
  const run = (text: string) => sql.unsafe(text).then((): Outcome => ({ ok: true }), outcome);
  return {
    name: "postgresql",
    run,
    // One connection pipelines the queries and keeps their order.
    runAll: (texts) => Promise.all(texts.map(run)),
    close: () => sql.end(),
  };
}

/** An in-memory PGlite. Requires `--allow-read` for its data files. */
export async function pgliteTarget(): Promise<Target> {
  const db = await PGlite.create();
  const run = (text: string) => db.exec(text).then((): Outcome => ({ ok: true }), outcome);
  return {
    name: "pglite",
    run,
    async runAll(texts) {
      const out: Outcome[] = [];
      for (const t of texts) out.push(await run(t));
      return out;
    },
    close: () => db.close(),
  };
}
