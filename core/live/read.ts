/**
 * Reads live facts (`core/live/facts.ts`) from the database a schema was
 * introspected from: each table's row count, where its integer keys stop,
 * existing parent keys for each foreign key, and existing values of the
 * columns a CHECK, a domain or the partitioning constrains. Values come back
 * as SQL literals the server wrote, so they keep their exact type and
 * spelling; reading them is the same sampling `quarry events` does for its
 * key pools (`core/events/prepare.ts`).
 *
 * Which columns get which fact is decided here, once, so the schema JSON says
 * plainly what generation will do:
 *
 * - keys first: a primary-key or UNIQUE column that is no foreign key gets
 *   its maximum (new keys go above it; a sequence's keys already do, and the
 *   maximum tells which rows the traffic made);
 * - a foreign key's columns get existing parent keys; a key of several
 *   columns with a nullable one gets NULL there (a key with a NULL is not
 *   checked, and assigning its columns one at a time keeps it so); one of
 *   NOT NULL columns gets a set whose every combination exists (the largest
 *   group of parent keys that differ in one column), so independent draws
 *   still name a parent; a column in two keys takes the wider key's set;
 * - the other columns read by one CHECK (or by the partition key, or of a
 *   domain with CHECKs) get existing values, sampled together when a CHECK
 *   reads several, the same way as a foreign key of several columns.
 *
 * @module
 */
import type { Schema, Table } from "../schema/model.ts";
import type { CatalogQuery } from "../schema/introspect.ts";
import type { LiveFacts } from "./facts.ts";
import { isSequenced } from "./columns.ts";
import { qualifiedName, quoteIdent } from "../dialect/quote.ts";
import { columnType } from "../schema/types.ts";
import { columnsIn, deriveCheck } from "../data/_from_schema_checks.ts";
import { loadParser } from "../exec/parser.ts";
import { tableRows } from "../events/prepare.ts";
import * as op from "../../wasm/opcodes.ts";

/** Most literals kept for one column. */
export const LIVE_VALUES = 100;

/** Rows a sample reads at most, so a large table costs one bounded scan. */
const SCAN_ROWS = 100_000;

const KEY_CODES = new Set([op.T_INT2, op.T_INT4, op.T_INT8, op.T_NUMERIC]);

/**
 * `format('%L::%s', col, pg_typeof(col))`: the server writes a typed literal
 * of the value. `pg_typeof` drops the length, and a bare `character` or `bit`
 * means a length of one, so those are cast to their unbounded forms (`bpchar`,
 * `varbit`), which keep the whole value and convert back on assignment.
 */
const literalOf = (column: string) => {
  const v = `s.${quoteIdent(column)}`;
  return `format('%L::%s', ${v}, CASE pg_typeof(${v}) WHEN 'character'::regtype THEN 'bpchar' ` +
    `WHEN 'bit'::regtype THEN 'varbit' ELSE pg_typeof(${v})::text END)`;
};

/** A foreign key that holds its parent rows: deleting a referenced row fails, so its keys stay. */
interface Pin {
  tableSql: string;
  columns: string[];
  parentColumns: string[];
}

/** The foreign keys of `schema` onto `parent`'s `columns` that forbid deleting a referenced row. */
function pinsOf(schema: Schema, parent: Table, columns: string[], home: string): Pin[] {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return schema.tables.flatMap((t) =>
    (t.foreignKeys ?? []).filter((fk) =>
      fk.references.table === parent.name && (fk.references.schema ?? t.schema) === parent.schema &&
      same(fk.references.columns, columns) && (fk.onDelete === undefined || fk.onDelete === "no action" ||
        fk.onDelete === "restrict")
    ).map((fk) => ({
      tableSql: qualifiedName(t.name, t.schema ?? home),
      columns: fk.columns,
      parentColumns: fk.references.columns,
    }))
  );
}

/** Rows sampled for a key of several columns, among which {@link rectangle} finds its set. */
const TUPLES = 5000;

/**
 * Distinct rows of `columns` (none NULL) of `tableSql`, as literals, in an
 * order that repeats for the same data: up to `LIVE_VALUES` for one column,
 * `TUPLES` for several.
 */
