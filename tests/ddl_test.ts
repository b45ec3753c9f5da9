import { deepStrictEqual, ok } from "node:assert/strict";
import { type Dialect, parseDialect } from "../core/dialect/dialects.ts";
import { randomSchema } from "../core/schema/random.ts";
import { createSchemaStatements } from "../core/schema/ddl.ts";
import { columnType } from "../core/schema/types.ts";
import type { Schema } from "../core/schema/model.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { withTempDatabase } from "./_database.ts";
import { type CatalogDatabase, pgliteDatabase, postgresDatabase } from "./_catalog_database.ts";
import { roundTrip } from "./_round_trip.ts";

const SCHEMAS = Number(Deno.env.get("QUARRY_DDL_SCHEMAS") ?? 24);

const schemaFor = (n: number, dialect: Dialect, tables = 2 + (n % 5)) =>
  randomSchema({
    tables,
    seed: parseSeed(String(n)) as Seed,
    dialect,
    complexity: (["low", "medium", "high"] as const)[n % 3]!,
  });

/** Creates schema `n` in SQL schema `s<n>`, reads it back, and sends it `dml_unique` traffic. */
async function checkRoundTrip(db: CatalogDatabase, dialect: Dialect, n: number): Promise<Schema> {
  const schema = schemaFor(n, dialect);
  const r = await roundTrip(db, schema, n, parseSeed(String(n)) as Seed, 150);
  deepStrictEqual(r.failures, [], `${db.name} schema ${n}`);
  deepStrictEqual(r.difference, "", `${db.name} schema ${n}`);
  deepStrictEqual(r.bugs.slice(0, 3), [], `${db.name} schema ${n}`);
  ok(r.succeeded > 0, `${db.name} schema ${n}: no statement succeeded`);
  return schema;
}

/** What the schemas used, so a test shows it covered the features it claims. */
function tally(schemas: Schema[]): Record<string, number> {
  const count: Record<string, number> = {};
  const add = (k: string) => count[k] = (count[k] ?? 0) + 1;
  for (const s of schemas) {
    for (const t of s.types ?? []) add(t.kind);
    for (const v of s.views ?? []) add(v.materialized ? "materialized view" : "view");
    for (const r of s.routines ?? []) add(`${r.language} ${r.kind}`);
    for (const t of s.tables) {
      if (t.partitioning) add(`partition by ${t.partitioning.by}`);
      if (t.uniqueNullsNotDistinct) add("nulls not distinct");
      for (const x of t.indexes ?? []) {
        add(x.method ?? "btree");
        if (x.where) add("partial index");
        if (x.keys.some((k) => typeof k !== "string")) add("expression index");
      }
      for (const c of t.columns) {
        const type = columnType(s, c.type);
        if (typeof type !== "string" && type.typeClass === "other") add("pooled type");
        if (c.identity) add("identity");
        if (c.generated) add("generated");
      }
    }
  }
  return count;
}

Deno.test({
  name:
    `${SCHEMAS} random postgres@15 schemas run on PostgreSQL, read back the same, and take generated traffic`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dialect = parseDialect("postgres@15") as Dialect;
    const schemas: Schema[] = [];
    await withTempDatabase(async (url) => {
      const db = postgresDatabase(url);
      try {
        for (let n = 1; n <= SCHEMAS; n++) schemas.push(await checkRoundTrip(db, dialect, n));
      } finally {
        await db.close();
      }
    });
    const used = tally(schemas);
    for (
      const feature of [
        "enum",
        "domain",
        "composite",
        "view",
        "materialized view",
        "sql function",
        "plpgsql function",
        "partition by range",
        "partition by list",
        "partition by hash",
        "nulls not distinct",
        "gin",
        "gist",
        "hash",
        "brin",
        "partial index",
        "expression index",
        "pooled type",
        "identity",
        "generated",
      ]
    ) ok((used[feature] ?? 0) > 0, `no schema used ${feature}: ${JSON.stringify(used)}`);
  },
});

Deno.test({
  name: "random postgres@18 schemas run on PGlite and read back the same",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dialect = parseDialect("postgres@18") as Dialect;
    const db = await pgliteDatabase();
    try {
      for (let n = 1; n <= 8; n++) await checkRoundTrip(db, dialect, n);
    } finally {
      await db.close();
    }
  },
});

Deno.test("random schemas are reproducible from the seed", () => {
  const pg11 = parseDialect("yugabyte@2.20") as Dialect;
  deepStrictEqual(schemaFor(9, pg11, 6), schemaFor(9, pg11, 6));
});

/** Every node of a parse tree, with its kind. */
function* nodes(tree: unknown, kind = ""): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(tree)) { for (const t of tree) yield* nodes(t, kind); }
  else if (tree && typeof tree === "object") {
    yield [kind, tree as Record<string, unknown>];
    for (const [k, v] of Object.entries(tree)) yield* nodes(v, /^[A-Z]/.test(k) ? k : kind);
  }
}

