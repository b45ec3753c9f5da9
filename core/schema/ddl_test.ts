import { deepStrictEqual, match } from "node:assert/strict";
import { createSchemaStatements } from "./ddl.ts";
import { parseSchema, SchemaError } from "./parse.ts";
import { parseType } from "./types.ts";
import type { Schema } from "./model.ts";

Deno.test("YugabyteDB tables and indexes get HASH/ASC keys, SPLIT INTO and colocation", () => {
  const schema: Schema = {
    name: "yb",
    colocated: true,
    tables: [{
      name: "orders",
      columns: [{ name: "a", type: "bigint" }, { name: "b", type: "int" }, { name: "c", type: "text" }],
      primaryKey: ["a", "b", "c"],
      sharding: { hashColumns: 2, splitInto: 8, colocation: false },
      indexes: [{ name: "orders c", keys: ["c", "b"], hashKeys: 1 }, {
        name: "g",
        method: "ybgin",
        keys: ["c"],
      }],
    }, {
      name: "ranged",
      columns: [{ name: "k", type: "bigint" }],
      primaryKey: ["k"],
      sharding: { hashColumns: 0 },
    }],
  };
  deepStrictEqual(createSchemaStatements(schema), [
    "CREATE TABLE IF NOT EXISTS orders (a bigint, b integer, c text, PRIMARY KEY ((a, b) HASH, c ASC)) " +
    "WITH (COLOCATION = false) SPLIT INTO 8 TABLETS",
    "CREATE TABLE IF NOT EXISTS ranged (k bigint, PRIMARY KEY (k ASC))",
    'CREATE INDEX IF NOT EXISTS "orders c" ON orders ((c) HASH, b ASC)',
    "CREATE INDEX IF NOT EXISTS g ON orders USING ybgin (c)",
  ]);
});

Deno.test("partitions, partial and expression indexes, views and routines come out in dependency order", () => {
  const schema = parseSchema(JSON.stringify({
    name: "p",
    types: [
      { name: "pct", kind: "domain", base: "integer", checks: ["VALUE BETWEEN 0 AND 100"], range: [0, 100] },
      {
        name: "pair",
        kind: "composite",
        attributes: [{ name: "x", type: "integer" }, { name: "y", type: "pct" }],
      },
    ],
    tables: [{
      name: "m",
      columns: [{ name: "id", type: "bigint" }, { name: "t", type: "text" }, { name: "p", type: "pair" }],
      primaryKey: ["id"],
      uniqueNullsNotDistinct: [["t"]],
      partitioning: {
        by: "range",
        columns: ["id"],
        partitions: [{ name: "m0", bound: "FOR VALUES FROM (MINVALUE) TO ('10')" }, {
          name: "m9",
          bound: "DEFAULT",
        }],
      },
      indexes: [{ name: "m_lower", keys: [{ expression: "lower(t)" }], where: "t IS NOT NULL" }],
    }],
    views: [{ name: "mv", query: "SELECT id FROM m", materialized: true }],
    routines: [
      {
        name: "f",
        kind: "function",
        language: "sql",
        arguments: "a integer",
        returns: "integer",
        body: "SELECT a;",
        atomic: true,
        volatility: "immutable",
      },
      { name: "p", kind: "procedure", language: "plpgsql", arguments: "", body: "BEGIN NULL; END" },
    ],
  }));
  deepStrictEqual(createSchemaStatements(schema), [
    "DO $quarry$ BEGIN CREATE DOMAIN pct AS integer CHECK (VALUE BETWEEN 0 AND 100); " +
    "EXCEPTION WHEN duplicate_object THEN NULL; END $quarry$",
    "DO $quarry$ BEGIN CREATE TYPE pair AS (x integer, y pct); EXCEPTION WHEN duplicate_object THEN NULL; END $quarry$",
    "CREATE TABLE IF NOT EXISTS m (id bigint, t text, p pair, PRIMARY KEY (id), UNIQUE NULLS NOT DISTINCT (t)) " +
    "PARTITION BY RANGE (id)",
    "CREATE TABLE IF NOT EXISTS m0 PARTITION OF m FOR VALUES FROM (MINVALUE) TO ('10')",
    "CREATE TABLE IF NOT EXISTS m9 PARTITION OF m DEFAULT",
    "CREATE INDEX IF NOT EXISTS m_lower ON m ((lower(t))) WHERE t IS NOT NULL",
    "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT id FROM m",
    "CREATE OR REPLACE FUNCTION f(a integer) RETURNS integer LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT a; END",
    "CREATE OR REPLACE PROCEDURE p() LANGUAGE plpgsql AS $quarry$ BEGIN NULL; END $quarry$",
  ]);
});

Deno.test("type names PostgreSQL prints read back to one canonical spelling", () => {
  const sql = (name: string) => {
    const t = parseType(name);
    return typeof t === "string" ? t : t.sql;
  };
  deepStrictEqual(
    [
      "bit varying(5)",
      "character varying(20)[]",
      "integer[][]",
      "BIT(3)",
      "int4multirange",
      "numeric(10,2)[]",
    ].map(sql),
    ["varbit(5)", "varchar(20)[]", "integer[]", "bit(3)", "int4multirange", "numeric(10,2)[]"],
  );
  match(sql("jsonb[]"), /arrays of jsonb are not supported/);
  match(sql("point(3)"), /takes no such modifier/);
});

Deno.test("bad schema documents name the JSON path of the problem", () => {
  const bad = (doc: unknown) => {
    try {
      parseSchema(JSON.stringify(doc));
    } catch (e) {
      if (e instanceof SchemaError) return e.message;
      throw e;
    }
    throw new Error("accepted");
  };
  const table = { name: "t", columns: [{ name: "a", type: "int" }], primaryKey: ["a"] };
  deepStrictEqual(
    bad({ tables: [{ ...table, indexes: [{ name: "i", keys: ["b"] }] }] }),
    '$.tables[0].indexes[0].keys[0]: no column "b" in the table',
  );
  match(
    bad({ tables: [{ ...table, sharding: { hashColumns: 0, splitInto: 4 } }] }),
    /splitInto: SPLIT INTO needs hash/,
  );
  match(
    bad({ tables: [table], types: [{ name: "d", kind: "domain", base: "nope" }] }),
    /^\$\.types\[0\]\.base: unsupported type/,
  );
  match(
    bad({
      tables: [table],
      // A composite may name only the types listed before it.
      types: [
        { name: "c", kind: "composite", attributes: [{ name: "x", type: "later[]" }] },
        { name: "later", kind: "enum", labels: ["a"] },
      ],
    }),
    /^\$\.types\[0\]: unsupported type "later"/,
  );
  match(
    bad({ tables: [table], routines: [{ name: "f", kind: "function", language: "sql", body: "SELECT 1" }] }),
    /routines\[0\]\.returns: a function needs a result type/,
  );
  match(
    bad({
      tables: [{
        ...table,
        partitioning: { by: "range", columns: ["z"], partitions: [{ name: "p", bound: "DEFAULT" }] },
      }],
    }),
    /partitioning\.columns\[0\]: no column "z"/,
  );
});
