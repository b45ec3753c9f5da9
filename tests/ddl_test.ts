import { deepStrictEqual, ok } from "node:assert/strict";
import postgres from "postgres";
import dmlUnique from "../grammars/dml_unique.ts";
import { compile } from "../core/compile/compile.ts";
import { type Dialect, parseDialect } from "../core/dialect/dialects.ts";
import { introspect } from "../core/schema/introspect.ts";
import { randomSchema } from "../core/schema/random.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { isGeneratorBug } from "./validity.ts";
import { withTempDatabase } from "./_database.ts";
import { schemaShape } from "./_schema_shape.ts";

const SCHEMAS = Number(Deno.env.get("QUARRY_DDL_SCHEMAS") ?? 24);

Deno.test({
  name: `${SCHEMAS} random postgres@15 schemas run, read back the same, and take generated traffic`,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dialect = parseDialect("postgres@15") as Dialect;
    for (let n = 1; n <= SCHEMAS; n++) {
      const complexity = (["low", "medium", "high"] as const)[n % 3]!;
      const { schema, extra } = randomSchema({
        tables: 2 + (n % 5),
        seed: parseSeed(String(n)) as Seed,
        dialect,
        complexity,
      });
      await withTempDatabase(async (url) => {
        const pg = postgresTarget(url);
        try {
          for (const s of [...setupStatements(schema), ...extra]) {
            deepStrictEqual(await pg.run(s), { ok: true }, `schema ${n}: ${s}`);
          }
          const db = postgres(url, { max: 1, onnotice: () => {} });
          const read = await introspect((sql, params) => db.unsafe(sql, params as never[]));
          await db.end();
          deepStrictEqual(schemaShape(read), schemaShape(schema), `schema ${n}`);
          const statements = new LocalGenerator(compile(dmlUnique, schema), parseSeed(String(n)) as Seed)
            .statements(0n, 300);
          const outcomes = await pg.runAll(statements);
          const bugs = outcomes.flatMap((o, i) =>
            !o.ok && isGeneratorBug(o.code) ? [`${o.code} ${o.message}: ${statements[i]}`] : []
          );
          deepStrictEqual(bugs.slice(0, 3), [], `schema ${n}`);
          ok(outcomes.some((o) => o.ok));
        } finally {
          await pg.close();
        }
      });
    }
  },
});

Deno.test("random schemas are reproducible from the seed and respect the dialect's gates", () => {
  const pg11 = parseDialect("yugabyte@2.20") as Dialect;
  const a = randomSchema({ tables: 6, seed: parseSeed("9") as Seed, dialect: pg11, complexity: "high" });
  const b = randomSchema({ tables: 6, seed: parseSeed("9") as Seed, dialect: pg11, complexity: "high" });
  deepStrictEqual(a, b);
  for (let n = 1; n <= 30; n++) {
    const { schema, extra } = randomSchema({
      tables: 6,
      seed: parseSeed(String(n)) as Seed,
      dialect: pg11,
      complexity: "high",
    });
    ok(
      schema.tables.every((t) => t.columns.every((c) => c.generated === undefined)),
      "generated column on a PG11 base",
    );
    ok(extra.every((s) => !/USING (gist|brin|gin)/.test(s)), "index method YugabyteDB lacks");
  }
});

/** Every node of a parse tree, with its kind. */
function* nodes(tree: unknown, kind = ""): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(tree)) { for (const t of tree) yield* nodes(t, kind); }
  else if (tree && typeof tree === "object") {
    yield [kind, tree as Record<string, unknown>];
    for (const [k, v] of Object.entries(tree)) yield* nodes(v, /^[A-Z]/.test(k) ? k : kind);
  }
}

Deno.test("YugabyteDB DDL never holds a gated feature, checked on PostgreSQL's parse tree", async () => {
  const { loadParser, parseStatement } = await import("../core/exec/parser.ts");
  await loadParser();
  for (const name of ["yugabyte@2.20", "yugabyte@2025.1"]) {
    const dialect = parseDialect(name) as Dialect;
    let indexes = 0;
    for (let n = 1; n <= 40; n++) {
      const { schema, extra } = randomSchema({
        tables: 6,
        seed: parseSeed(String(n)) as Seed,
        dialect,
        complexity: "high",
      });
      for (const sql of [...setupStatements(schema), ...extra]) {
        const parsed = parseStatement(sql);
        if ("error" in parsed) throw new Error(`${name}: ${parsed.error}: ${sql}`);
        for (const [kind, node] of nodes(parsed.tree)) {
          if (kind === "IndexStmt" && typeof node.accessMethod === "string") {
            indexes++;
            ok(!["gist", "spgist", "brin", "gin"].includes(node.accessMethod), `${name}: ${sql}`);
          }
          if (kind === "Constraint") {
            ok(node.contype !== "CONSTR_EXCLUSION", `${name}: ${sql}`);
            if (dialect.postgresBase < 12) {
              ok(node.contype !== "CONSTR_GENERATED", `${name} (PG 11 base): ${sql}`);
            }
          }
          ok(kind !== "MergeStmt", `${name}: ${sql}`);
          if (kind === "CreateStmt") ok(!("inhRelations" in node), `${name}: ${sql}`);
        }
      }
    }
    ok(indexes > 50, `${name}: only ${indexes} indexes were checked`);
  }
});
