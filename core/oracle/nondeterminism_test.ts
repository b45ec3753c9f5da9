import { deepStrictEqual, ok } from "node:assert/strict";
import { loadParser } from "../exec/parser.ts";
import { nondeterminism } from "./nondeterminism.ts";
import { orderIsTotal } from "./ordering.ts";
import { kindOf, statementOf } from "./tree.ts";

const keys = new Map([["t", [["id"]]]]);
const why = (sql: string) =>
  nondeterminism(statementOf(sql)!, { uniqueKeys: keys, volatile: new Set(["mystery"]) });

Deno.test("nondeterminism: clocks, volatile functions, unordered LIMIT and order-sensitive aggregates", async () => {
  await loadParser();
  for (
    const sql of [
      "SELECT now()",
      "SELECT CURRENT_TIMESTAMP",
      "SELECT random() FROM t",
      "SELECT mystery(a) FROM t",
      "SELECT a FROM t LIMIT 3",
      "SELECT a, b FROM t ORDER BY a LIMIT 3",
      "SELECT string_agg(a, ',') FROM t",
      "SELECT row_number() OVER () FROM t",
      "SELECT ctid FROM t",
      "SELECT * FROM t TABLESAMPLE SYSTEM (10)",
      "SELECT x FROM (SELECT a AS x FROM t OFFSET 2) AS s ORDER BY 1",
      "UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t LIMIT 1)",
    ]
  ) ok(why(sql), sql);
  for (
    const sql of [
      "SELECT a FROM t ORDER BY a LIMIT 3",
      "SELECT id, b FROM t ORDER BY id LIMIT 3",
      "SELECT k, count(*) FROM t GROUP BY k ORDER BY k LIMIT 2",
      "SELECT string_agg(a, ',' ORDER BY a) FROM t",
      "SELECT a, b FROM t ORDER BY 2, 1 LIMIT 1",
      "UPDATE t SET a = 1 WHERE id > 3",
    ]
  ) deepStrictEqual(why(sql), undefined, sql);
});

Deno.test("ordering: total only when the sort keys cover the output, the groups or a unique key", async () => {
  await loadParser();
  const total = (sql: string) => orderIsTotal(kindOf(statementOf(sql))![1], keys);
  ok(total("SELECT a, b FROM t ORDER BY b, a"));
  ok(total("SELECT a AS x FROM t ORDER BY x"));
  ok(total("SELECT t.id, t.b FROM t AS t ORDER BY t.id"));
  ok(!total("SELECT * FROM t ORDER BY a"));
  ok(!total("SELECT t.id, u.v FROM t JOIN u ON true ORDER BY t.id"), "a join repeats the key");
});
