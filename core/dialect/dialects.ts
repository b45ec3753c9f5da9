/**
 * The SQL dialects Quarry targets and the features each accepts: PostgreSQL
 * 12–18 by major version, and YugabyteDB YSQL, whose gates are the features
 * of its PostgreSQL base minus what YugabyteDB does not support, plus its own
 * DDL. Facts and sources: docs/dialects.md.
 *
 * @module
 */

/** A feature a generator may emit only where the dialect accepts it. */
export type Feature =
  | "generated_stored"
  | "cte_materialized"
  | "jsonpath"
  | "nondeterministic_collations"
  | "gen_random_uuid"
  | "fetch_with_ties"
  | "multirange"
  | "search_cycle"
  | "jsonb_subscript"
  | "group_by_distinct"
  | "create_or_replace_trigger"
  | "sql_function_body"
  | "merge"
  | "nulls_not_distinct"
  | "sql_json_constructors"
  | "any_value"
  | "json_table"
  | "merge_returning"
  | "virtual_generated"
  | "returning_old_new"
  | "uuidv7"
  | "temporal_constraints"
  | "foreign_key_to_partitioned"
  | "identity_on_partitioned"
  | "index_gist"
  | "index_spgist"
  | "index_brin"
  | "exclusion_constraints"
  | "inheritance"
  | "yb_hash_sharding"
  | "yb_split_tablets"
  | "yb_colocation";

/** The PostgreSQL major version that introduced each versioned feature. */
const POSTGRES_SINCE: Partial<Record<Feature, number>> = {
  generated_stored: 12,
  cte_materialized: 12,
  jsonpath: 12,
  nondeterministic_collations: 12,
  gen_random_uuid: 13,
  fetch_with_ties: 13,
  multirange: 14,
  search_cycle: 14,
  jsonb_subscript: 14,
  group_by_distinct: 14,
  create_or_replace_trigger: 14,
  sql_function_body: 14,
  merge: 15,
  nulls_not_distinct: 15,
  sql_json_constructors: 16,
  any_value: 16,
  json_table: 17,
  merge_returning: 17,
  virtual_generated: 18,
  returning_old_new: 18,
  uuidv7: 18,
  temporal_constraints: 18,
  foreign_key_to_partitioned: 12,
  identity_on_partitioned: 17,
};

/** The PostgreSQL major version that introduced `feature`, if it is versioned. */
export function postgresSince(feature: Feature): number | undefined {
  return POSTGRES_SINCE[feature];
}

/** Features every supported PostgreSQL has. */
const POSTGRES_ALWAYS: Feature[] = [
  "index_gist",
  "index_spgist",
  "index_brin",
  "exclusion_constraints",
  "inheritance",
];

/** What YugabyteDB leaves out of its PostgreSQL base, and what it adds. */
const YUGABYTE_UNSUPPORTED: Feature[] = [
  "merge",
  "nondeterministic_collations",
  "index_gist",
  "index_spgist",
  "index_brin",
  "exclusion_constraints",
  "inheritance",
];
const YUGABYTE_ONLY: Feature[] = ["yb_hash_sharding", "yb_split_tablets", "yb_colocation"];

/** A target dialect. */
export interface Dialect {
  /** As written on the command line, e.g. `postgres@15`. */
  name: string;
  family: "postgres" | "yugabyte";
  version: string;
  /** PostgreSQL major version the dialect's SQL follows. */
  postgresBase: number;
  features: ReadonlySet<Feature>;
}

/** YugabyteDB release lines and their PostgreSQL base. */
const YUGABYTE_BASES: Record<string, number> = { "2.20": 11, "2025.1": 15 };

/** Every dialect name `parseDialect` accepts. */
export const DIALECT_NAMES: readonly string[] = [
  ...[12, 13, 14, 15, 16, 17, 18].map((v) => `postgres@${v}`),
  ...Object.keys(YUGABYTE_BASES).map((v) => `yugabyte@${v}`),
];

function postgresFeatures(base: number): Set<Feature> {
  const out = new Set<Feature>(POSTGRES_ALWAYS);
  for (const [feature, since] of Object.entries(POSTGRES_SINCE)) {
    if (since! <= base) out.add(feature as Feature);
  }
  return out;
}

/**
 * Reads a dialect name: `postgres@12` … `postgres@18`, `yugabyte@2.20` or
 * `yugabyte@2025.1`.
 *
 * @returns The dialect, or a string saying what is wrong.
 * @example
 * ```ts
 * import { parseDialect } from "./dialects.ts";
 * const yb = parseDialect("yugabyte@2.20");
 * if (typeof yb === "string" || yb.features.has("generated_stored")) throw new Error();
 * ```
 */
export function parseDialect(name: string): Dialect | string {
  const m = /^(postgres|yugabyte)@([0-9.]+)$/.exec(name.trim());
  if (!m || !DIALECT_NAMES.includes(name.trim())) {
    return `unknown dialect "${name}" (known: ${DIALECT_NAMES.join(", ")})`;
  }
  const family = m[1] as Dialect["family"];
  const version = m[2]!;
  if (family === "postgres") {
    const base = Number(version);
    return { name: name.trim(), family, version, postgresBase: base, features: postgresFeatures(base) };
  }
  const base = YUGABYTE_BASES[version]!;
  const features = postgresFeatures(base);
  for (const f of YUGABYTE_UNSUPPORTED) features.delete(f);
  for (const f of YUGABYTE_ONLY) features.add(f);
  return { name: name.trim(), family, version, postgresBase: base, features };
}
