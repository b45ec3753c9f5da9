import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { loadParser } from "../exec/parser.ts";
import { reduceStatement } from "./reduce.ts";
import { AllowlistError, parseAllowlist } from "./allowlist.ts";

Deno.test("reduce: cuts clauses, items and constants while the test holds", async () => {
  await loadParser();
  const sql = "SELECT 41 AS q, a.x, min(a.y) FROM t AS a JOIN u AS b ON a.id = b.id " +
    "WHERE a.d = '1978-09-23' AND (a.id > 5 OR a.c > 'ID') GROUP BY a.x HAVING count(*) > 2 ORDER BY 2 LIMIT 10";
  let tests = 0;
  const r = await reduceStatement(sql, (s) => {
    tests++;
    return Promise.resolve(/id > 5/.test(s) && / t /.test(s));
  });
  ok(r.sql.length < 40, r.sql);
  ok(/id > 5/.test(r.sql) && / t /.test(r.sql), r.sql);
  deepStrictEqual(r.tries, tests);
});

Deno.test("allowlist: keys and comments; anything else names its line", () => {
  deepStrictEqual(
    [...parseAllowlist("# accepted\nresult:8a1f03c2d4e5b6a7  # a version change\n\ntlp:0011223344556677\n")],
    ["result:8a1f03c2d4e5b6a7", "tlp:0011223344556677"],
  );
  throws(
    () => parseAllowlist("result:8a1f03c2d4e5b6a7\nresults:zz\n"),
    (e) => e instanceof AllowlistError && e.line === 2,
  );
});
