import { deepStrictEqual, ok } from "node:assert/strict";
import { textParams, wireOptions, WireSession } from "../core/exec/wire.ts";
import { withTempDatabase } from "./_database.ts";

const SQL = "SELECT pg_sleep(0.001)::text, ($1::int / ($1::int % 7))::text";

/** Runs `statements` prepared statements on `lanes` lanes of `s`; each lane's outcomes in order. */
async function pipelined(s: WireSession, lanes: number, statements: number) {
  let next = 0;
  const seen: { i: number; value: string }[] = [];
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < statements) {
      const i = next++;
      // Every seventh divides by zero: failures keep their place among the answers. The server
      // answers a millisecond apart: without holding, each answer's next statement goes out alone.
      const o = await s.execute("q", SQL, textParams([String(i)]), 1);
      seen.push({ i, value: o.ok ? o.rows[0]![1]! : o.code });
    }
  }));
  return seen;
}

Deno.test({
  name: "wire client with batching: pipelined statements go out in few writes, answers stay in order, " +
    "and a statement alone is not held back",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const s = new WireSession(wireOptions(new URL(url)));
      try {
        await s.connect();
        s.batching = true;
        const n = 400;
        const before = s.writes;
        const seen = await pipelined(s, 16, n);
        deepStrictEqual(seen.length, n);
        for (const { i, value } of seen) {
          deepStrictEqual(value, i % 7 === 0 ? "22012" : String(Math.trunc(i / (i % 7))), `statement ${i}`);
        }
        // About half of the 16 lanes' statements go out together; without holding, often one or two.
        const writes = s.writes - before;
        ok(writes <= n / 4, `${writes} writes for ${n} statements`);
        // Nothing else in flight: one statement goes out at once (a hold would never end).
        const alone = await s.execute("q", SQL, textParams(["9"]), 1);
        deepStrictEqual(alone, { ok: true, rows: [["", "4"]], affected: 1 });
        deepStrictEqual(await s.query("SELECT 'simple'"), { ok: true, rows: [["simple"]], affected: 1 });
      } finally {
        await s.close();
      }
    });
  },
});
