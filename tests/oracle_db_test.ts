/**
 * `quarry oracle`'s TLP and NoREC on real databases: a planted wrong result
 * (an operator whose declared negator is not its negation, so the planner
 * rewrites NOT (x > y) wrongly) is found by TLP and reduced under 200 bytes,
 * and a clean run on PostgreSQL raises no false alarm.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import { loadParser } from "../core/exec/parser.ts";
import { pgliteTypedSession, postgresTypedSession, type TypedSession } from "../core/exec/typed_query.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { type OracleKind, oracleRun, tlpCheck } from "../core/oracle/metamorphic.ts";
import { uniqueKeysOf } from "../core/oracle/checksum.ts";
import oracleQueries from "../grammars/oracle_queries.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };

const schema = schemaFromJson(defaultSchema);

/** `>` on integers and bigints resolves to user operators whose negator `<=` is really `<`. */
const PLANT = [
  "CREATE SCHEMA planted",
  ...[["integer", "int4"], ["bigint", "int8"]].flatMap(([t, f]) => [
    `CREATE OPERATOR planted.<= (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${f}lt)`,
    `CREATE OPERATOR planted.> (LEFTARG = ${t}, RIGHTARG = ${t}, FUNCTION = ${f}gt, ` +
    "NEGATOR = OPERATOR(planted.<=))",
  ]),
  "CREATE OPERATOR planted.<= (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = int84lt)",
  "CREATE OPERATOR planted.> (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = int84gt, " +
  "NEGATOR = OPERATOR(planted.<=))",
  "SET search_path = public, planted, pg_catalog",
];

async function setUp(session: TypedSession, extra: readonly string[] = []): Promise<void> {
  for (const s of [...setupStatements(schema), ...extra]) {
    const r = await session.result(s);
    ok(r.ok, `${s}: ${JSON.stringify(r)}`);
  }
}

function run(session: TypedSession, kinds: OracleKind[], count: bigint, seed: string, maxFindings?: number) {
  const generator = new LocalGenerator(compile(oracleQueries, schema), parseSeed(seed) as Seed);
  return oracleRun({
    session,
    kinds,
    statements: (first, n) => generator.statements(first, n),
    first: 0n,
    count,
    seed,
    nondeterminism: { uniqueKeys: uniqueKeysOf(schema) },
    reduceTries: 120,
    ...(maxFindings === undefined ? {} : { maxFindings }),
  });
}

Deno.test("oracle: TLP finds an operator whose negator lies, and reduces it under 200 bytes", async () => {
  await loadParser();
  const session = await pgliteTypedSession();
  try {
    await setUp(session, PLANT);
    // The partitions of a hand-written query already disagree: the wrong is real.
    const direct = await tlpCheck(session, "SELECT t.id FROM orders AS t WHERE t.customer_id > 50");
    deepStrictEqual(direct.status, "mismatch");
    const s = await run(session, ["tlp"], 500n, "3", 1);
    ok(s.findings.length > 0, `no finding: ${JSON.stringify(s)}`);
    for (const f of s.findings) {
      ok(new TextEncoder().encode(f.reduced).length < 200, `reduced: ${f.reduced}`);
      deepStrictEqual((await tlpCheck(session, f.reduced)).status, "mismatch", f.reduced);
    }
  } finally {
    await session.close();
  }
});

Deno.test({
  name: "oracle: a clean TLP and NoREC run on PostgreSQL raises no alarm",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await loadParser();
    await withTempDatabase(async (url) => {
      const session = postgresTypedSession(new URL(url));
      try {
        await setUp(session);
        const s = await run(session, ["tlp", "norec"], 150n, "5");
        deepStrictEqual(s.findings, []);
        ok((s.checked.tlp ?? 0) > 100 && (s.checked.norec ?? 0) > 80, JSON.stringify(s));
      } finally {
        await session.close();
      }
    });
  },
});
