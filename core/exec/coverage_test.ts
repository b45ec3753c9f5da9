import { deepStrictEqual } from "node:assert/strict";
import { Coverage } from "./coverage.ts";

Deno.test("one statement: every node kind, keyword and function, counted by occurrence", async () => {
  const c = await Coverage.create();
  deepStrictEqual(c.add("select lower(a.name), count(*) from t as a where a.id > 1 and a.id < 9;"), true);
  deepStrictEqual(c.report(), {
    statements: 1,
    parseErrors: 0,
    nodeKinds: {
      String: 10,
      ColumnRef: 3,
      A_Const: 2,
      A_Expr: 2,
      FuncCall: 2,
      ResTarget: 2,
      BoolExpr: 1,
      RangeVar: 1,
      SelectStmt: 1,
    },
    // Upper-cased; "name" is an unreserved keyword the scanner reports even as a column name.
    keywords: { AS: 1, AND: 1, FROM: 1, NAME: 1, SELECT: 1, WHERE: 1 },
    functions: { count: 1, lower: 1 },
    operators: { "<": 1, ">": 1 },
  });
});

Deno.test("statements accumulate; parse errors and comment-only lines count apart", async () => {
  const c = await Coverage.create();
  c.add("SELECT 1;");
  deepStrictEqual(c.add("SELEC 1;"), false);
  deepStrictEqual(c.add("/* only a comment */"), true);
  c.add("INSERT INTO t (a) SELECT extract(year FROM now()) FROM u LEFT JOIN v ON u.id = v.id;");
  const r = c.report();
  deepStrictEqual([r.statements, r.parseErrors], [3, 1]);
  deepStrictEqual(r.nodeKinds.SelectStmt, 2);
  deepStrictEqual([r.nodeKinds.InsertStmt, r.nodeKinds.JoinExpr], [1, 1]);
  deepStrictEqual(r.keywords.SELECT, 2);
  // EXTRACT is SQL syntax for a catalog function; the tree names it qualified.
  deepStrictEqual(r.functions, { now: 1, "pg_catalog.extract": 1 });
});

Deno.test("maps are ordered most frequent first, ties by name", async () => {
  const c = await Coverage.create();
  c.add("SELECT b(), a(), a(), c();");
  deepStrictEqual(Object.keys(c.report().functions), ["a", "b", "c"]);
});
