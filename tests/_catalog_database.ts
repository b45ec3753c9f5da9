/**
 * A database for schema tests: runs statements (a failure is returned with
 * its SQLSTATE) and answers catalog queries for `introspect`, on one
 * session so `SET search_path` holds for both. PostgreSQL through
 * npm:postgres, or an in-memory PGlite.
 *
 * @module
 */
import postgres from "postgres";
import { PGlite } from "@electric-sql/pglite";
import type { CatalogQuery } from "../core/schema/introspect.ts";
import { failureOutcome, type Outcome } from "../core/exec/targets.ts";
import { withTempDatabase } from "./_database.ts";

export interface CatalogDatabase {
  readonly name: string;
  run(sql: string): Promise<Outcome>;
  query: CatalogQuery;
  close(): Promise<void>;
}

/** PostgreSQL at `url`, one connection. */
export function postgresDatabase(url: string): CatalogDatabase {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  return {
    name: "postgresql",
    run: (text) => sql.unsafe(text).then((): Outcome => ({ ok: true }), failureOutcome),
    query: (text, params) => sql.unsafe(text, params as never[]),
    close: () => sql.end(),
  };
}

/** A fresh in-memory PGlite. */
export async function pgliteDatabase(): Promise<CatalogDatabase> {
  const db = await PGlite.create();
  return {
    name: "pglite",
    run: (text) => db.exec(text).then((): Outcome => ({ ok: true }), failureOutcome),
    query: async (text, params) => (await db.query<Record<string, unknown>>(text, params)).rows,
    close: () => db.close(),
  };
}

/** Runs `check` on a fresh database of `target` (a temporary PostgreSQL database, or a new PGlite), then closes it. */
export async function withCatalogDatabase(
  target: "PostgreSQL" | "PGlite",
  check: (db: CatalogDatabase) => Promise<void>,
): Promise<void> {
  if (target === "PostgreSQL") {
    await withTempDatabase(async (url) => {
      const db = postgresDatabase(url);
      try {
        await check(db);
      } finally {
        await db.close();
      }
    });
    return;
  }
  const db = await pgliteDatabase();
  try {
    await check(db);
  } finally {
    await db.close();
  }
}
