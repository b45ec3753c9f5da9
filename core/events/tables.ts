/**
 * What `quarry events` knows of each table it churns, read off the schema
 * model of the live database: which table it is and how often it is
 * chosen, how a sampled row is named in UPDATE and DELETE (its primary key,
 * or its physical address when it has none), which columns an UPDATE may
 * assign, which rows a DELETE must leave alone because other rows still
 * reference them, and which foreign keys draw from which pool of existing
 * keys.
 *
 * @module
 */
import type { Column, ForeignKey, Schema, Table } from "../schema/model.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import type { EventsGenerator } from "./config.ts";
import { columnsIn } from "../data/_from_schema_checks.ts";

/** A set of existing keys of one table, drawn by the foreign keys that reference them. */
export interface PoolKey {
  /** Names the pool: the parent and its key columns. */
  id: string;
  /** The parent table as written in SQL (qualified, quoted). */
  parentSql: string;
  /** The parent's name in the schema model. */
  parent: string;
  columns: string[];
}

/** One churned table. */
export interface EventTable {
  name: string;
  table: Table;
  /** The table as written in SQL (qualified, quoted). */
  sql: string;
  weight: number;
  partitioned: boolean;
  /** Columns naming a row in UPDATE and DELETE: the primary key, or undefined (`tableoid, ctid`). */
  rowKey: string[] | undefined;
  /**
   * Columns an UPDATE may assign (not part of a key, not referenced, not
   * computed by the database), in groups assigned together: the columns of
   * a composite foreign key, and columns one CHECK compares.
   */
  settable: string[][];
  /**
   * Conditions over the sampled row `s` that keep a DELETE away from rows
   * other rows still reference (RESTRICT, NO ACTION, SET DEFAULT, SET NULL
   * onto NOT NULL columns, and cascades that would reach such rows or rows
   * whose keys a pool holds).
   */
  deleteGuards: string[];
  /** Pools whose keys are rows of this table: an INSERT or DELETE returns them. */
  poolsHere: PoolKey[];
  /** Foreign keys of this table that draw from a pool. */
  references: { fk: ForeignKey; pool: PoolKey }[];
}

/** A table list that names no table of the schema, or leaves nothing to churn. */
export class EventTablesError extends Error {
  override name = "EventTablesError";
}

