import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { numberParameters, parameterNames, scanParameters } from "./definition.ts";

Deno.test("parameters: :name outside strings, quoted names, comments, casts and dollar quotes", () => {
  const sql = `SELECT ':no', "a:b", $x$ :nor $x$, :id::int /* :not */ -- :never
    FROM t WHERE c = :other AND d = :id`;
  assertEquals(parameterNames(sql), ["id", "other"]);
  // Doubled quotes stay inside the literal.
  assertEquals(parameterNames(`SELECT 'it''s :no', :yes`), ["yes"]);
  // An array slice a[1:2] has no name after the colon; a:name in one would (as in psql), so none here.
  assertEquals(parameterNames("SELECT a[1:2] FROM t"), []);
  assertEquals(scanParameters("x = :a").map((p) => [p.at, p.end]), [[4, 6]]);
});

Deno.test("parameters: numbered in the kernel's entry order, a repeated name is one parameter", () => {
  const { text, names } = numberParameters(
    "INSERT INTO h (tid, aid, delta) VALUES (:tid, :aid, :delta + :delta)",
    ["aid", "delta", "tid", "unused"],
  );
  assertEquals(names, ["aid", "delta", "tid"]);
  assertEquals(text, "INSERT INTO h (tid, aid, delta) VALUES ($3, $1, $2 + $2)");
  assertEquals(numberParameters("SELECT 1", ["a"]), { text: "SELECT 1", names: [] });
});
