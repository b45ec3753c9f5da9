/**
 * The keys `existing` parameters draw from: a sample of a table column's
 * values, read into the kernel's live list when the run starts and read
 * again every `refresh_s` seconds, so keys the workload inserts come in and
 * deleted ones go. A big table is sampled by pages (TABLESAMPLE SYSTEM),
 * a small one read in random order.
 *
 * @module
 */
import { quoteIdent } from "../dialect/quote.ts";
import type { QueryOutcome } from "../exec/targets.ts";
import { EXISTING_CAPACITY, type ExistingKeys } from "./program.ts";

/** Rows below which a table is read whole (in random order) rather than sampled by pages. */
const SMALL = 50_000;

/** `orders` or `sales.orders` as SQL, each part quoted where it needs to be. */
function tableSql(table: string): string {
  return table.split(".").map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) ? part : quoteIdent(part))).join(
    ".",
  );
}

/**
 * Reads a fresh sample of keys into the pool.
 *
 * @returns The keys held now, or the database's error (the pool keeps its keys then).
 */
export async function refreshExisting(
  keys: ExistingKeys,
  query: (sql: string) => Promise<QueryOutcome>,
): Promise<{ held: number } | { error: string }> {
  const t = tableSql(keys.table);
  const c = quoteIdent(keys.column);
  const size = await query(
    `SELECT reltuples::bigint FROM pg_class WHERE oid = '${t.replaceAll("'", "''")}'::regclass`,
  );
  if (!size.ok) return { error: `${size.code} ${size.message.split("\n")[0]}` };
  const rows = Number(size.rows[0]?.[0] ?? -1);
  const sql = rows < SMALL
    ? `SELECT ${c}::text FROM ${t} WHERE ${c} IS NOT NULL ORDER BY random() LIMIT ${EXISTING_CAPACITY}`
    : `SELECT ${c}::text FROM ${t} TABLESAMPLE SYSTEM (${
      Math.min(100, (100 * 4 * EXISTING_CAPACITY) / rows).toPrecision(3)
    }) WHERE ${c} IS NOT NULL LIMIT ${EXISTING_CAPACITY}`;
  const r = await query(sql);
  if (!r.ok) return { error: `${r.code} ${r.message.split("\n")[0]}` };
  const list = keys.list;
  let n = 0;
  for (const [key] of r.rows) {
    if (key === null || key === undefined || !list.fits(key)) continue;
    list.set(n++, key);
  }
  while (list.count > n) list.remove(list.count - 1);
  return { held: n };
}
