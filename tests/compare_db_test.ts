/**
 * `quarry compare` against real databases: a planted wrong operator in one
 * of them is found and reduced to a short reproducer, an allowlist keeps a
 * rerun to new findings, and two equal databases agree.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import postgres from "postgres";
import { withTempDatabase } from "./_database.ts";
import { loadParser } from "../core/exec/parser.ts";
import { pgliteTypedSession, postgresTypedSession, type TypedSession } from "../core/exec/typed_query.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed } from "../core/seed.ts";
import type { Seed } from "../core/seed.ts";
import { compareRun, type CompareSummary } from "../core/oracle/compare.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };

const schema = schemaFromJson(defaultSchema);

/**
 * In the database at `url`: `bigint > integer` resolves, through search_path,
 * to a user-defined operator that is false where the left side is one more
 * than the right (and likewise for integer and numeric).
 */
const PLANT = [
  "CREATE SCHEMA planted",
  ...[["bigint", "integer"], ["integer", "integer"], ["numeric", "numeric"]].flatMap(([l, r]) => [
    `CREATE FUNCTION planted.gt(${l}, ${r}) RETURNS boolean LANGUAGE sql IMMUTABLE AS ` +
    "'SELECT $1 OPERATOR(pg_catalog.>) $2 AND $1 OPERATOR(pg_catalog.<>) $2 + 1'",
    `CREATE OPERATOR planted.> (LEFTARG = ${l}, RIGHTARG = ${r}, FUNCTION = planted.gt)`,
  ]),
];

async function plant(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const s of PLANT) await sql.unsafe(s);
    const db = new URL(url).pathname.slice(1);
    await sql.unsafe(`ALTER DATABASE ${db} SET search_path = public, planted, pg_catalog`);
  } finally {
    await sql.end();
  }
}

async function setUp(session: TypedSession): Promise<void> {
  for (const s of setupStatements(schema)) {
    const r = await session.result(s);
    ok(r.ok, `setup: ${JSON.stringify(r)}`);
  }
}

function run(
  a: TypedSession,
  b: TypedSession,
  count: bigint,
  options: { allow?: Set<string>; maxFindings?: number } = {},
): Promise<CompareSummary> {
  const generator = new LocalGenerator(
    compile(BUILTIN_GRAMMARS.get("dml_unique")!.grammar, schema),
    parseSeed("1") as Seed,
  );
  return compareRun({
    a,
    b,
    statements: (first, n) => generator.statements(first, n),
    first: 0n,
    count,
    schema,
    seed: "1",
    reduceTries: 80,
    ...options,
  });
}

Deno.test({
  name: "compare: a planted operator in B is found, reduced under 200 bytes, and allowlisted on a rerun",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await loadParser();
    await withTempDatabase((first) =>
      withTempDatabase(async (url) => {
        await plant(url);
        const a = postgresTypedSession(new URL(first));
        const b = postgresTypedSession(new URL(url));
        try {
          await setUp(a);
          await setUp(b);
          const found = await run(a, b, 300n, { maxFindings: 2 });
          ok(found.findings.length > 0, `no finding: ${JSON.stringify(found)}`);
          const f = found.findings[0]!;
          ok(new TextEncoder().encode(f.reduced).length < 200, `reduced: ${f.reduced}`);
          ok(/>/.test(f.reduced), `the reduced statement keeps the planted operator: ${f.reduced}`);
          // The reduced statement shows the difference on its own: A and B count different rows.
          const [x, y] = await Promise.all([
            a.result(`BEGIN; ${f.reduced}`),
            b.result(`BEGIN; ${f.reduced}`),
          ]);
          await Promise.all([a.result("ROLLBACK"), b.result("ROLLBACK")]);
          ok(x.ok && y.ok, "the reduced statement runs on both");
          ok(
            x.rows.length !== y.rows.length || x.affected !== y.affected ||
              JSON.stringify(x.rows) !== JSON.stringify(y.rows),
          );
          // Every statement agreed or was rolled back on both: the tables are still equal.
          deepStrictEqual(found.stopped, undefined);

          const again = await run(a, b, 300n, {
            allow: new Set(found.findings.map((g) => g.key)),
            maxFindings: 1,
          });
          ok(again.allowed > 0, "the rerun meets the accepted findings");
          ok(again.findings.every((g) => !found.findings.some((h) => h.key === g.key)), "only new findings");
        } finally {
          await a.close();
          await b.close();
        }
      })
    );
  },
});

Deno.test("compare: two PGlite databases agree on every compared statement", async () => {
  await loadParser();
  const a = await pgliteTypedSession();
  const b = await pgliteTypedSession();
  try {
    await setUp(a);
    await setUp(b);
    const s = await run(a, b, 100n);
    deepStrictEqual(s.findings, []);
    ok(s.compared > 60 && s.agreed === s.compared, JSON.stringify(s));
    ok(s.nondeterministic > 0, "LIMIT without a total ORDER BY is seen and not compared");
  } finally {
    await a.close();
    await b.close();
  }
});
