/**
 * Every type, everywhere: a schema of arrays of enums, domains and
 * composites, domains with pattern CHECKs, composites holding domains and
 * other composites, and domains over arrays and composites
 * (`fixtures/nested_types.json`). On PostgreSQL and on PGlite its DDL runs,
 * introspection reads back the same model, and `dml_unique` traffic over the
 * introspected model (seed rows first) raises no generator-bug error.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import fixture from "./fixtures/nested_types.json" with { type: "json" };
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { introspect } from "../core/schema/introspect.ts";
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { opensTransaction } from "../core/exec/run.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { withTempDatabase } from "./_database.ts";
import { type CatalogDatabase, postgresDatabase, withCatalogDatabase } from "./_catalog_database.ts";

/** Generator bugs for this check: class 42, 0A000, and a literal the type refuses (22P02). */
const isBug = (code: string) => code.startsWith("42") || code === "0A000" || code === "22P02";

const COUNT = 400;

async function roundTrip(db: CatalogDatabase): Promise<void> {
  const model = schemaFromJson(fixture);
  for (const s of setupStatements(model)) deepStrictEqual(await db.run(s), { ok: true }, `${db.name}: ${s}`);
  const read = await introspect(db.query, "public");
  deepStrictEqual(read.types, model.types, `${db.name}: types read back`);
  deepStrictEqual(
    read.tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type, c.nullable ?? true])]),
    model.tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type, c.nullable ?? true])]),
    `${db.name}: columns read back`,
  );
  // Traffic over the introspected model, as `generate --schema` of `introspect`'s output sends it.
  const schema = schemaFromJson(JSON.parse(JSON.stringify(read)));
  const bugs: string[] = [];
  let ran = 0;
  const codes: Record<string, number> = {};
  for (const name of ["dml_unique", "postgresql15_types"]) {
    const program = compile(BUILTIN_GRAMMARS.get(name)!.grammar, schema);
    for (const sql of new LocalGenerator(program, parseSeed("3") as Seed).statements(0n, COUNT)) {
      const r = await db.run(sql);
      if (r.ok) ran++;
      else {
        codes[r.code] = (codes[r.code] ?? 0) + 1;
        if (isBug(r.code)) bugs.push(`${name} ${r.code} ${r.message}: ${sql.slice(0, 300)}`);
        if (opensTransaction(sql)) await db.run("ROLLBACK");
      }
    }
  }
  deepStrictEqual(bugs.slice(0, 3), [], `${db.name}: generator bugs`);
  ok(
    ran >= 0.9 * 2 * COUNT,
    `${db.name}: only ${ran} of ${2 * COUNT} statements succeeded: ${JSON.stringify(codes)}`,
  );
}

Deno.test({
  name: "nested types: DDL, introspection and traffic on PostgreSQL",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PostgreSQL", roundTrip);
  },
});

Deno.test({
  name: "nested types: DDL, introspection and traffic on PGlite",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PGlite", roundTrip);
  },
});

Deno.test({
  name: "introspection orders types so each follows the types it names, whatever order they were made in",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const db = postgresDatabase(url);
      try {
        for (
          const s of [
            "CREATE TYPE box AS (n integer)",
            "CREATE TYPE late AS ENUM ('x', 'y')",
            "CREATE DOMAIN lates AS late[]",
            "ALTER TYPE box ADD ATTRIBUTE tags lates",
            "CREATE TABLE t (id bigint PRIMARY KEY, b box, bs box[])",
          ]
        ) deepStrictEqual(await db.run(s), { ok: true }, s);
        const read = await introspect(db.query, "public");
        deepStrictEqual(read.types?.map((t) => t.name), ["late", "lates", "box"]);
        // The model loads: each type names only those before it.
        schemaFromJson(JSON.parse(JSON.stringify(read)));
      } finally {
        await db.close();
      }
    });
  },
});
