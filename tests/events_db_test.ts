/**
 * `quarry events` on PostgreSQL with the hostile fixture
 * (tests/fixtures/events_hostile.sql): long runs on one connection and on
 * four pipelined ones stay valid (no syntax, feature or data errors) and
 * leave every foreign key whole; `--fill` loads an empty copy of the schema.
 * Checked through the JSON summary and by SQL.
 *
 * @module
 */
import { deepStrictEqual, doesNotMatch, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import {
  assertIntegrity,
  events,
  exec,
  failures,
  HOSTILE_SQL,
  HOSTILE_TABLES,
  ident,
  misplacedMeasurements,
  operation,
  rowCounts,
  scalar,
  summaryOf,
} from "./_events.ts";
import type { EventsJson } from "./_events.ts";

/** SQLSTATEs a valid run never meets: syntax and access (42…), unsupported features, data exceptions (22…). */
function invalidErrors(s: EventsJson): string[] {
  return s.errors.map((e) => e.code).filter((c) => c.startsWith("42") || c === "0A000" || c.startsWith("22"));
}

/** Every table of the fixture saw inserts, updates and deletes that succeeded. */
function everyTableChurned(s: EventsJson): void {
  for (const t of HOSTILE_TABLES) {
    const ins = operation(s, t, "insert"), upd = operation(s, t, "update"), del = operation(s, t, "delete");
    ok(ins.succeeded > 0 && ins.rows > 0, `${t}: no rows inserted (${JSON.stringify(ins)})`);
    ok(upd.succeeded > 0, `${t}: no update succeeded (${JSON.stringify(upd)})`);
    ok(del.succeeded > 0, `${t}: no delete succeeded (${JSON.stringify(del)})`);
  }
}

Deno.test({
  name: "events: 20,000 events on the hostile schema on one connection succeed and keep every key whole",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, HOSTILE_SQL);
      const r = await events(["--db", url, "--fill", "200", "--num-iterations", "20000", "--json"]);
      const s = summaryOf(r);
      deepStrictEqual([s.events, s.tables, s.connections], [20000, HOSTILE_TABLES.length, 1]);
      ok(s.successPercent >= 99, `${s.successPercent}% succeeded:\n${failures(s)}`);
      deepStrictEqual(invalidErrors(s), [], failures(s));
      everyTableChurned(s);
      // --fill loaded the empty tables it could (order_lines' key repeats its parent's: left to events).
      const filled = /^quarry: filled (.*)$/m.exec(r.stderr)?.[1] ?? "";
      for (const t of ["naïve table", "group", "event log"]) ok(filled.includes(`${t} (200)`), r.stderr);
      deepStrictEqual(await assertIntegrity(url), 8, "the fixture's foreign keys checked");
      deepStrictEqual(await misplacedMeasurements(url), 0);
    });
  },
});

Deno.test({
  name: "events: four pipelined connections with prepared statements on the hostile schema succeed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, HOSTILE_SQL);
      const s = summaryOf(
        await events(["--db", url, "--fill", "200", "-c", "4", "--num-iterations", "10000", "--json"]),
      );
      deepStrictEqual([s.events, s.connections], [10000, 4]);
      ok(s.pipeline > 1, `pipeline ${s.pipeline}`);
      ok(s.successPercent >= 99, `${s.successPercent}% succeeded:\n${failures(s)}`);
      deepStrictEqual(invalidErrors(s), [], failures(s));
      // Four sessions on one schema: only integrity conflicts and deadlocks may remain.
      for (const e of s.errors) ok(/^(23|40)/.test(e.code), failures(s));
      everyTableChurned(s);
      await assertIntegrity(url);
      deepStrictEqual(await misplacedMeasurements(url), 0);
    });
  },
});

Deno.test({
  name: "events: --json says whether statements were prepared or literal",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, "CREATE TABLE t (id int PRIMARY KEY, v text)");
      for (const mode of ["prepared", "literal"]) {
        const s = summaryOf(
          await events(["--db", url, "--statements", mode, "--num-iterations", "20", "--json"]),
        );
        deepStrictEqual(s.events, 20);
        // The report's header names the mode; the JSON has a "statements" field for the count too.
        const values = Object.values(s as unknown as Record<string, unknown>);
        ok(
          values.includes(mode),
          `--statements ${mode} is not in the JSON: ${JSON.stringify(s).slice(0, 400)}`,
        );
      }
    });
  },
});

Deno.test({
  name:
    "events: --fill loads every table of an empty hostile schema, parents first, and events then run on it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, HOSTILE_SQL);
      await exec(url, `TRUNCATE ${HOSTILE_TABLES.map(ident).join(", ")} CASCADE`);
      const r = await events(["--db", url, "--fill", "300", "--num-iterations", "0", "--json"]);
      const s = summaryOf(r);
      deepStrictEqual([s.events, s.statements], [0, 0]);
      const filled = /^quarry: filled (.*)$/m.exec(r.stderr)?.[1];
      ok(filled, `no "filled" line:\n${r.stderr}`);
      const counts = await rowCounts(url, HOSTILE_TABLES);
      for (const t of HOSTILE_TABLES) {
        const n = counts.get(t)!;
        ok(filled.includes(`${t} (${n})`), `${t}: ${n} rows, stderr says: ${filled}`);
        // 300 each, but a table whose key starts with its parent's counts rows per parent.
        ok(n > 0 && n <= 3 * 300, `${t}: ${n} rows`);
      }
      await assertIntegrity(url);
      deepStrictEqual(await misplacedMeasurements(url), 0);
      // Keys the fill wrote (serial, identity) were moved past: inserts that leave them to the database succeed.
      const churn = summaryOf(await events(["--db", url, "--num-iterations", "600", "--json"]));
      ok(churn.successPercent >= 99, `${churn.successPercent}% succeeded:\n${failures(churn)}`);
      deepStrictEqual(churn.errors.filter((e) => e.code === "23505"), [], failures(churn));
      await assertIntegrity(url);
    });
  },
});

Deno.test({
  name:
    "events: a trading schema of the older sample databases' shape (bpchar and smallint keys, a regex CHECK)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, await Deno.readTextFile(new URL("fixtures/events_trading.sql", import.meta.url)));
      const r = await events(["--db", url, "--num-iterations", "3000", "--json"]);
      const s = summaryOf(r);
      ok(s.successPercent >= 99, `${s.successPercent}% succeeded:\n${failures(s)}`);
      deepStrictEqual(invalidErrors(s), [], failures(s));
      // The phone CHECK is kept by the pattern it became, not dodged with NULLs.
      doesNotMatch(r.stderr, /customers_phone_check/);
      ok(await scalar(url, "SELECT count(*) FROM customers WHERE phone <> ''") > 91, "phones were written");
      deepStrictEqual(await assertIntegrity(url), 6, "the fixture's foreign keys checked");
    });
  },
});
