/**
 * Reads a live PostgreSQL schema from pg_catalog into Quarry's schema model.
 * The caller supplies the query function, so this module stays free of
 * connections (see cli/commands/introspect.ts for the command).
 *
 * @module
 */
import type { Column, ForeignKey, ReferentialAction, Schema, Table, UserType } from "./model.ts";
import { quoteIdent } from "../dialect/quote.ts";

/** Runs one catalog query with positional parameters and returns its rows. */
export type CatalogQuery = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

const TABLES = `
SELECT c.oid::int8 AS oid, c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY c.relname`;

const COLUMNS = `
SELECT a.attrelid::int8 AS table_oid, a.attnum AS num, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attgenerated::text AS generated,
       a.attidentity::text AS identity
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`;

const CONSTRAINTS = `
SELECT con.conrelid::int8 AS table_oid, con.conname AS name, con.contype::text AS kind,
       con.conkey AS columns, con.confrelid::int8 AS ref_oid, con.confkey AS ref_columns,
       con.confdeltype::text AS on_delete, pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'c', 'f')
ORDER BY con.conrelid, con.conname`;

const ENUMS = `
SELECT t.typname AS name, e.enumlabel AS label
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = $1
ORDER BY t.typname, e.enumsortorder`;

const ON_DELETE: Record<string, ReferentialAction | undefined> = {
  a: undefined,
  r: "restrict",
  c: "cascade",
  n: "set null",
};

/** `CHECK ((a > 0))` → `(a > 0)`; other definitions are returned unchanged. */
function checkExpression(definition: string): string {
  const m = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(definition);
  return m ? m[1]! : definition;
}

/**
 * Reads the tables of `schemaName` through `query`.
 *
 * Column types come from `format_type`; a type Quarry cannot generate yet is
 * kept as written, and loading the schema then names it.
 */
export async function introspect(query: CatalogQuery, schemaName = "public"): Promise<Schema> {
  const types: UserType[] = [];
  for (const row of await query(ENUMS, [schemaName])) {
    const name = String(row.name);
    let type = types.find((t) => t.name === name);
    if (!type) types.push(type = { name, kind: "enum", labels: [] });
    type.labels.push(String(row.label));
  }
  // format_type quotes a type name like an identifier, and qualifies it
  // when its schema is not on the search path.
  const typeNames = new Map(
    types.flatMap((
      t,
    ) => [[quoteIdent(t.name), t.name], [`${quoteIdent(schemaName)}.${quoteIdent(t.name)}`, t.name]]),
  );
  const tables = await query(TABLES, [schemaName]);
  const columns = await query(COLUMNS, [schemaName]);
  const constraints = await query(CONSTRAINTS, [schemaName]);
  const byOid = new Map<string, { table: Table; names: Map<number, string> }>();
  for (const t of tables) {
    byOid.set(String(t.oid), { table: { name: String(t.name), columns: [] }, names: new Map() });
  }
  for (const c of columns) {
    const entry = byOid.get(String(c.table_oid));
    if (!entry) continue;
    const col: Column = { name: String(c.name), type: typeNames.get(String(c.type)) ?? String(c.type) };
    if (c.not_null === true) col.nullable = false;
    if (c.generated === "s" && c.default_expr) col.generated = String(c.default_expr);
    else if (c.default_expr !== null && c.default_expr !== undefined) col.default = String(c.default_expr);
    if (c.identity === "a") col.identity = "always";
    if (c.identity === "d") col.identity = "by default";
    entry.table.columns.push(col);
    entry.names.set(Number(c.num), col.name);
  }
  for (const k of constraints) {
    const entry = byOid.get(String(k.table_oid));
    if (!entry) continue;
    const t = entry.table;
    const names = ((k.columns as number[] | null) ?? []).map((n) => entry.names.get(Number(n))!);
    switch (k.kind) {
      case "p":
        t.primaryKey = names;
        break;
      case "u":
        (t.unique ??= []).push(names);
        break;
      case "c":
        (t.checks ??= []).push({ name: String(k.name), expression: checkExpression(String(k.definition)) });
        break;
      case "f": {
        const parent = byOid.get(String(k.ref_oid));
        if (!parent) break;
        const fk: ForeignKey = {
          name: String(k.name),
          columns: names,
          references: {
            table: parent.table.name,
            columns: ((k.ref_columns as number[] | null) ?? []).map((n) => parent.names.get(Number(n))!),
          },
        };
        const action = ON_DELETE[String(k.on_delete)];
        if (action) fk.onDelete = action;
        (t.foreignKeys ??= []).push(fk);
        break;
      }
    }
  }
  const tableList = [...byOid.values()].map((e) => e.table);
  return types.length > 0
    ? { name: schemaName, types, tables: tableList }
    : { name: schemaName, tables: tableList };
}