async function sampleTuples(
  query: CatalogQuery,
  tableSql: string,
  columns: string[],
  pins: Pin[] = [],
): Promise<string[][]> {
  const limit = columns.length === 1 ? LIVE_VALUES : TUPLES;
  const lits = columns.map((c, i) => `${literalOf(c)} AS v${i}`).join(", ");
  const notNull = columns.map((c) => `s.${quoteIdent(c)} IS NOT NULL`).join(" AND ");
  const names = columns.map((_, i) => `v${i}`);
  // How many rows hold each parent row through a key that forbids deleting it.
  const joins = pins.map((p, j) =>
    ` LEFT JOIN (SELECT ${p.columns.map((c, i) => `${quoteIdent(c)} AS k${i}`).join(", ")}, count(*) AS n
      FROM ${p.tableSql} GROUP BY ${p.columns.map((_, i) => i + 1).join(", ")}) AS r${j} ON ${
      p.parentColumns.map((c, i) => `r${j}.k${i} = s.${quoteIdent(c)}`).join(" AND ")
    }`
  ).join("");
  const held = pins.length === 0 ? "0" : pins.map((_, j) => `coalesce(r${j}.n, 0)`).join(" + ");
  const sql = `SELECT ${names.join(", ")}, held FROM (SELECT DISTINCT ${lits}, ${held} AS held
    FROM (SELECT * FROM ${tableSql} LIMIT ${SCAN_ROWS}) AS s${joins} WHERE ${notNull}) AS d
    ORDER BY held DESC, md5(${names.join(" || ',' || ")}) LIMIT ${limit}`;
  const rows = await query(sql, []);
  // Where rows are held, the better-held half: an UPDATE moves children only onto sampled
  // parents, so these keep their children while the rest may lose theirs and be deleted.
  const heldRows = rows.filter((r) => Number(r.held) > 0);
  const kept = heldRows.length > 0 ? heldRows.slice(0, Math.ceil(heldRows.length / 10)) : rows;
  return kept.map((r) => names.map((n) => String(r[n])));
}

/**
 * Per column, literals whose every combination is one of `tuples`: the
 * largest group of tuples that agree on all columns but one, that one
 * varying.
 *
 * @example Orders of one tenant: the tenant is fixed, the order varies
 * ```ts
 * import { rectangle } from "./read.ts";
 * const sets = rectangle(["tenant", "num"], [["1", "10"], ["2", "11"], ["1", "12"]]);
 * if (sets.get("tenant")!.join() !== "1" || sets.get("num")!.join() !== "10,12") throw new Error();
 * ```
 */
export function rectangle(columns: string[], tuples: string[][]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (columns.length === 1) {
    out.set(columns[0]!, tuples.map((t) => t[0]!));
    return out;
  }
  let best: string[][] = [];
  let varying = 0;
  columns.forEach((_, v) => {
    const groups = new Map<string, string[][]>();
    for (const t of tuples) {
      const rest = JSON.stringify(t.filter((_, i) => i !== v));
      groups.set(rest, [...(groups.get(rest) ?? []), t]);
    }
    for (const g of groups.values()) {
      if (g.length > best.length) [best, varying] = [g, v];
    }
  });
  best = best.slice(0, LIVE_VALUES);
  columns.forEach((c, i) => {
    out.set(c, best.length === 0 ? [] : i === varying ? best.map((t) => t[i]!) : [best[0]![i]!]);
  });
  return out;
}

/** Whether a column type names a domain with CHECKs. */
function checkedDomain(schema: Schema, type: string): boolean {
  const user = schema.types?.find((u) => u.name === type.replace(/^"|"$/g, "") && u.kind === "domain");
  return user !== undefined && user.kind === "domain" && (user.checks?.length ?? 0) > 0;
}

/** The columns that partition `sql` or any of its partitions, at every level. */
async function partitionColumns(query: CatalogQuery, table: Table, sql: string): Promise<Set<string>> {
  const out = new Set(table.partitioning?.columns ?? []);
  if (!table.partitioning) return out;
  const rows = await query(
    `SELECT DISTINCT a.attname AS name FROM pg_partition_tree($1::regclass) t
     JOIN pg_partitioned_table p ON p.partrelid = t.relid
     JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = ANY (p.partattrs::int2[])
     WHERE t.level > 0`,
    [sql],
  );
  for (const r of rows) out.add(String(r.name));
  return out;
}

/** The largest value the table's CHECKs allow in `column`, when they say. */
function checkCeiling(table: Table, column: string): number | undefined {
  let ceiling: number | undefined;
  for (const check of table.checks ?? []) {
    const hi = deriveCheck(check.expression, (n) => n === column).bounds.get(column)?.hi;
    if (typeof hi?.value === "number") {
      const top = hi.inclusive ? hi.value : Math.ceil(hi.value) - 1;
      ceiling = ceiling === undefined ? top : Math.min(ceiling, top);
    }
  }
  return ceiling;
}

/** Groups of columns that must be sampled together: each CHECK's columns, the partition key, joined where they meet. */
function constrainedGroups(
  schema: Schema,
  table: Table,
  free: Set<string>,
  partitionKey: Set<string>,
): string[][] {
  const parent = new Map<string, string>();
  const find = (c: string): string => {
    while (parent.get(c) !== c) c = parent.get(c)!;
    return c;
  };
  const join = (cols: string[]) => {
    const mine = cols.filter((c) => free.has(c));
    for (const c of mine) if (!parent.has(c)) parent.set(c, c);
    for (const c of mine.slice(1)) parent.set(find(c), find(mine[0]!));
  };
  for (const check of table.checks ?? []) join(columnsIn(check.expression));
  join([...partitionKey]);
  for (const column of table.columns) if (checkedDomain(schema, column.type)) join([column.name]);
  const groups = new Map<string, string[]>();
  for (const c of table.columns.map((c) => c.name)) {
    if (parent.has(c)) groups.set(find(c), [...(groups.get(find(c)) ?? []), c]);
  }
  return [...groups.values()];
}

