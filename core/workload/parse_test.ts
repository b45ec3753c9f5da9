import { deepStrictEqual as assertEquals, ok as assert, throws } from "node:assert/strict";
import { SpecError } from "../data/parse_spec.ts";
import { checkWorkload, readWorkloadText, resolveParams } from "./parse.ts";

const GOOD = `name: shop
data:
  tables:
    items:
      rows: 50
      primary_key: [id]
      columns:
        id: { method: unique_ids, kind: sequential }
transactions:
  - name: lookup
    sql: SELECT * FROM items WHERE id = :id
    params:
      id: { method: integers, min: 1, max: rows(items) }
  - name: recent
    weight: 2
    sql: [SELECT 1 WHERE :t > now() - interval '1 day']
    params:
      t: { method: timestamps, min: now-1h, max: now }
`;

function errorOf(text: string, file = "w.yaml", partial = false): string {
  try {
    checkWorkload(readWorkloadText(text, file), partial);
  } catch (e) {
    if (e instanceof SpecError) return e.message;
    throw e;
  }
  throw new Error("expected a SpecError");
}

Deno.test("workload file: a good file reads, and rows(T) / now-1h resolve", () => {
  const doc = readWorkloadText(GOOD, "w.yaml");
  const def = checkWorkload(doc);
  assertEquals(def.transactions.map((t) => [t.name, t.weight, t.sql.length]), [["lookup", 1, 1], [
    "recent",
    2,
    1,
  ]]);
  const now = new Date("2026-01-02T03:04:05Z");
  const [lookup, recent] = resolveParams(def, { rowsOf: (t) => (t === "items" ? 50 : undefined), now });
  assertEquals((lookup!.id as { max: number }).max, 50);
  assertEquals((recent!.t as { min: string; max: string }).min, "2026-01-02 02:04:05");
  assertEquals((recent!.t as { min: string; max: string }).max, "2026-01-02 03:04:05");
});

Deno.test("workload file: each problem is named at its line and column", () => {
  const text = GOOD.replace("    weight: 2\n", "    wieght: 2\n").replace(
    "SELECT * FROM items WHERE id = :id",
    "SELECT * FROM items WHERE id = :id AND x = :missing",
  );
  const msg = errorOf(text);
  assert(
    msg.includes(
      'w.yaml:15:5: transactions[1].wieght: unknown key "wieght" for a transaction (did you mean "weight"?)',
    ),
    msg,
  );
  assert(
    msg.includes('w.yaml:12:5: transactions[0].params: the SQL uses :missing but params has no "missing"'),
    msg,
  );
});

Deno.test("workload file: a parameter's spec is checked by the data spec's rules, pointed into this file", () => {
  const text = GOOD.replace(
    "id: { method: integers, min: 1, max: rows(items) }",
    "id: { method: intgers, min: 1, max: 5 }",
  );
  const doc = readWorkloadText(text, "w.yaml");
  const def = checkWorkload(doc);
  try {
    resolveParams(def, { rowsOf: () => 50, now: new Date(), positions: doc.positions });
    throw new Error("expected a SpecError");
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    assert(
      /^w\.yaml:13:\d+: transactions\[0\]\.params\.id\.method: unknown method "intgers" \(did you mean "integers"\?\)/
        .test(e.message),
      e.message,
    );
  }
  const unknownTable = GOOD.replace("max: rows(items)", "max: rows(itemz)");
  const d2 = readWorkloadText(unknownTable, "w.yaml");
  throws(
    () =>
      resolveParams(checkWorkload(d2), { rowsOf: () => undefined, now: new Date(), positions: d2.positions }),
    /w\.yaml:13:\d+: transactions\[0\]\.params\.id\.max: rows\(itemz\): the data has no table "itemz"/,
  );
});

Deno.test("workload file: the data block is checked as a data spec at its place in the file", () => {
  const msg = errorOf(GOOD.replace("kind: sequential", "kind: sequentail"));
  assert(/^w\.yaml:8:\d+: data\.tables\.items\.columns\.id\.kind: /.test(msg), msg);
});

Deno.test("workload file: unused parameters, two statements in one item and duplicate names are refused", () => {
  const text = GOOD.replace("sql: SELECT * FROM items WHERE id = :id", "sql: SELECT 1; SELECT 2")
    .replace("name: recent", "name: lookup");
  const msg = errorOf(text);
  assert(msg.includes('"id" is not used by the SQL'), msg);
  assert(msg.includes("holds more than one statement"), msg);
  assert(msg.includes('"lookup" names two transactions'), msg);
});

Deno.test("workload file: a file overriding a pattern may leave out data and transactions; TOML reads too", () => {
  const def = checkWorkload(
    readWorkloadText("pattern: oltp\nrun: { connections: 8, tps: 250 }\n", "o.yaml"),
    true,
  );
  assertEquals([def.pattern, def.run], ["oltp", { connections: 8, tps: 250 }]);
  assert(
    errorOf("pattern: oltp\nrun: { conections: 8 }\n", "o.yaml", true).includes('did you mean "connections"'),
  );
  const toml = `pattern = "oltp"\n[run]\ntps = 100\narrival = "poisson"\n`;
  const t = checkWorkload(readWorkloadText(toml, "o.toml"), true);
  assertEquals(t.run, { tps: 100, arrival: "poisson" });
  throws(() => readWorkloadText("pattern = \n", "bad.toml"), /invalid TOML/);
});

Deno.test("workload file: a transaction without parameters needs no params", () => {
  const text = GOOD.replace(
    "  - name: recent\n    weight: 2\n    sql: [SELECT 1 WHERE :t > now() - interval '1 day']\n    params:\n      t: { method: timestamps, min: now-1h, max: now }\n",
    "  - name: count\n    sql: SELECT count(*) FROM items\n",
  );
  const def = checkWorkload(readWorkloadText(text, "w.yaml"));
  const params = resolveParams(def, { rowsOf: () => 50, now: new Date() });
  assertEquals(params[1], {});
  const none = checkWorkload(
    readWorkloadText(text.replace(/ {2}- name: lookup[\s\S]*?(?= {2}- name: count)/, ""), "w.yaml"),
  );
  assertEquals(resolveParams(none, { rowsOf: () => 50, now: new Date() }), [{}]);
});

Deno.test("workload file: an `existing` parameter names a table and a column", () => {
  const text = GOOD.replace(
    "id: { method: integers, min: 1, max: rows(items) }",
    "id: { method: existing, table: items, colum: id }",
  );
  const doc = readWorkloadText(text, "w.yaml");
  throws(
    () => resolveParams(checkWorkload(doc), { rowsOf: () => 50, now: new Date(), positions: doc.positions }),
    (e: Error) =>
      e.message.includes('transactions[0].params.id.colum: unknown key "colum" for method "existing"') &&
      e.message.includes('transactions[0].params.id.column: method "existing" needs "column"'),
  );
  const ok = readWorkloadText(
    GOOD.replace(
      "max: rows(items) }",
      "max: rows(items) }\n      other: { method: existing, table: items, column: id }",
    ).replace("= :id", "= :id AND :other IS NOT NULL"),
    "w.yaml",
  );
  const [params] = resolveParams(checkWorkload(ok), { rowsOf: () => 50, now: new Date() });
  assertEquals(params!.other, { method: "existing", table: "items", column: "id" });
});
