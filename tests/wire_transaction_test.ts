import { deepStrictEqual, ok } from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { pgliteTarget, type TransactingTarget } from "../core/exec/targets.ts";
import { textParams, wireOptions, WireSession } from "../core/exec/wire.ts";
import { withTempDatabase } from "./_database.ts";

const bound = (name: string, text: string, values: (string | null)[]) => ({
  name,
  text,
  params: textParams(values),
  count: values.length,
});

/** The same checks on the wire client and on PGlite: all-or-nothing, outcome of the first failure. */
async function checkTransactions(t: TransactingTarget): Promise<void> {
  deepStrictEqual((await t.run("CREATE TABLE acct (id int PRIMARY KEY, bal int CHECK (bal >= 0))")).ok, true);
  deepStrictEqual((await t.run("INSERT INTO acct VALUES (1, 100), (2, 0)")).ok, true);
  const move = (amount: number) => [
    bound("debit", "UPDATE acct SET bal = bal - $1 WHERE id = $2", [String(amount), "1"]),
    bound("credit", "UPDATE acct SET bal = bal + $1 WHERE id = $2", [String(amount), "2"]),
    bound("read", "SELECT bal FROM acct WHERE id = $1", ["2"]),
  ];
  const good = await t.transaction(move(30));
  ok(good.ok, JSON.stringify(good));
  deepStrictEqual(good.rows, [["30"]]);
  // The debit breaks the CHECK: the whole transaction is undone, the failure is the first statement's.
  const bad = await t.transaction(move(500));
  deepStrictEqual(bad.ok ? "ok" : bad.code, "23514");
  const after = await t.query("SELECT bal FROM acct ORDER BY id");
  deepStrictEqual(after.ok && after.rows, [["70"], ["30"]]);
  // A statement that fails to parse does not poison the names that follow on this connection.
  const broken = await t.transaction([
    bound("broken", "SELEC 1", []),
    bound("fine", "SELECT $1::int + 1", ["1"]),
  ]);
  deepStrictEqual(broken.ok ? "ok" : broken.code, "42601");
  const again = await t.transaction([bound("fine", "SELECT $1::int + 1", ["41"])]);
  deepStrictEqual(again.ok && again.rows, [["42"]]);
  // Pipelined transactions keep their order and their own outcomes.
  const many = await Promise.all(
    Array.from({ length: 50 }, (_, i) => t.transaction(move(i % 2 === 0 ? 1 : 1000))),
  );
  deepStrictEqual(many.map((o) => o.ok), Array.from({ length: 50 }, (_, i) => i % 2 === 0));
  const end = await t.query("SELECT sum(bal), min(bal) FROM acct");
  deepStrictEqual(end.ok && end.rows, [["100", "45"]]);
}

Deno.test({
  name: "transactions: the wire client runs several prepared statements as one transaction in one round trip",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const s = new WireSession(wireOptions(new URL(url)));
      try {
        await checkTransactions(s);
        deepStrictEqual(s.status, "I");
      } finally {
        await s.close();
      }
    });
  },
});

Deno.test({
  name: "transactions: PGlite runs them with the same outcomes",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const t = await pgliteTarget(await PGlite.create());
    try {
      await checkTransactions(t);
    } finally {
      await t.close();
    }
  },
});
