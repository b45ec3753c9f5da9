import { deepStrictEqual, match, ok } from "node:assert/strict";
import { type Dialect, DIALECT_NAMES, parseDialect, postgresSince } from "./dialects.ts";

const dialect = (name: string) => parseDialect(name) as Dialect;

Deno.test("each PostgreSQL version has exactly the features of its release notes so far", () => {
  deepStrictEqual(dialect("postgres@12").features.has("generated_stored"), true);
  deepStrictEqual(dialect("postgres@14").features.has("merge"), false);
  deepStrictEqual(dialect("postgres@15").features.has("merge"), true);
  // SQL/JSON constructors were reverted from 15 and shipped in 16.
  deepStrictEqual(dialect("postgres@15").features.has("sql_json_constructors"), false);
  deepStrictEqual(dialect("postgres@16").features.has("sql_json_constructors"), true);
  deepStrictEqual(dialect("postgres@17").features.has("virtual_generated"), false);
  deepStrictEqual(dialect("postgres@18").features.has("virtual_generated"), true);
  // Later versions only add.
  for (let v = 13; v <= 18; v++) {
    for (const f of dialect(`postgres@${v - 1}`).features) {
      ok(dialect(`postgres@${v}`).features.has(f), `${f} lost in ${v}`);
    }
  }
});

Deno.test("the PostgreSQL-11-based YugabyteDB line gets no PostgreSQL 12+ feature", () => {
  const yb = dialect("yugabyte@2.20");
  deepStrictEqual(yb.postgresBase, 11);
  const versioned = [...dialect("postgres@18").features].filter((f) => postgresSince(f) !== undefined);
  ok(versioned.length >= 20);
  for (const f of versioned) ok(!yb.features.has(f), `yugabyte@2.20 has ${f}`);
  ok(yb.features.has("yb_hash_sharding"));
});

Deno.test("YugabyteDB 2025.1 follows PostgreSQL 15 without MERGE, GiST, BRIN, SP-GiST or exclusion constraints", () => {
  const yb = dialect("yugabyte@2025.1");
  deepStrictEqual(yb.postgresBase, 15);
  for (
    const f of ["generated_stored", "nulls_not_distinct", "multirange", "create_or_replace_trigger"] as const
  ) {
    ok(yb.features.has(f), f);
  }
  for (
    const f of [
      "merge",
      "index_gist",
      "index_brin",
      "index_spgist",
      "exclusion_constraints",
      "sql_json_constructors",
    ] as const
  ) {
    ok(!yb.features.has(f), f);
  }
});

Deno.test("unknown dialects are explained with the known ones", () => {
  for (const bad of ["postgres@11", "postgres", "mysql@8", "yugabyte@2.18"]) {
    match(String(parseDialect(bad)), /unknown dialect .* \(known: postgres@12, .*yugabyte@2025\.1\)/);
  }
  deepStrictEqual(DIALECT_NAMES.length, 9);
});
