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

// Names PostgreSQL only accepts quoted: spaces, quotes, capitals, Unicode, reserved words.
const odd = schemaFromJson({
  name: "odd",
  types: [{ name: "Mood Kind", kind: "enum", labels: ["it's fine", "Größe", "select", "a b"] }],
  tables: [
    {
      name: "Order Lines",
      columns: [
        { name: "select", type: "bigint", nullable: false },
        { name: 'say "hi"', type: "text", vocabulary: "word" },
        { name: "Größe", type: "numeric(8,2)", range: [0, 1000] },
        { name: "user", type: "date" },
        { name: "mood", type: "Mood Kind" },
      ],
      primaryKey: ["select"],
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
      foreignKeys: [{
        columns: ["Order Ref"],
        references: { table: "Order Lines", columns: ["select"] },
        onDelete: "cascade",
      }],
    },
  ],
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
        deepStrictEqual(
          read.tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type])]).sort(),
          odd.tables.map((t) => [t.name, t.columns.map((c) => [c.name, c.type])]).sort(),
        );
        deepStrictEqual(read.types, odd.types);
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
