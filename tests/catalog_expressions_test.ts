import { deepStrictEqual, ok } from "node:assert/strict";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { choice, grammar, repeat, tableName, template, withTable } from "../core/dsl/grammar.ts";
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { Coverage } from "../core/exec/coverage.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import type { Schema } from "../core/schema/model.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { catalogExpressions, portableCatalog, scopeLeaves } from "../grammars/parts/catalog_expressions.ts";
import { isGeneratorBug } from "./validity.ts";
import { type CatalogDatabase, withCatalogDatabase } from "./_catalog_database.ts";

const COUNT = Number(Deno.env.get("QUARRY_CATALOG_EXPRESSIONS_COUNT") ?? 1000);
const hostile = schemaFromJson(
  JSON.parse(await Deno.readTextFile(new URL("./fixtures/hostile_schema.json", import.meta.url))),
);
const SCHEMAS = { default: schemaFromJson(defaultSchema), hostile } as const;

/** A grammar of nothing but the catalog part: typed expressions in SELECT lists, WHERE and aggregates. */
function catalogOnly() {
  const g = grammar("catalog_only", { start: "query", maxDepth: 7 });
  const c = catalogExpressions(portableCatalog(), {
    prefix: "t_c",
    leaves: scopeLeaves(["t"]),
    enumAliases: ["t"],
  });
  for (const [name, rule] of c.rules) g.rule(name, rule);
  g.rule(
    "query",
    withTable(
      "t",
      choice(
        [
          3,
          template("SELECT {x} FROM {t} AS t WHERE {b} LIMIT 5", {
            x: repeat(c.any, 1, 4, ", "),
            t: tableName("t"),
            b: c.e("bool")!,
          }),
        ],
        [1, template("SELECT {a} FROM {t} AS t", { a: repeat(c.aggregate, 1, 3, ", "), t: tableName("t") })],
      ),
    ),
  );
  return g;
}

async function runOn(db: CatalogDatabase, schema: Schema, statements: string[]) {
  for (const s of setupStatements(schema)) {
    const r = await db.run(s);
    // The hostile schema's seed rows break its own CHECKs and partitions (seed rows for every type are
    // issue 13's "every type" point); its tables are created, and the statements run on them empty.
    if (!(schema === hostile && s.startsWith("INSERT"))) deepStrictEqual(r, { ok: true }, s);
  }
  const bugs: string[] = [];
  const ran: string[] = [];
  for (const sql of statements) {
    const r = await db.run(sql);
    if (r.ok) ran.push(sql);
    else if (isGeneratorBug(r.code) || r.code.startsWith("XX")) bugs.push(`${r.code} ${r.message}: ${sql}`);
  }
  return { bugs, ran };
}

for (const target of ["PostgreSQL", "PGlite"] as const) {
  for (const [schemaName, schema] of Object.entries(SCHEMAS)) {
    Deno.test({
      name:
        `catalog part on ${target}, ${schemaName} schema: ${COUNT} statements, no generator-bug SQLSTATE, ` +
        "hundreds of functions that ran",
      sanitizeResources: false,
      sanitizeOps: false,
      async fn() {
        const list = new LocalGenerator(compile(catalogOnly(), schema), parseSeed("13") as Seed)
          .statements(0n, COUNT);
        await withCatalogDatabase(target, async (db) => {
          const { bugs, ran } = await runOn(db, schema, list);
          deepStrictEqual(bugs, []);
          ok(ran.length > COUNT / 2, `${ran.length} of ${COUNT} ran`);
          const coverage = await Coverage.create();
          for (const s of ran) coverage.add(s);
          const names = Object.keys(coverage.report().functions);
          ok(names.length > Math.min(COUNT / 3, 500), `${names.length} distinct functions that ran`);
          // The hostile schema has enum columns: anyenum calls bind them.
          if (schemaName === "hostile") ok(names.some((n) => n.startsWith("enum_")), names.join(" "));
        });
      },
    });
  }
}
