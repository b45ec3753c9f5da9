import { deepStrictEqual, ok } from "node:assert/strict";
import pg15 from "../../configs/catalog/postgres@15.json" with { type: "json" };
import pglite from "../../configs/catalog/pglite@18.json" with { type: "json" };
import { withTempDatabase } from "../../tests/_database.ts";
import { pgliteTarget, postgresTarget, type Target } from "../exec/targets.ts";
import { type Callable, callSql, catalogModel, ENUM_COLUMN, ENUM_COLUMN_ARRAY } from "./callables.ts";
import { readCatalog } from "./read.ts";
import type { CatalogSnapshot } from "./snapshot.ts";

const ROOTS = [
  "int4",
  "int8",
  "numeric",
  "float8",
  "text",
  "bool",
  "date",
  "timestamp",
  "timestamptz",
  "interval",
];

/**
 * Every resolved call as the server's parser and analyzer see it: the calls
 * it refuses or whose result type is not the resolved one. The call sits in
 * a CASE arm the planner drops as never taken, so it is analyzed but never
 * run (pg_prepared_statements.result_types, the alternative, is PostgreSQL
 * 16+).
 */
async function misresolved(target: Target, snapshot: CatalogSnapshot): Promise<string[]> {
  const model = catalogModel(snapshot, ROOTS);
  // anyenum is resolved to an enum column's type: this one stands for it.
  deepStrictEqual(await target.run("CREATE TYPE resolved_mood AS ENUM ('sad', 'ok')"), { ok: true });
  const sql = (o: number) =>
    o === ENUM_COLUMN
      ? "resolved_mood"
      : o === ENUM_COLUMN_ARRAY
      ? "resolved_mood[]"
      : model.types.get(o)!.sql;
  const wrong: string[] = [];
  const check = async (c: Callable) => {
    const call = callSql(c, c.args.map((a) => `CAST(NULL AS ${sql(a)})`), model.keywords);
    const r = await target.query(`SELECT pg_typeof(CASE WHEN false THEN ${call} END)::text`);
    const got = r.ok ? r.rows[0]?.[0] : `${r.code} ${r.message}`;
    if (got !== sql(c.result)) wrong.push(`${call}: ${got}, resolved ${sql(c.result)}`);
  };
  for (const c of [...model.calls, ...model.aggregates]) await check(c);
  ok(model.calls.length > 3000, `${model.calls.length} calls`);
  const enumCalls = model.calls.filter((c) => c.args.includes(ENUM_COLUMN)).map((c) => c.name);
  ok(
    enumCalls.includes("enum_first") && enumCalls.includes("enum_range") && enumCalls.includes("<"),
    `${enumCalls}`,
  );
  return wrong;
}

Deno.test({
  name: "PostgreSQL: the live catalog is the stored snapshot, and every resolved call has its resolved type",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const target = postgresTarget(url);
      try {
        const live = await readCatalog(target);
        const stored = pg15 as CatalogSnapshot;
        deepStrictEqual(
          [
            live.versionNumber >= 150000 && live.versionNumber < 160000,
            live.functions.length,
            live.operators.length,
          ],
          [true, stored.functions.length, stored.operators.length],
        );
        deepStrictEqual(await misresolved(target, { ...live, rejected: stored.rejected ?? [] }), []);
      } finally {
        await target.close();
      }
    });
  },
});

Deno.test({
  name: "PGlite: the live catalog is the stored snapshot, and every resolved call has its resolved type",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const target = await pgliteTarget();
    try {
      const live = await readCatalog(target);
      const stored = pglite as CatalogSnapshot;
      deepStrictEqual([live.server, live.functions.length], [stored.server, stored.functions.length]);
      deepStrictEqual(await misresolved(target, { ...live, rejected: stored.rejected ?? [] }), []);
    } finally {
      await target.close();
    }
  },
});
