import { deepStrictEqual, ok } from "node:assert/strict";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { loadParser, parseStatement } from "../core/exec/parser.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { opensTransaction } from "../core/exec/run.ts";
import { isGeneratorBug } from "./validity.ts";
import { type CatalogDatabase, withCatalogDatabase } from "./_catalog_database.ts";

const COUNT = Number(Deno.env.get("QUARRY_CATALOGUE_COUNT") ?? 300);
const schema = schemaFromJson(defaultSchema);

/** Each grammar in its own SQL schema (so DDL grammars touch only theirs): no parser rejects, no generator bugs. */
async function checkCatalogue(db: CatalogDatabase): Promise<void> {
  await loadParser();
  const problems: string[] = [];
  for (const [name, { grammar }] of BUILTIN_GRAMMARS) {
    ok(grammar.description.length > 20, `${name} has no description for 'grammars show'`);
    for (const s of [`CREATE SCHEMA g_${name}`, `SET search_path TO g_${name}`, ...setupStatements(schema)]) {
      deepStrictEqual(await db.run(s), { ok: true }, `${db.name} ${name}: ${s}`);
    }
    const statements = new LocalGenerator(compile(grammar, schema), parseSeed("7") as Seed).statements(
      0n,
      COUNT,
    );
    let succeeded = 0;
    for (const sql of statements) {
      const parsed = parseStatement(sql);
      if ("error" in parsed) problems.push(`${name}: parser: ${parsed.error}: ${sql}`);
      const r = await db.run(sql);
      if (r.ok) succeeded++;
      else {
        if (isGeneratorBug(r.code)) problems.push(`${name} on ${db.name}: ${r.code} ${r.message}: ${sql}`);
        if (opensTransaction(sql)) await db.run("ROLLBACK");
      }
    }
    ok(succeeded > COUNT / 2, `${name} on ${db.name}: only ${succeeded} of ${COUNT} statements succeeded`);
  }
  deepStrictEqual(problems.slice(0, 5), []);
}

Deno.test({
  name: `every catalogue grammar: ${COUNT} statements parse and run on PostgreSQL without generator bugs`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PostgreSQL", checkCatalogue);
  },
});

Deno.test({
  name: `every catalogue grammar: ${COUNT} statements run on PGlite without generator bugs`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PGlite", checkCatalogue);
  },
});
