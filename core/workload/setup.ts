/**
 * A workload's tables, made once and reused: they live in a schema of their
 * own (`quarry_<pattern>` unless `--schema` says), created and filled by
 * `quarry data`'s machinery (the kernel's rows, COPY in foreign-key order),
 * then the workload's setup SQL and ANALYZE. A comment on the schema records
 * what was loaded (pattern, scale, a digest of the data spec); a later run
 * whose comment matches reuses the rows, one that differs reloads them. A
 * schema Quarry did not make is never dropped.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { type CompiledSpec, compileTables, plannedTables } from "../data/compile.ts";
import { normalizeSpec } from "../data/normalize_spec.ts";
import type { DataSpec } from "../data/spec.ts";
import { loadData } from "../data/load.ts";
import { quoteIdent, quoteLiteral } from "../dialect/quote.ts";
import type { QueryOutcome } from "../exec/targets.ts";
import { parseSeed } from "../seed.ts";
import type { WorkloadDefinition } from "./definition.ts";

/** The marker every schema Quarry made starts its comment with. */
const MARK = "quarry workload";

/** A failure while making a workload's tables, with the database's SQLSTATE. */
export class WorkloadSetupError extends Error {
  override name = "WorkloadSetupError";
  constructor(message: string, readonly code = "") {
    super(message);
  }
}

/** The workload's data spec at `scale`, every table in `schema`. */
export function scaledData(def: WorkloadDefinition, scale: number, schema: string): DataSpec {
  const data: DataSpec = structuredClone(def.data);
  for (const t of Object.values(data.tables)) {
    if (t.rows !== undefined) t.rows = Math.max(1, Math.round(t.rows * scale));
    t.schema = schema;
  }
  return data;
}

/** The data spec compiled with a seed of its own: the same rows for every run seed, so rows are reused. */
export function compileData(data: DataSpec, name: string): CompiledSpec {
  const digest = createHash("sha256").update(`workload data ${name}`).digest("hex");
  const seed = parseSeed(digest);
  if (typeof seed === "string") throw new Error(seed);
  const normalized = normalizeSpec(data);
  return compileTables(plannedTables(normalized, 1000), { locale: normalized.locale, seed });
}

/** Row counts of the compiled tables, for `rows(T)`. */
export function rowCounts(compiled: CompiledSpec): Map<string, number> {
  return new Map(compiled.tables.map((t) => [t.name, Number(t.rows)]));
}

/** Options of {@link prepareTables}. */
export interface PrepareOptions {
  /** Runs one statement on the target (the setup connection). */
  query: (sql: string) => Promise<QueryOutcome>;
  /** "pglite" or a postgres:// URL, for the COPY connections. */
  db: string;
  pglite?: PGlite;
  scale: number;
  schema: string;
  /** Reload even when the rows are there. */
  reload?: boolean;
  /** Lines about what is happening. */
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** What {@link prepareTables} did. */
export interface PreparedTables {
  reused: boolean;
  compiled: CompiledSpec;
  rows: Map<string, number>;
  seconds: number;
}

/** Makes (or finds) the workload's tables and rows. */
export async function prepareTables(def: WorkloadDefinition, o: PrepareOptions): Promise<PreparedTables> {
  const began = performance.now();
  const data = scaledData(def, o.scale, o.schema);
  const compiled = compileData(data, def.name);
  const digest = createHash("sha256").update(JSON.stringify([def.data, def.setup])).digest("hex").slice(
    0,
    16,
  );
  const marker = `${MARK} ${def.name} scale ${o.scale} data ${digest}`;
  const ask = async (sql: string) => {
    const r = await o.query(sql);
    if (!r.ok) {
      throw new WorkloadSetupError(
        `${r.code} ${r.message.split("\n")[0]} (in: ${sql.slice(0, 200)})`,
        r.code,
      );
    }
    return r;
  };
  const found = await ask(
    `SELECT coalesce(obj_description(oid, 'pg_namespace'), '') FROM pg_namespace WHERE nspname = ${
      quoteLiteral(o.schema)
    }`,
  );
  const comment = found.rows[0]?.[0] as string | undefined;
  const rows = rowCounts(compiled);
  if (comment !== undefined) {
    if (!comment.startsWith(MARK)) {
      throw new WorkloadSetupError(
        `schema "${o.schema}" exists and was not made by quarry workload; name another with --schema`,
      );
    }
    if (comment === marker && !o.reload) return { reused: true, compiled, rows, seconds: 0 };
    o.log?.(
      o.reload
        ? `reloading schema "${o.schema}"`
        : `schema "${o.schema}" holds other rows (${comment}); reloading`,
    );
    await ask(`DROP SCHEMA ${quoteIdent(o.schema)} CASCADE`);
  }
  if (o.signal?.aborted) throw new WorkloadSetupError("interrupted");
  await ask(`CREATE SCHEMA ${quoteIdent(o.schema)}`);
  const total = compiled.tables.reduce((n, t) => n + Number(t.rows), 0);
  o.log?.(
    `loading ${total.toLocaleString("en-US")} rows into ${compiled.tables.length} tables of "${o.schema}"`,
  );
  await loadData(compiled, {
    db: o.db,
    ...(o.pglite ? { pglite: o.pglite } : {}),
    connections: 2,
    create: true,
    ...(o.signal ? { signal: o.signal } : {}),
  });
  await ask(`SET search_path TO ${quoteIdent(o.schema)}`);
  for (const sql of def.setup) await ask(sql);
  for (const t of compiled.tables) await ask(`ANALYZE ${quoteIdent(o.schema)}.${quoteIdent(t.name)}`);
  await ask(`COMMENT ON SCHEMA ${quoteIdent(o.schema)} IS ${quoteLiteral(marker)}`);
  return { reused: false, compiled, rows, seconds: (performance.now() - began) / 1000 };
}
