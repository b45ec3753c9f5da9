// What introspection must give back of a schema: names, canonical types, keys, constraints.
import type { Schema } from "../core/schema/model.ts";
import { columnType } from "../core/schema/types.ts";

/** A comparable summary of a schema, independent of how it was written. */
export function schemaShape(schema: Schema) {
  const types = (schema.types ?? []).map((t) => `${t.name}: ${t.labels.join(",")}`).sort();
  return { types, tables: schemaTables(schema) };
}

function schemaTables(schema: Schema) {
  return schema.tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: (columnType(schema, c.type) as { sql: string }).sql,
      notNull: c.nullable === false || (t.primaryKey ?? []).includes(c.name),
      default: c.default ?? null,
      generated: c.generated !== undefined,
    })),
    primaryKey: t.primaryKey ?? [],
    unique: (t.unique ?? []).map((u) => u.join(",")).sort(),
    checks: (t.checks ?? []).length,
    foreignKeys: (t.foreignKeys ?? []).map((f) =>
      `${f.columns} -> ${f.references.table}(${f.references.columns}) ${
        f.onDelete === "no action" ? "" : f.onDelete ?? ""
      }`
    ).sort(),
  })).sort((a, b) => a.name.localeCompare(b.name));
}