/** Whether the database fills the column itself (identity, serial, stored generated). */
export function filledByDatabase(c: Column): boolean {
  return c.generated !== undefined || c.identity !== undefined || /^nextval\(/i.test(c.default ?? "");
}

const poolId = (schema: string, table: string, columns: readonly string[]) =>
  `${schema}\u0000${table}\u0000${columns.join("\u0000")}`;

/**
 * The churned tables of `schema` (a live schema read by `introspect`) as
 * the generator block selects them: `manualTableList`, or every base table
 * less `excludeTableList`; weights from `tableWeights`.
 *
 * @throws {EventTablesError} When a listed table does not exist or no table is left.
 */
export function eventTables(
  schema: Schema,
  generator: Pick<EventsGenerator, "schemaName" | "manualTableList" | "excludeTableList" | "tableWeights">,
): { tables: EventTable[]; pools: Map<string, PoolKey> } {
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const where = `schema "${generator.schemaName}"`;
  const missing = (names: readonly string[]) => names.filter((n) => !byName.has(n));
  const unknown = missing(generator.manualTableList);
  if (unknown.length > 0) {
    throw new EventTablesError(
      `manual_table_list names ${unknown.map((n) => `"${n}"`).join(", ")}, not a table of ${where} (tables: ${
        [...byName.keys()].slice(0, 12).join(", ") || "none"
      })`,
    );
  }
  const weighted = missing(Object.keys(generator.tableWeights));
  if (weighted.length > 0) {
    throw new EventTablesError(
      `table_weights names ${weighted.map((n) => `"${n}"`).join(", ")}, not a table of ${where}`,
    );
  }
  const chosen = generator.manualTableList.length > 0
    ? generator.manualTableList.map((n) => byName.get(n)!)
    : schema.tables.filter((t) => !generator.excludeTableList.includes(t.name));
  const tables = chosen.filter((t) => (generator.tableWeights[t.name] ?? 1) > 0);
  if (schema.tables.length === 0) throw new EventTablesError(`${where} has no tables`);
  if (tables.length === 0) throw new EventTablesError(`no table of ${where} is left to churn`);

  const sqlOf = (name: string, s?: string) => qualifiedName(name, s ?? generator.schemaName);
  const pools = new Map<string, PoolKey>();
  const poolOf = (fk: ForeignKey, owner: Table): PoolKey => {
    const parentSchema = fk.references.schema ?? owner.schema ?? generator.schemaName;
    const id = poolId(parentSchema, fk.references.table, fk.references.columns);
    let pool = pools.get(id);
    if (!pool) {
      pool = {
        id,
        parentSql: sqlOf(fk.references.table, parentSchema),
        parent: fk.references.table,
        columns: [...fk.references.columns],
      };
      pools.set(id, pool);
    }
    return pool;
  };
  const references = new Map<Table, { fk: ForeignKey; pool: PoolKey }[]>();
  for (const t of tables) references.set(t, (t.foreignKeys ?? []).map((fk) => ({ fk, pool: poolOf(fk, t) })));

  // Which rows of a table a pool holds: deleting them by a cascade would leave stale keys.
  const isPoolParent = (t: Table) => [...pools.values()].some((p) => p.parent === t.name);
  const referrers = (t: Table) =>
    schema.tables.flatMap((child) =>
      (child.foreignKeys ?? []).filter((fk) => fk.references.table === t.name).map((fk) => ({ child, fk }))
    );
  const guardsOf = (t: Table, alias: string, depth: number): string[] => {
    const out: string[] = [];
    for (const { child, fk } of referrers(t)) {
      const notNull = fk.columns.some((c) => child.columns.find((x) => x.name === c)?.nullable === false);
      const action = fk.onDelete ?? "no action";
      const gentle = action === "set null" && !notNull;
      const cascadeFree = action === "cascade" && depth < 3 && child !== t && !isPoolParent(child) &&
        guardsOf(child, `c${depth + 1}`, depth + 1).length === 0;
      if (gentle || cascadeFree) continue;
      const c = `c${depth}`;
      const on = fk.columns.map((col, i) =>
        `${c}.${quoteIdent(col)} = ${alias}.${quoteIdent(fk.references.columns[i]!)}`
      )
        .join(" AND ");
      out.push(`NOT EXISTS (SELECT 1 FROM ${sqlOf(child.name, child.schema)} AS ${c} WHERE ${on})`);
    }
    return out;
  };

  const out = tables.map((t): EventTable => {
    const keyColumns = new Set<string>([
      ...(t.primaryKey ?? []),
      ...(t.unique ?? []).flat(),
      ...(t.uniqueNullsNotDistinct ?? []).flat(),
      ...(t.indexes ?? []).filter((i) => i.unique).flatMap((i) =>
        i.keys.filter((k): k is string => typeof k === "string")
      ),
      ...(t.partitioning?.columns ?? []),
    ]);
    for (const other of schema.tables) {
      for (const fk of other.foreignKeys ?? []) {
        if (fk.references.table === t.name) fk.references.columns.forEach((c) => keyColumns.add(c));
      }
    }
    const settable = settableGroups(t, keyColumns);
    return {
      name: t.name,
      table: t,
      sql: sqlOf(t.name, t.schema),
      weight: generator.tableWeights[t.name] ?? 1,
      partitioned: t.partitioning !== undefined,
      rowKey: t.primaryKey && t.primaryKey.length > 0 ? [...t.primaryKey] : undefined,
      settable,
      deleteGuards: guardsOf(t, "s", 0),
      poolsHere: [...pools.values()].filter((p) => p.parent === t.name),
      references: references.get(t)!,
    };
  });
  return { tables: out, pools };
}

/** Assignable columns in groups that must change together (see {@link EventTable.settable}). */
function settableGroups(t: Table, keyColumns: ReadonlySet<string>): string[][] {
  const free = new Set(
    t.columns.filter((c) => !filledByDatabase(c) && !keyColumns.has(c.name)).map((c) => c.name),
  );
  // A composite foreign key is one existing key: all of its columns, or none.
  for (const fk of t.foreignKeys ?? []) {
    if (fk.columns.length > 1 && fk.columns.some((c) => !free.has(c))) {
      fk.columns.forEach((c) => free.delete(c));
    }
  }
  const group = new Map<string, Set<string>>([...free].map((c) => [c, new Set([c])]));
  const join = (cols: readonly string[]) => {
    const inside = cols.filter((c) => free.has(c));
    if (inside.length < 2) return;
    const merged = new Set(inside.flatMap((c) => [...group.get(c)!]));
    for (const c of merged) group.set(c, merged);
  };
  for (const fk of t.foreignKeys ?? []) join(fk.columns);
  for (const check of t.checks ?? []) join(columnsIn(check.expression));
  const out: string[][] = [];
  for (const c of t.columns) {
    const g = group.get(c.name);
    if (g && !out.some((x) => x.includes(c.name))) {
      out.push(t.columns.map((x) => x.name).filter((x) => g.has(x)));
    }
  }
  return out;
}
