/**
 * CREATE TABLE statements for a schema, in foreign-key order. Statements
 * are idempotent (`IF NOT EXISTS`) so a setup can be replayed.
 *
 * @module
 */
import { type Schema, type Table, tablesInDependencyOrder } from "./model.ts";
import { columnType } from "./types.ts";
import { qualifiedName, quoteIdent, quoteLiteral } from "../dialect/quote.ts";

/**
 * CREATE TYPE for each enum. PostgreSQL has no CREATE TYPE IF NOT EXISTS, so
 * a DO block skips one that exists and keeps setups replayable.
 */
function typeStatements(schema: Schema): string[] {
  return (schema.types ?? []).map((t) =>
    `DO $quarry$ BEGIN CREATE TYPE ${qualifiedName(t.name, t.schema)} AS ENUM (${
      t.labels.map(quoteLiteral).join(", ")
    }); EXCEPTION WHEN duplicate_object THEN NULL; END $quarry$`
  );
}

const list = (names: readonly string[]) => names.map(quoteIdent).join(", ");

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
  } (${list(fk.references.columns)})${action}`;
}

/**
 * The statements that create `schema`'s tables. A foreign key to a table
 * created later (a reference cycle) becomes an ALTER TABLE at the end.
 *
 * @example
 * ```ts
 * import { createTableStatements } from "./ddl.ts";
 * const [sql] = createTableStatements({ name: "s", tables: [{ name: "t", columns: [{ name: "id", type: "int" }] }] });
 * if (sql !== "CREATE TABLE IF NOT EXISTS t (id integer)") throw new Error(sql);
 * ```
 */
export function createTableStatements(schema: Schema): string[] {
  const created = new Set<string>();
  const late: string[] = [];
  const out: string[] = [];
  for (const t of tablesInDependencyOrder(schema)) {
    const parts = t.columns.map((_, i) => columnSql(schema, t, i));
    if (t.primaryKey) parts.push(`PRIMARY KEY (${list(t.primaryKey)})`);
    for (const u of t.unique ?? []) parts.push(`UNIQUE (${list(u)})`);
    for (const c of t.checks ?? []) {
      parts.push(`${c.name ? `CONSTRAINT ${quoteIdent(c.name)} ` : ""}CHECK (${c.expression})`);
    }
    (t.foreignKeys ?? []).forEach((fk, k) => {
      if (created.has(fk.references.table) || fk.references.table === t.name) parts.push(foreignKeySql(t, k));
      else late.push(`ALTER TABLE ${qualifiedName(t.name, t.schema)} ADD ${foreignKeySql(t, k)}`);
    });
    out.push(`CREATE TABLE IF NOT EXISTS ${qualifiedName(t.name, t.schema)} (${parts.join(", ")})`);
    created.add(t.name);
  }
  return [...typeStatements(schema), ...out, ...late];
}