/** Reads one table's facts. */
async function tableFacts(
  schema: Schema,
  table: Table,
  query: CatalogQuery,
  home: string,
): Promise<LiveFacts> {
  const sql = qualifiedName(table.name, table.schema ?? home);
  const rows = await tableRows(async (text) => {
    const r = await query(text, []);
    return {
      ok: true,
      affected: r.length,
      rows: r.map((o) => Object.values(o).map((v) => v === null ? null : String(v))),
    };
  }, sql);
  const facts: LiveFacts = { rows };
  const fkColumns = new Set((table.foreignKeys ?? []).flatMap((fk) => fk.columns));
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const uniques = [table.primaryKey ?? [], ...(table.unique ?? []), ...(table.uniqueNullsNotDistinct ?? [])];
  const keys = new Set(uniques.flat());
  // A column unique on its own keeps its fresh values, whatever a CHECK says.
  const alone = new Set(uniques.filter((u) => u.length === 1).flat());
  const partitionKey = await partitionColumns(query, table, sql);
  const checked = new Set((table.checks ?? []).flatMap((c) => columnsIn(c.expression)));
  const max: Record<string, string> = {};
  const ceiling: Record<string, string> = {};
  for (const k of keys) {
    const column = byName.get(k);
    if (!column || fkColumns.has(k) || column.generated !== undefined) continue;
    // A partition key takes existing values (below), so new rows land in a partition.
    if (partitionKey.has(k) && !alone.has(k)) continue;
    const type = columnType(schema, column.type);
    if (typeof type === "string" || !KEY_CODES.has(type.code)) continue;
    const [row] = await query(`SELECT max(${quoteIdent(k)})::text AS m FROM ${sql}`, []);
    if (row?.m === null || row?.m === undefined) continue;
    const top = checkCeiling(table, k);
    // A key its CHECK lets grow no further takes existing values, as a constrained column.
    if (top !== undefined && Number(row.m) >= top) continue;
    max[k] = String(row.m);
    if (top !== undefined) ceiling[k] = String(top);
  }
  if (Object.keys(max).length > 0) facts.max = max;
  if (Object.keys(ceiling).length > 0) facts.ceiling = ceiling;
  const values: Record<string, string[]> = {};
  const wider = [...(table.foreignKeys ?? [])].sort((a, b) => b.columns.length - a.columns.length);
  for (const fk of wider) {
    if (fk.columns.some((c) => values[c] !== undefined)) continue;
    // A key of several columns with a nullable one is kept by a NULL there (MATCH SIMPLE), even
    // when an UPDATE assigns the others one at a time; the others are then free for other keys.
    const nullable = fk.columns.length > 1
      ? fk.columns.find((c) => byName.get(c)?.nullable ?? true)
      : undefined;
    if (nullable !== undefined) {
      values[nullable] = [];
      continue;
    }
    const parentSql = qualifiedName(fk.references.table, fk.references.schema ?? table.schema ?? home);
    const parent = schema.tables.find((t) =>
      t.name === fk.references.table && t.schema === (fk.references.schema ?? table.schema)
    );
    const pins = parent ? pinsOf(schema, parent, fk.references.columns, home) : [];
    // Parent rows other rows hold come first: the traffic's own DELETEs cannot take them away.
    const tuples = await sampleTuples(query, parentSql, fk.references.columns, pins);
    const sets = rectangle(fk.references.columns, tuples);
    fk.references.columns.forEach((p, i) => values[fk.columns[i]!] = sets.get(p)!);
  }
  // Columns no key decided: those of a foreign key kept by a NULL elsewhere are free too, and so
  // is a key of its own that no fresh value can pass: a CHECK or a domain's CHECK reads it (an
  // existing value then fails as a duplicate unless the INSERT says ON CONFLICT; a fresh one
  // always would).
  const free = new Set(
    table.columns.filter((c) =>
      max[c.name] === undefined && values[c.name] === undefined && c.generated === undefined &&
      !isSequenced(c) && (!alone.has(c.name) || checked.has(c.name) || checkedDomain(schema, c.type))
    ).map((c) => c.name),
  );
  if (rows > 0) {
    for (const group of constrainedGroups(schema, table, free, partitionKey)) {
      for (const [c, list] of rectangle(group, await sampleTuples(query, sql, group))) {
        if (list.length > 0) values[c] = list;
      }
    }
  }
  if (Object.keys(values).length > 0) facts.values = values;
  return facts;
}

/**
 * Adds `live` facts to every table of a schema just read from the same
 * database, in place.
 *
 * @param schema The schema `introspect` returned for this database.
 * @param query Runs one query; the same function introspection used.
 * @param schemaName The SQL schema it was read from, where tables name none.
 */
export async function readLiveFacts(
  schema: Schema,
  query: CatalogQuery,
  schemaName = "public",
): Promise<void> {
  await loadParser();
  for (const table of schema.tables) table.live = await tableFacts(schema, table, query, schemaName);
}
