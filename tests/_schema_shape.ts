// What introspection must give back of a schema: names, canonical types, keys, constraints,
// indexes, partitions, views and routines. YugabyteDB sharding is not read back.
import type { Schema, UserType } from "../core/schema/model.ts";
import { columnType } from "../core/schema/types.ts";

const canonical = (schema: Schema, type: string) => {
  const t = columnType(schema, type);
  return typeof t === "string" ? `?${type}` : t.sql;
};

function typeShape(schema: Schema, t: UserType): string {
  switch (t.kind) {
    case "enum":
      return `enum ${t.name}: ${t.labels.join(",")}`;
    case "domain":
      return `domain ${t.name}: ${canonical(schema, t.base)}${t.notNull ? " not null" : ""} checks ${
        (t.checks ?? []).length
      }`;
    case "composite":
      return `composite ${t.name}: ${
        t.attributes.map((a) => `${a.name} ${canonical(schema, a.type)}`).join(", ")
      }`;
  }
}

/** A comparable summary of a schema, independent of how it was written. */
export function schemaShape(schema: Schema) {
  return {
    types: (schema.types ?? []).map((t) => typeShape(schema, t)).sort(),
    tables: schemaTables(schema),
    views: (schema.views ?? []).map((v) => `${v.materialized ? "materialized " : ""}${v.name}`).sort(),
    routines: (schema.routines ?? []).map((r) =>
      `${r.kind} ${r.name}(${r.arguments}) ${r.returns ?? ""} ${r.language}${r.atomic ? " atomic" : ""} ${
        r.volatility ?? "volatile"
      }`
    ).sort(),
  };
}

function schemaTables(schema: Schema) {
  return schema.tables.map((t) => ({
    name: t.name,
    columns: t.columns.map((c) => ({
      name: c.name,
      type: canonical(schema, c.type),
      notNull: c.nullable === false || (t.primaryKey ?? []).includes(c.name),
      default: c.default ?? null,
      generated: c.generated !== undefined,
      identity: c.identity ?? null,
    })),
    primaryKey: t.primaryKey ?? [],
    unique: (t.unique ?? []).map((u) => u.join(",")).sort(),
    uniqueNullsNotDistinct: (t.uniqueNullsNotDistinct ?? []).map((u) => u.join(",")).sort(),
    checks: (t.checks ?? []).length,
    foreignKeys: (t.foreignKeys ?? []).map((f) =>
      `${f.columns} -> ${f.references.table}(${f.references.columns}) ${
        f.onDelete === "no action" ? "" : f.onDelete ?? ""
      }`
    ).sort(),
    indexes: (t.indexes ?? []).map((x) =>
      `${x.name} ${x.unique ? "unique " : ""}${x.method ?? "btree"} (${
        x.keys.map((k) => typeof k === "string" ? k : `expr ${k.expression}`).join(", ")
      })${x.where ? ` where ${x.where}` : ""}`
    ).sort(),
    partitioning: t.partitioning
      ? `${t.partitioning.by} (${t.partitioning.columns}): ${
        t.partitioning.partitions.map((p) => `${p.name} ${p.bound}`).sort().join("; ")
      }`
      : null,
  })).sort((a, b) => a.name.localeCompare(b.name));
}

/** The first parts where two shapes differ, one line each as read/wrote; empty when equal. */
export function shapeDifference(
  read: ReturnType<typeof schemaShape>,
  wrote: ReturnType<typeof schemaShape>,
): string {
  const lines: string[] = [];
  const a = read as Record<string, unknown[]>;
  const b = wrote as Record<string, unknown[]>;
  for (const key of Object.keys(b)) {
    const [x, y] = [a[key] ?? [], b[key] ?? []];
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const [p, q] = [JSON.stringify(x[i]), JSON.stringify(y[i])];
      if (p !== q) lines.push(`    ${key}[${i}] read  ${p}\n    ${key}[${i}] wrote ${q}`);
    }
  }
  return lines.slice(0, 4).join("\n");
}
