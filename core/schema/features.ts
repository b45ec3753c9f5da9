/**
 * The dialect features a schema model needs, so a schema can be checked
 * against a target before any DDL is sent (and random schemas can be
 * checked against the gates they were made under).
 *
 * @module
 */
import type { Feature } from "../dialect/dialects.ts";
import type { Schema } from "./model.ts";
import { MULTIRANGES } from "./samples.ts";

const METHOD_FEATURES: Partial<Record<string, Feature>> = {
  gist: "index_gist",
  spgist: "index_spgist",
  brin: "index_brin",
};

/**
 * Every gated feature `schema` uses.
 *
 * @example
 * ```ts
 * import { featuresUsed } from "./features.ts";
 * const used = featuresUsed({
 *   name: "s",
 *   tables: [{ name: "t", columns: [{ name: "r", type: "int4multirange" }], uniqueNullsNotDistinct: [["r"]] }],
 * });
 * if (!used.has("multirange") || !used.has("nulls_not_distinct")) throw new Error();
 * ```
 */
export function featuresUsed(schema: Schema): Set<Feature> {
  const used = new Set<Feature>();
  const partitioned = new Set(schema.tables.filter((t) => t.partitioning).map((t) => t.name));
  for (const t of schema.tables) {
    if (t.uniqueNullsNotDistinct?.length) used.add("nulls_not_distinct");
    if (t.sharding) {
      if (t.sharding.hashColumns > 0) used.add("yb_hash_sharding");
      if (t.sharding.splitInto !== undefined) used.add("yb_split_tablets");
      if (t.sharding.colocation !== undefined) used.add("yb_colocation");
    }
    for (const c of t.columns) {
      if (c.generated !== undefined) used.add("generated_stored");
      if (c.identity !== undefined && t.partitioning) used.add("identity_on_partitioned");
      if (c.type.replace(/\[\]$/, "") in MULTIRANGES) used.add("multirange");
    }
    for (const fk of t.foreignKeys ?? []) {
      if (partitioned.has(fk.references.table)) used.add("foreign_key_to_partitioned");
    }
    for (const x of t.indexes ?? []) {
      const f = METHOD_FEATURES[x.method ?? "btree"];
      if (f) used.add(f);
      if (x.hashKeys !== undefined) used.add("yb_hash_sharding");
    }
  }
  if (schema.colocated) used.add("yb_colocation");
  if (schema.routines?.some((r) => r.atomic)) used.add("sql_function_body");
  return used;
}
