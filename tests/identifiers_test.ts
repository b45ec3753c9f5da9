import { deepStrictEqual, ok } from "node:assert/strict";
import dmlUnique from "../grammars/dml_unique.ts";
import { compile } from "../core/compile/compile.ts";
import { introspect } from "../core/schema/introspect.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { isGeneratorBug } from "./validity.ts";
import { withTempDatabase } from "./_database.ts";
import postgres from "postgres";
import { schemaShape, shapeDifference } from "./_schema_shape.ts";

// Names PostgreSQL only accepts quoted: spaces, quotes, capitals, Unicode, reserved words.
const odd = schemaFromJson({
  name: "odd",
  types: [
    { name: "Mood Kind", kind: "enum", labels: ["it's fine", "Größe", "select", "a b"] },
    { name: "check", kind: "domain", base: "integer", checks: ["VALUE BETWEEN 1 AND 9"], range: [1, 9] },
    {
      name: "Point Pair",
      kind: "composite",
      attributes: [{ name: "x y", type: "integer" }, { name: "from", type: "text" }],
    },
  ],
  tables: [
    {
      name: "Order Lines",
      columns: [
        { name: "select", type: "bigint", nullable: false },
        { name: 'say "hi"', type: "text", vocabulary: "word" },
        { name: "Größe", type: "numeric(8,2)", range: [0, 1000] },
        { name: "user", type: "date" },
        { name: "mood", type: "Mood Kind" },
        { name: "Level", type: "check" },
        { name: "pair", type: "Point Pair" },
        { name: "tags list", type: "text[]" },
      ],
      primaryKey: ["select"],
      indexes: [
        { name: 'idx "q"', keys: [{ expression: 'lower("say ""hi""")' }] },
        { name: "Größe idx", method: "hash", keys: ["Größe"], where: "\"user\" > '2020-01-01'::date" },
      ],
      checks: [{ expression: '"Größe" >= 0' }],
    },
    {
      name: "Ünïcode ✓",
      columns: [
        { name: "id", type: "bigint", nullable: false },
        { name: "Order Ref", type: "bigint", nullable: false },
        { name: "it's", type: "boolean" },
      ],
      primaryKey: ["id"],
      partitioning: {
        by: "hash",
        columns: ["id"],
        partitions: [
          { name: "Teil 1", bound: "FOR VALUES WITH (modulus 2, remainder 0)" },
          { name: "part's", bound: "FOR VALUES WITH (modulus 2, remainder 1)" },
        ],
      },
      foreignKeys: [{
        columns: ["Order Ref"],
        references: { table: "Order Lines", columns: ["select"] },
        onDelete: "cascade",
      }],
    },
  ],
  views: [{ name: "View Select", query: 'SELECT "select", "Größe" FROM "Order Lines"', materialized: true }],
  routines: [{
    name: "Fn Größe",
    kind: "function",
    language: "plpgsql",
    arguments: '"n m" integer',
    returns: "integer",
    body: 'BEGIN RETURN "n m" + 1; END',
  }],
});

Deno.test({
  name: "odd identifiers survive DDL, introspection and generated statements",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const pg = postgresTarget(url);
      try {
        for (const s of setupStatements(odd)) deepStrictEqual(await pg.run(s), { ok: true }, s);
        const db = postgres(url, { max: 1, onnotice: () => {} });
        const read = await introspect((sql, params) => db.unsafe(sql, params as never[]));
        await db.end();
        deepStrictEqual(shapeDifference(schemaShape(read), schemaShape(odd)), "");
        // Labels exactly; a domain's CHECK comes back as PostgreSQL prints it, bounds recovered.
        deepStrictEqual(read.types?.[0], odd.types?.[0]);
        deepStrictEqual(read.types?.[1], {
          name: "check",
          kind: "domain",
          base: "integer",
          checks: ["((VALUE >= 1) AND (VALUE <= 9))"],
          range: [1, 9],
        });
        const statements = new LocalGenerator(compile(dmlUnique, odd), parseSeed("5") as Seed).statements(
          0n,
          2000,
        );
        const outcomes = await pg.runAll(statements);
        const bugs = outcomes.flatMap((
          o,
          i,
        ) => (!o.ok && isGeneratorBug(o.code) ? [`${o.code} ${o.message}: ${statements[i]}`] : []));
        deepStrictEqual(bugs.slice(0, 3), []);
        ok(outcomes.filter((o) => o.ok).length > 1000);
      } finally {
        await pg.close();
      }
    });
  },
});
