/**
 * The DDL that creates a schema model: types, tables (with partitions and
 * YugabyteDB sharding), indexes, views and routines, in dependency order.
 * Statements are idempotent (`IF NOT EXISTS`, `OR REPLACE`, or a DO block
 * that skips an existing type) so a setup can be replayed, and each fits on
 * one line.
 *
 * @module
 */
import type { Index, Routine, Schema, Table, UserType, View } from "./model.ts";
import { tablesInDependencyOrder } from "./model.ts";
import { columnType } from "./types.ts";
import { qualifiedName, quoteIdent, quoteLiteral } from "../dialect/quote.ts";

const list = (names: readonly string[]) => names.map(quoteIdent).join(", ");

/** PostgreSQL has no CREATE TYPE/DOMAIN IF NOT EXISTS: a DO block skips one that exists. */
const unlessExists = (statement: string) =>
  `DO $quarry$ BEGIN ${statement}; EXCEPTION WHEN duplicate_object THEN NULL; END $quarry$`;

function typeStatement(schema: Schema, t: UserType): string {
  const name = qualifiedName(t.name, t.schema);
  switch (t.kind) {
    case "enum":
      return unlessExists(`CREATE TYPE ${name} AS ENUM (${t.labels.map(quoteLiteral).join(", ")})`);
    case "domain": {
      const checks = (t.checks ?? []).map((c) => ` CHECK (${c})`).join("");
      const base = columnType(schema, t.base);
      return unlessExists(
        `CREATE DOMAIN ${name} AS ${typeof base === "string" ? t.base : base.sql}${
          t.notNull ? " NOT NULL" : ""
        }${checks}`,
      );
    }
    case "composite": {
      const attributes = t.attributes.map((a) => {
        const type = columnType(schema, a.type);
        return `${quoteIdent(a.name)} ${typeof type === "string" ? a.type : type.sql}`;
      });
      return unlessExists(`CREATE TYPE ${name} AS (${attributes.join(", ")})`);
    }
  }
}

function columnSql(schema: Schema, t: Table, i: number): string {
  const c = t.columns[i]!;
  const type = columnType(schema, c.type);
  let sql = `${quoteIdent(c.name)} ${typeof type === "string" ? c.type : type.sql}`;
  if (c.generated !== undefined) sql += ` GENERATED ALWAYS AS (${c.generated}) STORED`;
  if (c.identity !== undefined) sql += ` GENERATED ${c.identity.toUpperCase()} AS IDENTITY`;
  if (c.nullable === false) sql += " NOT NULL";
  if (c.default !== undefined) sql += ` DEFAULT ${c.default}`;
  return sql;
}

function foreignKeySql(t: Table, k: number): string {
  const fk = t.foreignKeys![k]!;
  const name = fk.name ? `CONSTRAINT ${quoteIdent(fk.name)} ` : "";
  const action = fk.onDelete ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : "";
  return `${name}FOREIGN KEY (${list(fk.columns)}) REFERENCES ${
    qualifiedName(fk.references.table, fk.references.schema ?? t.schema)
  } (${list(fk.references.columns)})${action}${fk.deferrable ? " DEFERRABLE INITIALLY DEFERRED" : ""}`;
}

/** YugabyteDB key columns: the first `hash` as one HASH group, the rest ASC. */
/** `ALTER TABLE … ADD FOREIGN KEY …` for key `k` of `t`: a constraint added after its rows are in. */
export function addForeignKeyStatement(t: Table, k: number): string {
  return `ALTER TABLE ${qualifiedName(t.name, t.schema)} ADD ${foreignKeySql(t, k)}`;
}

function shardedKeys(keys: readonly string[], hash: number): string {
  const rest = keys.slice(hash).map((k) => `${k} ASC`);
  return [...(hash > 0 ? [`(${keys.slice(0, hash).join(", ")}) HASH`] : []), ...rest].join(", ");
}

function primaryKeySql(t: Table): string {
  const keys = t.primaryKey!.map(quoteIdent);
  return `PRIMARY KEY (${t.sharding ? shardedKeys(keys, t.sharding.hashColumns) : keys.join(", ")})`;
}

function tableSql(t: Table, parts: string[]): string {
  let sql = `CREATE TABLE IF NOT EXISTS ${qualifiedName(t.name, t.schema)} (${parts.join(", ")})`;
  if (t.partitioning) {
    sql += ` PARTITION BY ${t.partitioning.by.toUpperCase()} (${list(t.partitioning.columns)})`;
  }
  if (t.sharding?.colocation !== undefined) sql += ` WITH (COLOCATION = ${t.sharding.colocation})`;
  if (t.sharding?.splitInto !== undefined) sql += ` SPLIT INTO ${t.sharding.splitInto} TABLETS`;
  return sql;
}

