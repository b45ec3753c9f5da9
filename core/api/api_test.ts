import { deepStrictEqual, ok } from "node:assert/strict";
import { generator } from "./generator.ts";
import { FEATURES, statementMetadata } from "./metadata.ts";
import { loadParser } from "../exec/parser.ts";
import { pgliteTarget } from "../exec/targets.ts";
import { setupStatements } from "../setup/setup.ts";
import { BUILTIN_GRAMMARS } from "../../grammars/mod.ts";

Deno.test("statementMetadata reads kind, tables and every feature from the parse tree", async () => {
  await loadParser();
  const cases: [string, string, string[], string[]][] = [
    [
      "WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT DISTINCT a.x, " +
      "row_number() OVER (ORDER BY a.x), CASE WHEN a.x > 1 THEN 1 END FROM s.t AS a LEFT JOIN u ON a.i = u.i " +
      "RIGHT JOIN v ON true FULL JOIN w ON true CROSS JOIN r JOIN LATERAL (SELECT 1) AS l ON true " +
      "WHERE a.y IN (SELECT 1) GROUP BY a.x HAVING count(*) > 0 ORDER BY 1 LIMIT 2 OFFSET 1 FOR UPDATE",
      "select",
      ["s.t", "u", "v", "w"],
      [
        "cte",
        "recursive_cte",
        "window",
        "subquery",
        "derived_table",
        "lateral",
        "inner_join",
        "left_join",
        "right_join",
        "full_join",
        "cross_join",
        "union",
        "where",
        "group_by",
        "having",
        "order_by",
        "limit",
        "offset",
        "distinct",
        "row_lock",
        "case",
      ],
    ],
    ["SELECT 1 INTERSECT SELECT 1 EXCEPT SELECT 2", "select", [], ["intersect", "except"]],
    ["SELECT * FROM t TABLESAMPLE SYSTEM (10)", "select", ["t"], ["tablesample"]],
    [
      "INSERT INTO t (a) VALUES (1), (DEFAULT) ON CONFLICT (a) DO UPDATE SET a = 2 RETURNING *",
      "insert",
      ["t"],
      ["on_conflict", "on_conflict_update", "returning", "default", "multi_row_values"],
    ],
    ["UPDATE t SET a = 1 FROM u WHERE t.i = u.i", "update", ["t", "u"], ["where"]],
    ["DELETE FROM t USING u WHERE t.i = u.i RETURNING t.a", "delete", ["t", "u"], ["returning", "where"]],
    ['CREATE TABLE "Mixed" (a int)', "create", ["Mixed"], []],
    ["BEGIN; UPDATE t SET a = 1; COMMIT", "transaction", ["t"], []],
    ["SELECT FROM FROM", "invalid", [], []],
  ];
  for (const [sql, kind, tables, features] of cases) {
    const m = statementMetadata(sql, 3);
    deepStrictEqual({ kind: m.kind, tables: m.tables, features: m.features, index: m.index }, {
      kind,
      tables,
      features,
      index: 3,
    }, sql);
  }
  // Every feature is reachable from some case above.
  const seen = new Set(cases.flatMap((c) => c[3]));
  deepStrictEqual(FEATURES.filter((f) => !seen.has(f)), ["on_conflict_nothing"]);
  deepStrictEqual(statementMetadata("INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", 0).features, [
    "on_conflict",
    "on_conflict_nothing",
  ]);
});

Deno.test("generator: each call's statement has what it asked for, runs on PGlite, and repeats for its seed", async () => {
  const g = await generator({ seed: 11, grammars: BUILTIN_GRAMMARS });
  const db = await pgliteTarget();
  try {
    for (const s of setupStatements(g.schema)) ok((await db.run(s)).ok, s);
    const made = [];
    for (let i = 0; i < 20; i++) {
      made.push(
        [g.select({ where: true, orderBy: true, joins: 2 }), ["where", "order_by", "inner_join"]] as const,
      );
      made.push([g.select({ where: false, joins: 1, joinType: "left" }), ["left_join"]] as const);
      made.push([g.insert({ onConflict: "update", returning: true }), ["on_conflict", "returning"]] as const);
      made.push([g.insert({ rows: 3 }), ["multi_row_values"]] as const);
      made.push([g.update({ where: true }), ["where"]] as const);
      made.push([g.delete({ where: true, returning: true }), ["returning", "where"]] as const);
    }
    for (const [s, wanted] of made) {
      for (const f of wanted) ok(s.features.includes(f), `${f} missing in: ${s.sql}`);
      ok(s.tables.length > 0, s.sql);
      const r = await db.run(s.sql);
      ok(r.ok || /^2[23]/.test(r.code), `${r.ok ? "" : `${r.code} ${r.message}`}: ${s.sql}`);
    }
    deepStrictEqual(made.map(([s]) => s.index), made.map((_, i) => i));
    deepStrictEqual(
      new Set(made.slice(0, 6).map(([s]) => s.kind)),
      new Set(["select", "insert", "update", "delete"]),
    );
    // The same seed repeats call for call; a grammar's statement i is `generate --at i`'s.
    const again = await generator({ seed: 11 });
    deepStrictEqual(again.select({ where: true, orderBy: true, joins: 2 }).sql, made[0]![0].sql);
    const batch = g.fromGrammar("dml_unique", 5);
    deepStrictEqual(batch.map((s) => s.index), [120, 121, 122, 123, 124]);
    const ddl = g.ddl({ tables: 2 });
    ok(ddl.some((s) => s.kind === "create") && ddl.at(-1)!.index === 124 + ddl.length);
    for (const s of ddl) ok((await db.run(s.sql)).ok, s.sql);
  } finally {
    await db.close();
  }
});
