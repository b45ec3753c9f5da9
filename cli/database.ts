/**
 * Database URLs on the command line: reading `--db`, naming a database in
 * messages without its password, and reading a live schema (or catalog) for
 * commands that need one (`introspect`, `run --setup none`). Requires `--allow-net` and
 * `--allow-env` where a server is reached.
 *
 * @module
 */
import postgres from "postgres";
import { RuntimeFailure, UsageError } from "./errors.ts";
import { introspect } from "../core/schema/introspect.ts";
import { readLiveFacts } from "../core/live/read.ts";
import type { Schema } from "../core/schema/model.ts";
import { resolvedCalls } from "../core/catalog/callables.ts";
import { probeCalls } from "../core/catalog/probe.ts";
import { readCatalog } from "../core/catalog/read.ts";
import type { CatalogSnapshot } from "../core/catalog/snapshot.ts";
import { postgresTarget } from "../core/exec/targets.ts";

/** host:port/database of a URL, for messages that must not show a password. */
export function databaseWhere(url: URL): string {
  return `${url.hostname || "localhost"}:${url.port || "5432"}${url.pathname}`;
}

/**
 * Reads --db's postgres:// URL; anything else is a UsageError whose hint
 * mentions "pglite" when the command also takes that.
 */
export function parseDatabaseUrl(text: string, acceptsPglite = true): URL {
  try {
    const url = new URL(text);
    if (url.protocol === "postgres:" || url.protocol === "postgresql:") return url;
  } catch { /* reported below */ }
  throw new UsageError(
    `--db must be ${acceptsPglite ? '"pglite" or ' : ""}a URL like postgres://user@host:5432/database`,
  );
}

/**
 * The tables of `schemaName` on the server at `url`; a server that cannot be
 * read, or a schema without tables, is a RuntimeFailure naming the database.
 * With `live`, each table also gets the facts of its rows (`core/live/facts.ts`).
 */
export async function readLiveSchema(url: URL, schemaName = "public", live = true): Promise<Schema> {
  const db = postgres(url.href, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const query = (sql: string, params: unknown[]) =>
      db.unsafe(sql, params as postgres.ParameterOrJSON<never>[]);
    const schema = await introspect(query, schemaName);
    if (schema.tables.length === 0) {
      throw new RuntimeFailure(`no tables in schema "${schema.name}" at ${databaseWhere(url)}`);
    }
    // What the tables hold now, so generated statements fit the existing rows (core/live/).
    if (live) await readLiveFacts(schema, query, schemaName);
    return schema;
  } catch (e) {
    if (e instanceof RuntimeFailure) throw e;
    const err = e as { code?: string; message?: string };
    throw new RuntimeFailure(
      `cannot read the schema at ${databaseWhere(url)}: ${err.code ? `${err.code} ` : ""}${
        String(err.message ?? e).split("\n")[0]
      }`,
    );
  } finally {
    await db.end({ timeout: 1 });
  }
}

/**
 * Reads the server's catalog of functions, operators, casts and types, and
 * probes every call generation could make (see core/catalog/probe.ts), as a
 * snapshot like those in configs/catalog/. Requires --allow-net and --allow-env.
 *
 * @param url The database.
 * @param progress Called now and then with probes done and the total.
 */
export async function readLiveCatalog(
  url: URL,
  progress: (done: number, total: number) => void,
): Promise<CatalogSnapshot> {
  const target = postgresTarget(url.href, { connectTimeoutSeconds: 10 });
  try {
    const snapshot = await readCatalog(target);
    const { calls, aggregates } = resolvedCalls(snapshot);
    const all = [...calls, ...aggregates];
    snapshot.rejected = await probeCalls(target, snapshot, all, (n) => progress(n, all.length));
    return snapshot;
  } catch (e) {
    throw new RuntimeFailure(
      `cannot read the catalog at ${databaseWhere(url)}: ${String((e as Error).message ?? e).split("\n")[0]}`,
    );
  } finally {
    await target.close();
  }
}

/**
 * Opens every session's connection, a few at a time (hundreds of
 * simultaneous handshakes only slow each other); the first failure is a
 * RuntimeFailure naming the database as `where` shows it (no password).
 */
export async function connectSessions(
  sessions: readonly { connect(): Promise<void> }[],
  where: string,
): Promise<void> {
  try {
    for (let i = 0; i < sessions.length; i += 16) {
      await Promise.all(sessions.slice(i, i + 16).map((s) => s.connect()));
    }
  } catch (e) {
    const err = e as { code?: string; message?: string };
    throw new RuntimeFailure(
      `cannot connect to ${where}: ${err.code ? `${err.code} ` : ""}${
        String(err.message ?? e).split("\n")[0]
      }`,
    );
  }
}
