/**
 * Reads a live PostgreSQL schema from pg_catalog into Quarry's schema model.
 * The caller supplies the query function, so this module stays free of
 * connections (see cli/commands/introspect.ts for the command).
 *
 * @module
 */
import type {
  Column,
  ForeignKey,
  Index,
  ReferentialAction,
  Routine,
  Schema,
  Table,
  UserType,
  View,
} from "./model.ts";
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
       con.confdeltype::text AS on_delete, con.condeferrable AND con.condeferred AS deferred,
       pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND con.contype IN ('p', 'u', 'c', 'f') AND con.conparentid = 0
ORDER BY con.conrelid, con.conname`;

// Read through to_jsonb so the query runs on servers without the column (before PostgreSQL 15).
const NULLS_NOT_DISTINCT = `
SELECT con.conrelid::int8 AS table_oid, con.conname AS name
FROM pg_constraint con JOIN pg_index i ON i.indexrelid = con.conindid
JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND con.contype = 'u' AND (to_jsonb(i) ->> 'indnullsnotdistinct') = 'true'`;

const USER_TYPES = `
SELECT t.oid::int8 AS oid, t.typname AS name, t.typtype::text AS kind,
       format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS not_null
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class c ON c.oid = t.typrelid
WHERE n.nspname = $1 AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND c.relkind = 'c'))
ORDER BY t.oid`;

const DOMAIN_CHECKS = `
SELECT con.contypid::int8 AS type_oid, pg_get_constraintdef(con.oid) AS definition
FROM pg_constraint con JOIN pg_type t ON t.oid = con.contypid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND con.contype = 'c'
ORDER BY con.oid`;

const COMPOSITE_ATTRIBUTES = `
SELECT t.oid::int8 AS type_oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_attribute a ON a.attrelid = t.typrelid
WHERE n.nspname = $1 AND t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY t.oid, a.attnum`;

// Indexes of their own: not the ones behind a PRIMARY KEY, UNIQUE or EXCLUDE constraint.
const INDEXES = `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, am.amname AS method, i.indisunique AS is_unique,
       array_to_string(i.indkey::int2[], ',') AS keys,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k) AS key_defs,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                  AND k.contype IN ('p', 'u', 'x'))
