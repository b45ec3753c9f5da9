/**
 * `quarry events` with both seeds on one connection (pipeline 1): the same
 * starting database gets the same statements, byte for byte, and ends with
 * the same rows, whatever other sessions on the server do; other seeds give
 * other statements. On PostgreSQL (copies of one database made with CREATE
 * DATABASE … TEMPLATE, autovacuum off) and on PGlite (the hostile fixture
 * through --setup), where the plain default run on the built-in schema is
 * checked too.
 *
 * @module
 */
import { deepStrictEqual, notDeepStrictEqual, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import {
  copyDatabase,
  copyName,
  disableAutovacuum,
  dropDatabase,
  events,
  exec,
  failures,
  HOSTILE_SQL,
  HOSTILE_TABLES,
  operation,
  summaryOf,
  tableDigests,
  withDir,
  withOldestSnapshotHeld,
} from "./_events.ts";
import type { EventsJson } from "./_events.ts";

/** Flags of a seeded run of `events` events, with its JSON summary. */
const seeded = (random: number, faker: number, events: number) => [
  ...["--random-seed", String(random), "--faker-seed", String(faker)],
  ...["--num-iterations", String(events), "--json"],
];

/**
 * Runs `fn` with `n` copies of the hostile fixture (autovacuum off, so no
 * worker moves rows between runs), dropping them afterwards; `template` is
 * the database they were copied from.
 */
async function withCopies(
  n: number,
  fn: (copies: string[], template: string) => Promise<void>,
): Promise<void> {
  await withTempDatabase(async (template) => {
    await exec(template, HOSTILE_SQL);
    await disableAutovacuum(template);
    const names = Array.from({ length: n }, copyName);
    try {
      const copies: string[] = [];
      for (const name of names) copies.push(await copyDatabase(template, name));
      await fn(copies, template);
    } finally {
      for (const name of names) await dropDatabase(template, name);
    }
  });
}

/** One seeded run on `url` logging to `log`; its summary. */
async function seededRun(url: string, log: string, seeds = seeded(7, 9, 3000)): Promise<EventsJson> {
  const s = summaryOf(await events(["--db", url, "--log", log, ...seeds]));
  deepStrictEqual([s.sampling, s.pipeline, s.connections], ["repeatable", 1, 1]);
  ok(s.successPercent >= 99, `${s.successPercent}% succeeded:\n${failures(s)}`);
  return s;
}

/** The first line where two logs differ, for a readable failure. */
function firstDifference(a: string, b: string): string {
  const x = a.split("\n"), y = b.split("\n");
  const i = x.findIndex((l, i) => l !== y[i]);
  if (i < 0) return x.length === y.length ? "none" : `lengths ${x.length} and ${y.length}`;
  return `line ${i + 1}:\n  ${x[i]!.slice(0, 400)}\n  ${(y[i] ?? "(none)").slice(0, 400)}`;
}

/** Strips what differs from run to run in a summary (times, rates, latencies, the database's name). */
function counts(s: EventsJson) {
  return { events: s.events, statements: s.statements, retries: s.retries, operations: s.operations };
}

Deno.test({
  name:
    "events: both seeds on one connection repeat the statements and final rows, whatever else the server does",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // The second run goes while a transaction is open in another database: the server then prunes
    // no dead row versions, so rows updated twice sit at other addresses than in the first run.
    // What the run sends and leaves may not depend on that.
    await withCopies(3, async ([a, b, c], template) => {
      await withDir(async (dir) => {
        const sa = await seededRun(a!, `${dir}/a.log`);
        const sb = await withOldestSnapshotHeld(template, () => seededRun(b!, `${dir}/b.log`));
        const la = await Deno.readTextFile(`${dir}/a.log`), lb = await Deno.readTextFile(`${dir}/b.log`);
        ok(la.split("\n").length > 3000, "every statement is logged");
        ok(la === lb, `the logs differ at ${firstDifference(la, lb)}`);
        deepStrictEqual(counts(sa), counts(sb));
        deepStrictEqual(await tableDigests(a!, HOSTILE_TABLES), await tableDigests(b!, HOSTILE_TABLES));
        // Another faker seed: other values from the first events on (300 are plenty to tell).
        const sc = await seededRun(c!, `${dir}/c.log`, seeded(7, 10, 300));
        deepStrictEqual(sc.faker_seed, 10);
        const lc = (await Deno.readTextFile(`${dir}/c.log`)).split("\n");
        const prefix = la.split("\n").slice(0, lc.length - 1);
        notDeepStrictEqual(lc.slice(0, -1), prefix, "another faker seed sent the same statements");
      });
    });
  },
});