/** The schema without YugabyteDB's own clauses, which PostgreSQL's parser does not read. */
function withoutYugabyteClauses(schema: Schema): Schema {
  return {
    ...schema,
    tables: schema.tables.map(({ sharding: _, ...t }) => ({
      ...t,
      ...(t.indexes ? { indexes: t.indexes.map(({ hashKeys: _, ...x }) => x) } : {}),
    })),
  };
}

const YB_GATED_METHODS = ["gist", "spgist", "brin", "gin", "hash"];

Deno.test("YugabyteDB schemas never hold a gated feature, checked on the model and on PostgreSQL's parse tree", async () => {
  const { loadParser, parseStatement } = await import("../core/exec/parser.ts");
  await loadParser();
  for (const name of ["yugabyte@2.20", "yugabyte@2025.1"]) {
    const dialect = parseDialect(name) as Dialect;
    const pg11 = dialect.postgresBase < 12;
    let indexes = 0, sharded = 0, split = 0;
    for (let n = 1; n <= 40; n++) {
      const schema = schemaFor(n, dialect, 6);
      const where = `${name} schema ${n}`;
      // The model: every table is sharded the YugabyteDB way; no gated index method or type.
      for (const t of schema.tables) {
        ok(t.sharding, `${where}: ${t.name} has no sharding`);
        if (t.sharding.hashColumns > 0) sharded++;
        if (t.sharding.splitInto) split++;
        if (pg11) ok(!t.uniqueNullsNotDistinct, `${where}: NULLS NOT DISTINCT on a PG 11 base`);
        for (const x of t.indexes ?? []) {
          ok(!YB_GATED_METHODS.includes(x.method ?? ""), `${where}: ${x.method}`);
        }
        for (const fk of t.foreignKeys ?? []) {
          const parent = schema.tables.find((p) => p.name === fk.references.table)!;
          if (pg11) ok(!parent.partitioning, `${where}: foreign key to a partitioned table on a PG 11 base`);
        }
        for (const c of t.columns) {
          if (pg11) ok(!/multirange/.test(c.type), `${where}: multirange on a PG 11 base`);
        }
      }
      // The SQL: PostgreSQL's parser reads every statement once YugabyteDB's clauses are left out.
      for (const sql of [...setupStatements(withoutYugabyteClauses(schema))]) {
        const parsed = parseStatement(sql);
        if ("error" in parsed) throw new Error(`${where}: ${parsed.error}: ${sql}`);
        for (const [kind, node] of nodes(parsed.tree)) {
          if (kind === "IndexStmt" && typeof node.accessMethod === "string") {
            indexes++;
            ok(!YB_GATED_METHODS.includes(node.accessMethod), `${where}: ${sql}`);
          }
          if (kind === "Constraint") {
            ok(node.contype !== "CONSTR_EXCLUSION", `${where}: ${sql}`);
            if (pg11) {
              ok(node.contype !== "CONSTR_GENERATED", `${where} (PG 11 base): ${sql}`);
              ok(node.nulls_not_distinct !== true, `${where} (PG 11 base): ${sql}`);
            }
          }
          if (kind === "CreateFunctionStmt" && pg11) {
            ok(!("sql_body" in node), `${where} (PG 11 base): ${sql}`);
          }
          ok(kind !== "MergeStmt", `${where}: ${sql}`);
          // PARTITION OF names its parent in inhRelations too; only INHERITS lacks a bound.
          if (kind === "CreateStmt") ok(!("inhRelations" in node) || "partbound" in node, `${where}: ${sql}`);
        }
      }
      // The SQL YugabyteDB gets carries its clauses.
      const ddl = createSchemaStatements(schema);
      for (const t of schema.tables.filter((t) => t.sharding?.splitInto)) {
        ok(ddl.some((s) => s.includes(`SPLIT INTO ${t.sharding!.splitInto} TABLETS`)), where);
      }
    }
    ok(indexes > 50, `${name}: only ${indexes} indexes were checked`);
    ok(sharded > 50 && split > 5, `${name}: ${sharded} hash-sharded tables, ${split} presplit`);
  }
});

Deno.test("every dialect's random schemas use only the features that dialect has", async () => {
  const { DIALECT_NAMES } = await import("../core/dialect/dialects.ts");
  const { featuresUsed } = await import("../core/schema/features.ts");
  const seen = new Set<string>();
  for (const name of DIALECT_NAMES) {
    const dialect = parseDialect(name) as Dialect;
    for (let n = 1; n <= 30; n++) {
      for (const f of featuresUsed(schemaFor(n, dialect, 6))) {
        ok(dialect.features.has(f), `${name} schema ${n} uses ${f}`);
        seen.add(f);
      }
    }
  }
  // The gates are exercised: PostgreSQL 15+ features and YugabyteDB's own show up where allowed.
  for (
    const f of [
      "nulls_not_distinct",
      "multirange",
      "sql_function_body",
      "yb_hash_sharding",
      "yb_split_tablets",
    ]
  ) {
    ok(seen.has(f), `no dialect's schemas used ${f}`);
  }
});