ORDER BY ic.relname`;

// int2vector casts to an array starting at 0 ("[0:1]={1,2}"): read as text, "1,2".
const PARTITION_KEYS = `
SELECT p.partrelid::int8 AS table_oid, p.partstrat::text AS strategy, array_to_string(p.partattrs::int2[], ',') AS columns
FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1`;

const PARTITIONS = `
SELECT h.inhparent::int8 AS table_oid, c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relispartition AND c.relkind IN ('r', 'p')
ORDER BY c.relname`;

const VIEWS = `
SELECT c.relname AS name, c.relkind::text AS kind, pg_get_viewdef(c.oid, true) AS query
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')
ORDER BY c.oid`;

// SQL and PL/pgSQL functions and procedures, leaving out those of extensions.
const ROUTINES = `
SELECT p.proname AS name, p.prokind::text AS kind, l.lanname AS language,
       pg_get_function_arguments(p.oid) AS arguments, pg_get_function_result(p.oid) AS returns,
       p.prosrc AS body, p.provolatile::text AS volatility,
       (to_jsonb(p) ->> 'prosqlbody') IS NOT NULL AS atomic,
       CASE WHEN (to_jsonb(p) ->> 'prosqlbody') IS NOT NULL THEN pg_get_functiondef(p.oid) END AS definition
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = $1 AND p.prokind IN ('f', 'p') AND l.lanname IN ('sql', 'plpgsql')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
ORDER BY p.oid`;

const ENUMS = `
SELECT t.oid::int8 AS type_oid, e.enumlabel AS label
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = $1
ORDER BY t.typname, e.enumsortorder`;

const ON_DELETE: Record<string, ReferentialAction | undefined> = {
  a: undefined,
  r: "restrict",
  c: "cascade",
  n: "set null",
};

const VOLATILITY: Record<string, Routine["volatility"]> = { i: "immutable", s: "stable", v: "volatile" };

const PARTITION_STRATEGY: Record<string, "range" | "list" | "hash"> = { r: "range", l: "list", h: "hash" };

/** A domain CHECK of the form PostgreSQL prints `VALUE BETWEEN lo AND hi` in, as bounds. */
function domainRange(check: string): [number, number] | undefined {
  const m = /^\(\(VALUE >= (-?\d+(?:\.\d+)?)\) AND \(VALUE <= (-?\d+(?:\.\d+)?)\)\)$/.exec(check);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** One line, no trailing semicolon: how Quarry writes statements. */
const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim().replace(/;$/, "");

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
  const types = await readTypes(query, schemaName);
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
  const nullsNotDistinct = new Set(
    (await query(NULLS_NOT_DISTINCT, [schemaName])).map((r) => `${r.table_oid} ${r.name}`),
  );
  const byOid = new Map<string, { table: Table; names: Map<number, string> }>();
  for (const t of tables) {
    byOid.set(String(t.oid), { table: { name: String(t.name), columns: [] }, names: new Map() });
  }
  for (const c of columns) {
    const entry = byOid.get(String(c.table_oid));
    if (!entry) continue;
    const col: Column = { name: String(c.name), type: userTypeName(typeNames, String(c.type)) };
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
    const names = numbers(k.columns).map((n) => entry.names.get(n)!);
    switch (k.kind) {
      case "p":
        t.primaryKey = names;
        break;
      case "u":
        if (nullsNotDistinct.has(`${k.table_oid} ${k.name}`)) (t.uniqueNullsNotDistinct ??= []).push(names);
        else (t.unique ??= []).push(names);
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
            columns: numbers(k.ref_columns).map((n) => parent.names.get(n)!),
          },
        };
        const action = ON_DELETE[String(k.on_delete)];
        if (action) fk.onDelete = action;
        if (k.deferred === true) fk.deferrable = true;
        (t.foreignKeys ??= []).push(fk);
        break;
      }
    }
  }
  for (const x of await query(INDEXES, [schemaName])) {
    const entry = byOid.get(String(x.table_oid));
    if (!entry) continue;
    const defs = (x.key_defs as string[]).map(String);
    const index: Index = {
      name: String(x.name),
      keys: defs.map((def, k) => {
        const column = entry.names.get(numbers(x.keys)[k] ?? 0);
        return column ?? { expression: def };
      }),
    };
    if (x.method !== "btree") index.method = String(x.method) as NonNullable<Index["method"]>;
    if (x.is_unique === true) index.unique = true;
    if (x.predicate !== null && x.predicate !== undefined) index.where = String(x.predicate);
    (entry.table.indexes ??= []).push(index);
  }
  for (const p of await query(PARTITION_KEYS, [schemaName])) {
    const entry = byOid.get(String(p.table_oid));
    if (!entry) continue;
    entry.table.partitioning = {
      by: PARTITION_STRATEGY[String(p.strategy)]!,
      columns: numbers(p.columns).map((n) => entry.names.get(n)!),
      partitions: [],
    };
  }
  for (const p of await query(PARTITIONS, [schemaName])) {
    byOid.get(String(p.table_oid))?.table.partitioning?.partitions.push({
      name: String(p.name),
      bound: String(p.bound),
    });
  }
  const schema: Schema = { name: schemaName, tables: [...byOid.values()].map((e) => e.table) };
  if (types.length > 0) schema.types = types;
  const views = (await query(VIEWS, [schemaName])).map((v): View => {
    const view: View = { name: String(v.name), query: oneLine(String(v.query)) };
    if (v.kind === "m") view.materialized = true;
    return view;
  });
  if (views.length > 0) schema.views = views;
  const routines = (await query(ROUTINES, [schemaName])).map(readRoutine);
  if (routines.length > 0) schema.routines = routines;
  return schema;
}

/**
 * A type as `format_type` prints it, with a user type's quoted or qualified
 * name replaced by its model name; arrays of user types keep their `[]`.
 */
function userTypeName(names: ReadonlyMap<string, string>, printed: string): string {
  const m = /^(.*?)((?:\[\])+)$/.exec(printed);
  const [element, dims] = m ? [m[1]!, m[2]!] : [printed, ""];
  const name = names.get(element);
  return name === undefined ? printed : name + dims;
}

/** A catalog array: PostgreSQL drivers return JS arrays; some return `{1,2}` text. */
function numbers(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === "string") return v.replace(/[{}]/g, "").split(/[,\s]+/).filter(Boolean).map(Number);
  return [];
}

async function readTypes(query: CatalogQuery, schemaName: string): Promise<UserType[]> {
  const rows = await query(USER_TYPES, [schemaName]);
  const labels = await query(ENUMS, [schemaName]);
  const checks = await query(DOMAIN_CHECKS, [schemaName]);
  const attributes = await query(COMPOSITE_ATTRIBUTES, [schemaName]);
  const names = new Map(
    rows.flatMap((r) => [
      [quoteIdent(String(r.name)), String(r.name)],
      [`${quoteIdent(schemaName)}.${quoteIdent(String(r.name))}`, String(r.name)],
    ]),
  );
  return dependenciesFirst(rows.map((r): UserType => {
    const name = String(r.name);
    const oid = String(r.oid);
    switch (r.kind) {
      case "e":
        return {
          name,
          kind: "enum",
          labels: labels.filter((l) => String(l.type_oid) === oid).map((l) => String(l.label)),
        };
      case "d": {
        const type: UserType = { name, kind: "domain", base: userTypeName(names, String(r.base)) };
        if (r.not_null === true) type.notNull = true;
        const own = checks.filter((c) => String(c.type_oid) === oid).map((c) =>
          checkExpression(String(c.definition))
        );
        if (own.length > 0) type.checks = own;
        const range = own.length === 1 ? domainRange(own[0]!) : undefined;
        if (range) type.range = range;
        return type;
      }
      default:
        return {
          name,
          kind: "composite",
          attributes: attributes.filter((a) => String(a.type_oid) === oid).map((a) => ({
            name: String(a.name),
            type: userTypeName(names, String(a.type)),
          })),
        };
    }
  }));
}

/**
 * Types in an order where each comes after the types it names (a domain's
 * base, a composite's attributes, arrays of either), as the model wants; in
 * creation order otherwise. `ALTER TYPE … ADD ATTRIBUTE` can make a type use
 * one created after it.
 */
function dependenciesFirst(types: UserType[]): UserType[] {
  const byName = new Map(types.map((t) => [t.name, t]));
  const element = (name: string) => name.replace(/(\[\])+$/, "");
  const uses = (t: UserType): string[] =>
    t.kind === "domain"
      ? [element(t.base)]
      : t.kind === "composite"
      ? t.attributes.map((a) => element(a.type))
      : [];
  const out: UserType[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (t: UserType): void => {
    if (placed.has(t.name) || visiting.has(t.name)) return;
    visiting.add(t.name);
    for (const name of uses(t)) {
      const dependency = byName.get(name);
      if (dependency) place(dependency);
    }
    visiting.delete(t.name);
    placed.add(t.name);
    out.push(t);
  };
  for (const t of types) place(t);
  return out;
}

function readRoutine(r: Record<string, unknown>): Routine {
  const routine: Routine = {
    name: String(r.name),
    kind: r.kind === "p" ? "procedure" : "function",
    language: r.language === "sql" ? "sql" : "plpgsql",
    // PostgreSQL 14+ prints a procedure's arguments with their default mode, IN.
    arguments: String(r.arguments ?? "").replace(/(^|, )IN /g, "$1"),
    body: String(r.body ?? "").trim(),
  };
  if (routine.kind === "function" && r.returns) routine.returns = String(r.returns);
  if (r.atomic === true) {
    routine.atomic = true;
    const m = /BEGIN ATOMIC([\s\S]*)END\s*$/.exec(String(r.definition ?? ""));
    // oneLine drops the last statement's semicolon; the model's atomic body keeps it.
    routine.body = m ? `${oneLine(m[1]!)};` : "";
  }
  const volatility = VOLATILITY[String(r.volatility)];
  if (volatility && volatility !== "volatile") routine.volatility = volatility;
  return routine;
}