Deno.test({
  name: "events: seeded runs repeat themselves on tables past 2,000 rows (page samples) too",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (template) => {
      await exec(
        template,
        `CREATE TABLE big (id int PRIMARY KEY, name text NOT NULL, qty int CHECK (qty BETWEEN 0 AND 10));
         INSERT INTO big SELECT g, 'item ' || g, g % 11 FROM generate_series(1, 6000) g;
         CREATE TABLE child (id serial PRIMARY KEY, big_id int NOT NULL REFERENCES big ON DELETE CASCADE, n int);
         ANALYZE;`,
      );
      await disableAutovacuum(template);
      const names = [copyName(), copyName()];
      try {
        const a = await copyDatabase(template, names[0]!), b = await copyDatabase(template, names[1]!);
        await withDir(async (dir) => {
          const args = [...seeded(7, 9, 1500), "--update-rows", "20", "--delete-rows", "5"];
          await seededRun(a, `${dir}/a.log`, args);
          // As above: the second run while cleanup is held back elsewhere on the server.
          await withOldestSnapshotHeld(template, () => seededRun(b, `${dir}/b.log`, args));
          const la = await Deno.readTextFile(`${dir}/a.log`), lb = await Deno.readTextFile(`${dir}/b.log`);
          deepStrictEqual(await tableDigests(a, ["big", "child"]), await tableDigests(b, ["big", "child"]));
          ok(la === lb, `the logs differ at ${firstDifference(la, lb)}`);
        });
      } finally {
        for (const name of names) await dropDatabase(template, name);
      }
    });
  },
});

Deno.test({
  name:
    "events on PGlite: the default run churns every built-in table; seeded hostile runs repeat themselves",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withDir(async (dir) => {
      const hostile = new URL("fixtures/events_hostile.sql", import.meta.url).pathname;
      const hostileRun = [
        ...["--setup", hostile, "--fill", "100", "--random-seed", "7", "--faker-seed", "9"],
        ...["--num-iterations", "2000", "--json"],
      ];
      // Three PGlite processes at once: their start dominates.
      const [plain, first, second] = await Promise.all([
        events(["--num-iterations", "2000", "--json"]),
        events([...hostileRun, "--log", `${dir}/1.log`]),
        events([...hostileRun, "--log", `${dir}/2.log`]),
      ]);
      const p = summaryOf(plain!), a = summaryOf(first!), b = summaryOf(second!);
      deepStrictEqual([p.database, p.events, p.sampling, p.connections], ["PGlite", 2000, "system_rows", 1]);
      deepStrictEqual([a.database, a.tables, a.sampling, a.pipeline], [
        "PGlite",
        HOSTILE_TABLES.length,
        "repeatable",
        1,
      ]);
      for (const s of [p, a, b]) {
        ok(s.successPercent >= 99, `${s.successPercent}% succeeded:\n${failures(s)}`);
        const invalid = s.errors.filter((e) => /^(42|22|0A000)/.test(e.code));
        deepStrictEqual(invalid, [], failures(s));
        const tables = [...new Set(s.operations.map((o) => o.table))];
        deepStrictEqual(tables.length, s.tables, `tables touched: ${tables}`);
        for (const t of tables) {
          for (const op of ["insert", "update", "delete"] as const) {
            ok(operation(s, t, op).succeeded > 0, `${t} ${op}: ${JSON.stringify(operation(s, t, op))}`);
          }
        }
      }
      const l1 = await Deno.readTextFile(`${dir}/1.log`), l2 = await Deno.readTextFile(`${dir}/2.log`);
      ok(l1.split("\n").length > 2000, "every statement is logged");
      ok(l1 === l2, `the logs differ at ${firstDifference(l1, l2)}`);
      deepStrictEqual(counts(a), counts(b));
    });
  },
});
