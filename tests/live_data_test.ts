/**
 * Live facts (core/live/): introspection of a populated database records
 * where keys stop and which parent keys and constrained values exist, and
 * statements generated from that schema fit the rows: no generator bug, and
 * none of the 23503/23514/23505 that the same schema without facts gets.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import postgres from "postgres";
import dmlUnique from "../grammars/dml_unique.ts";
import { compile } from "../core/compile/compile.ts";
import { introspect } from "../core/schema/introspect.ts";
import { parseSchema } from "../core/schema/parse.ts";
import { readLiveFacts } from "../core/live/read.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { withTempDatabase } from "./_database.ts";
import { setupStatements } from "../core/setup/setup.ts";

const SETUP = `
CREATE TABLE "Parent" (id serial PRIMARY KEY, code uuid NOT NULL UNIQUE DEFAULT gen_random_uuid());
CREATE TABLE child (
  n int NOT NULL,
  parent int NOT NULL REFERENCES "Parent",
  "order" smallint NOT NULL CHECK ("order" BETWEEN 10 AND 12),
  kind text NOT NULL,
  PRIMARY KEY (n, kind)
) PARTITION BY LIST (kind);
CREATE TABLE child_a PARTITION OF child FOR VALUES IN ('a', 'b');
CREATE TABLE child_c PARTITION OF child FOR VALUES IN ('c');
INSERT INTO "Parent" SELECT FROM generate_series(1, 50);
INSERT INTO child SELECT g, 1 + g % 50, 10 + g % 3, (ARRAY['a', 'b', 'c'])[1 + g % 3] FROM generate_series(1, 300) g;
`;

const seed = parseSeed("7") as Seed;

/** The first `count` INSERTs dml_unique makes for `schemaJson`, each run on `url`: SQLSTATEs of those that failed. */
async function insertFailures(url: string, schemaJson: string, count: number): Promise<string[]> {
  const target = postgresTarget(url);
  const failures: string[] = [];
  try {
    const inserts = [
      ...new LocalGenerator(compile(dmlUnique, parseSchema(schemaJson)), seed).statements(0n, 400),
    ]
      .filter((s) => s.startsWith("INSERT")).slice(0, count);
    ok(inserts.length === count, `only ${inserts.length} INSERTs`);
    for (const sql of inserts) {
      // Each in a transaction rolled back, so every INSERT meets the rows introspection saw.
      await target.run("BEGIN");
      const r = await target.run(sql);
      if (!r.ok) failures.push(r.code);
      await target.run("ROLLBACK");
    }
  } finally {
    await target.close();
  }
  return failures;
}

Deno.test({
  name:
    "live facts: keys above the maximum or DEFAULT, existing parents, values inside CHECKs and partitions",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withTempDatabase(async (url) => {
      const db = postgres(url, { max: 1, onnotice: () => {} });
      let live: string, bare: string;
      try {
        await db.unsafe(SETUP);
        const query = (sql: string, params: unknown[]) => db.unsafe(sql, params as never[]);
        const schema = await introspect(query);
        bare = JSON.stringify(schema);
        await readLiveFacts(schema, query);
        live = JSON.stringify(schema);
        const facts = Object.fromEntries(schema.tables.map((t) => [t.name, t.live!]));
        deepStrictEqual([facts.Parent!.rows, facts.child!.rows, facts.child!.max], [50, 300, { n: "300" }]);
        // The serial key is left to its DEFAULT; its maximum tells the rows the traffic makes.
        deepStrictEqual(facts.Parent!.max, { id: "50" });
        const parents = new Set(
          (await db.unsafe(`SELECT format('%L::%s', id, pg_typeof(id)) AS v FROM "Parent"`))
            .map((r) => r.v),
        );
        ok(
          facts.child!.values!.parent!.length > 0 &&
            facts.child!.values!.parent!.every((v) => parents.has(v)),
        );
        deepStrictEqual(
          new Set(facts.child!.values!.order),
          new Set(["'10'::smallint", "'11'::smallint", "'12'::smallint"]),
        );
        deepStrictEqual(new Set(facts.child!.values!.kind), new Set(["'a'::text", "'b'::text", "'c'::text"]));
      } finally {
        await db.end();
      }
      deepStrictEqual(await insertFailures(url, live, 40), []);
      // Seed rows are for a fresh database: the facts change none.
      deepStrictEqual(setupStatements(parseSchema(live)), setupStatements(parseSchema(bare)));
      // Without the facts, the same schema's INSERTs miss parents, partitions and the CHECK.
      const without = await insertFailures(url, bare, 40);
      ok(without.filter((c) => c === "23503" || c === "23514").length > 10, without.join(" "));
      // Every kind of statement, committed: DELETEs and UPDATEs reach only rows the traffic
      // inserted, so every row introspection saw, and the parent keys sampled from it, stay.
      const statements = [
        ...new LocalGenerator(compile(dmlUnique, parseSchema(live)), seed).statements(0n, 400),
      ];
      const kinds = new Set(statements.map((s) => s.split(" ")[0]));
      ok(kinds.has("DELETE") && kinds.has("UPDATE") && kinds.has("INSERT"), [...kinds].join());
      const target = postgresTarget(url);
      try {
        const failed: string[] = [];
        for (const sql of statements) {
          const r = await target.run(sql);
          if (!r.ok) failed.push(`${r.code} ${sql}`);
        }
        deepStrictEqual(failed, []);
        const kept = await target.query(
          `SELECT (SELECT count(*) FROM "Parent" WHERE id <= 50)::int, (SELECT count(*) FROM child WHERE n <= 300)::int`,
        );
        ok(kept.ok);
        deepStrictEqual(kept.rows[0]!.map(Number), [50, 300]);
      } finally {
        await target.close();
      }
    }),
});
