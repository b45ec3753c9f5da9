/**
 * Everything an events run needs before its first event, read from the
 * database it churns: the tables and their pools, how rows are sampled
 * (creating tsm_system_rows when it is missing and the role may), how many
 * rows each table holds, where integer keys continue, the compiled row
 * programs, and each pool filled with keys that exist.
 *
 * @module
 */
import type { Schema } from "../schema/model.ts";
import type { QueryOutcome } from "../exec/targets.ts";
import { quoteIdent } from "../dialect/quote.ts";
import { RowWriter } from "../engine/row_writer.ts";
import type { Seed } from "../seed.ts";
import type { EventsGenerator } from "./config.ts";
import { type EventTable, eventTables, type PoolKey } from "./tables.ts";
import { type EventPrograms, eventPrograms, POOL_CAPACITY } from "./row_programs.ts";
import { KeyPool } from "./key_pool.ts";
import type { Sampling } from "./statements.ts";

/** Runs one statement and reads its result. */
export type Query = (sql: string) => Promise<QueryOutcome>;

/** A setup statement that failed: what was being read, and the server's answer. */
export class EventsSetupError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "EventsSetupError";
  }
}

async function rows(query: Query, sql: string, what: string): Promise<(string | null)[][]> {
  const o = await query(sql);
  if (!o.ok) throw new EventsSetupError(o.code, `${what}: ${o.code} ${o.message.split("\n")[0]}`);
  return o.rows;
}

/** How sampling was settled, and what to tell the user once. */
export interface SamplingChoice {
  sampling: Sampling;
  notice?: string;
}

/**
 * Settles how UPDATE and DELETE sample rows. `auto` is `repeatable` for a
 * reproducible run (seeds given, one connection), else `system_rows`,
 * creating the extension when missing, and `system` when it cannot be
 * created (announced in `notice`).
 *
 * @throws {EventsSetupError} When `system_rows` was asked for and cannot be had.
 */
export async function chooseSampling(
  query: Query,
  requested: "auto" | Sampling,
  reproducible: boolean,
): Promise<SamplingChoice> {
  if (requested === "repeatable" || (requested === "auto" && reproducible)) return { sampling: "repeatable" };
  if (requested === "system") return { sampling: "system" };
  const have = await rows(
    query,
    "SELECT 1 FROM pg_extension WHERE extname = 'tsm_system_rows'",
    "reading the installed extensions",
  );
  if (have.length > 0) return { sampling: "system_rows" };
  const created = await query("CREATE EXTENSION IF NOT EXISTS tsm_system_rows");
  if (created.ok) return { sampling: "system_rows", notice: "created the extension tsm_system_rows" };
  const why = `${created.code} ${created.message.split("\n")[0]}`;
  if (requested === "system_rows") {
    throw new EventsSetupError(
      created.code,
      `--sampling system_rows: cannot create tsm_system_rows (${why})`,
    );
  }
  return {
    sampling: "system",
    notice: `tsm_system_rows is not installed and cannot be created (${why}); ` +
      "rows are sampled with the built-in TABLESAMPLE SYSTEM instead (see quarry events --help)",
  };
}

/** Rows up to which a table is counted exactly; larger ones take the planner's estimate. */
const COUNT_CAP = 100_000;

/** Rows of each table now: exact up to COUNT_CAP, else pg_class's estimate. */
export async function tableRows(query: Query, sql: string): Promise<number> {
  const [[n]] = await rows(
    query,
    `SELECT count(*)::text FROM (SELECT 1 FROM ${sql} LIMIT ${COUNT_CAP + 1}) AS c`,
    `counting the rows of ${sql}`,
  ) as [[string]];
  if (Number(n) <= COUNT_CAP) return Number(n);
  const oid = `'${sql.replaceAll("'", "''")}'::regclass`;
  const [[estimate]] = await rows(
    query,
    `SELECT (sum(greatest(c.reltuples, 0)))::bigint::text FROM pg_class c
     WHERE c.oid = ${oid} OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = ${oid})`,
    `estimating the rows of ${sql}`,
  ) as [[string]];
  return Math.max(Number(n), Number(estimate));
}

/** Fills a pool with up to POOL_CAPACITY keys of its parent, in an order that repeats for the same database. */
export async function fillPool(
  query: Query,
  pool: KeyPool,
  parentRows: number,
  token: number,
): Promise<void> {
  const p: PoolKey = pool.key;
  const cols = p.columns.map((c) => `s.${quoteIdent(c)}`);
  const text = cols.map((c) => `${c}::text`).join(", ");
  const notNull = cols.map((c) => `${c} IS NOT NULL`).join(" AND ");
  const sql = parentRows <= COUNT_CAP
    ? `SELECT ${text} FROM ${p.parentSql} AS s WHERE ${notNull} ORDER BY md5(${
      cols.map((c) => `${c}::text`).join(" || ',' || ")
    } || '${token}') LIMIT ${POOL_CAPACITY}`
    : `SELECT ${text} FROM ${p.parentSql} AS s TABLESAMPLE SYSTEM (${
      Math.min(100, (100 * 4 * POOL_CAPACITY) / parentRows).toPrecision(3)
    }) REPEATABLE (${token}) WHERE ${notNull} LIMIT ${POOL_CAPACITY}`;
  for (const key of await rows(query, sql, `reading keys of ${p.parentSql}`)) pool.add(key);
}

/** What {@link prepareEvents} returns. */
export interface PreparedEvents {
  tables: EventTable[];
  programs: EventPrograms;
  writer: RowWriter;
  pools: Map<string, KeyPool>;
  estimatedRows: Map<string, number>;
}

/**
 * Reads the database and compiles the run. Call `loadParser()` first.
 *
 * @param schema The live schema (`introspect`) of `generator.schemaName`.
 * @param query Runs setup queries (one session of the run).
 * @param options The generator block, the value seed and a whole number seeding samples.
 * @throws {EventTablesError} When the table lists name no table, or none is left.
 * @throws {EventsSetupError} When the database refuses a setup query.
 */
export async function prepareEvents(
  schema: Schema,
  query: Query,
  options: { generator: EventsGenerator; seed: Seed; token: number },
): Promise<PreparedEvents> {
  const g = options.generator;
  const { tables, pools: keys } = eventTables(schema, g);
  const estimatedRows = new Map<string, number>();
  for (const t of tables) estimatedRows.set(t.name, await tableRows(query, t.sql));
  const programs = await eventPrograms(schema, tables, {
    seed: options.seed,
    insertRows: g.insertRows,
    schemaName: g.schemaName,
    maxOf: async (t, column) => {
      const [[max]] = await rows(
        query,
        `SELECT max(${quoteIdent(column)})::text FROM ${t.sql}`,
        `reading the largest ${column} of ${t.sql}`,
      ) as [[string | null]];
      return max;
    },
  });
  const writer = new RowWriter(programs.compiled.image, options.seed);
  const pools = new Map<string, KeyPool>();
  for (const key of keys.values()) {
    const pool = new KeyPool(key, writer.memory, programs.compiled.pools.get(key.id));
    const parent = tables.find((t) => t.name === key.parent);
    const parentRows = parent ? estimatedRows.get(parent.name)! : await tableRows(query, key.parentSql);
    await fillPool(query, pool, parentRows, options.token);
    pools.set(key.id, pool);
  }
  return { tables, programs, writer, pools, estimatedRows };
}