function indexSql(t: Table, index: Index): string {
  const keys = index.keys.map((k) => typeof k === "string" ? quoteIdent(k) : `(${k.expression})`);
  const method = index.method && index.method !== "btree" ? ` USING ${index.method}` : "";
  const keySql = index.hashKeys !== undefined ? shardedKeys(keys, index.hashKeys) : keys.join(", ");
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX IF NOT EXISTS ${quoteIdent(index.name)} ON ${
    qualifiedName(t.name, t.schema)
  }${method} (${keySql})${index.where ? ` WHERE ${index.where}` : ""}`;
}

function viewSql(v: View): string {
  const name = qualifiedName(v.name, v.schema);
  return v.materialized
    ? `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} AS ${v.query}`
    : `CREATE OR REPLACE VIEW ${name} AS ${v.query}`;
}

function routineSql(r: Routine): string {
  const head = `CREATE OR REPLACE ${r.kind.toUpperCase()} ${qualifiedName(r.name, r.schema)}(${r.arguments})`;
  const returns = r.returns ? ` RETURNS ${r.returns}` : "";
  const volatility = r.volatility ? ` ${r.volatility.toUpperCase()}` : "";
  const body = r.atomic ? `BEGIN ATOMIC ${r.body} END` : `AS $quarry$ ${r.body} $quarry$`;
  return `${head}${returns} LANGUAGE ${r.language}${volatility} ${body}`;
}

/** nextval('name'::regclass): a serial column's sequence, as introspection reads its default. */
const NEXTVAL = /nextval\('((?:[^']|'')+)'(?:::regclass)?\)/i;

/** The sequence a column's default draws from (a serial column read back), as SQL text; undefined if none. */
export function defaultSequence(c: { default?: string }): string | undefined {
  const m = NEXTVAL.exec(c.default ?? "");
  return m ? m[1]!.replaceAll("''", "'") : undefined;
}

/** The sequences that column defaults draw from, created before their tables. */
function sequenceStatements(schema: Schema): string[] {
  const names = new Set<string>();
  for (const t of schema.tables) for (const c of t.columns) names.add(defaultSequence(c) ?? "");
  names.delete("");
  return [...names].map((n) => `CREATE SEQUENCE IF NOT EXISTS ${n}`);
}

/** Each such sequence belongs to its column, as a serial column's does (dropped with it, found by pg_get_serial_sequence). */
function sequenceOwners(schema: Schema): string[] {
  return schema.tables.flatMap((t) =>
    t.columns.flatMap((c) => {
      const seq = defaultSequence(c);
      return seq
        ? [`ALTER SEQUENCE ${seq} OWNED BY ${qualifiedName(t.name, t.schema)}.${quoteIdent(c.name)}`]
        : [];
    })
  );
}

/**
 * The statements that create `schema`. A foreign key to a table created
 * later (a reference cycle) becomes an ALTER TABLE after the tables.
 *
 * @example
 * ```ts
 * import { createSchemaStatements } from "./ddl.ts";
 * const [sql] = createSchemaStatements({ name: "s", tables: [{ name: "t", columns: [{ name: "id", type: "int" }] }] });
 * if (sql !== "CREATE TABLE IF NOT EXISTS t (id integer)") throw new Error(sql);
 * ```
 */
export function createSchemaStatements(schema: Schema): string[] {
  const created = new Set<string>();
  const late: string[] = [];
  const tables: string[] = [];
  const indexes: string[] = [];
  for (const t of tablesInDependencyOrder(schema)) {
    const parts = t.columns.map((_, i) => columnSql(schema, t, i));
    if (t.primaryKey) parts.push(primaryKeySql(t));
    for (const u of t.unique ?? []) parts.push(`UNIQUE (${list(u)})`);
    for (const u of t.uniqueNullsNotDistinct ?? []) parts.push(`UNIQUE NULLS NOT DISTINCT (${list(u)})`);
    for (const c of t.checks ?? []) {
      parts.push(`${c.name ? `CONSTRAINT ${quoteIdent(c.name)} ` : ""}CHECK (${c.expression})`);
    }
    (t.foreignKeys ?? []).forEach((fk, k) => {
      if (created.has(fk.references.table) || fk.references.table === t.name) parts.push(foreignKeySql(t, k));
      else late.push(addForeignKeyStatement(t, k));
    });
    tables.push(tableSql(t, parts));
    for (const p of t.partitioning?.partitions ?? []) {
      tables.push(
        `CREATE TABLE IF NOT EXISTS ${qualifiedName(p.name, t.schema)} PARTITION OF ${
          qualifiedName(t.name, t.schema)
        } ${p.bound}`,
      );
    }
    for (const index of t.indexes ?? []) indexes.push(indexSql(t, index));
    created.add(t.name);
  }
  return [
    ...(schema.types ?? []).map((t) => typeStatement(schema, t)),
    ...sequenceStatements(schema),
    ...tables,
    ...sequenceOwners(schema),
    ...late,
    ...indexes,
    ...(schema.views ?? []).map(viewSql),
    ...(schema.routines ?? []).map(routineSql),
  ];
}
