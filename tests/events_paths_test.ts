/**
 * The paths of `quarry events` that a plain run rarely takes, each on a
 * table made for it: INSERTs retried after unique violations (23505), rows
 * of tables without a primary key named by their address, sampling without
 * the extension tsm_system_rows (a role that cannot create it) and with it
 * created on the fly, and page sampling of tables past the small-table
 * limit.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import {
  events,
  exec,
  failedCleanly,
  failures,
  operation,
  scalar,
  summaryOf,
  withDir,
  withTempRole,
} from "./_events.ts";

/** 60 possible codes, 40 taken: an INSERT of a random code collides two times in three at first. */
const CROWDED = `CREATE TABLE u (id int PRIMARY KEY, code int UNIQUE CHECK (code BETWEEN 1 AND 60));
  INSERT INTO u SELECT g, g FROM generate_series(1, 40) g;`;

Deno.test({
  name: "events: an INSERT that meets a unique violation (23505) is written again with new values",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, CROWDED);
      const r = await events([
        "--db",
        url,
        ...["--operations", "insert", "--insert-rows", "1", "--num-iterations", "15"],
        ...["--random-seed", "1", "--faker-seed", "2", "--json"],
      ]);
      const s = summaryOf(r);
      const ins = operation(s, "u", "insert");
      // 20 codes are free: all 15 events find one, some only after retries.
      deepStrictEqual([s.events, ins.succeeded, ins.rows], [15, 15, 15], failures(s));
      ok(s.retries > 0 && ins.retries === s.retries, `retries: ${s.retries}`);
      deepStrictEqual(s.statements, 15 + s.retries);
      deepStrictEqual(await scalar(url, "SELECT count(*) FROM u"), 40 + ins.rows);
      deepStrictEqual(await scalar(url, "SELECT count(DISTINCT code) FROM u"), 40 + ins.rows);
    });
  },
});

Deno.test({
  name: "events: when every unique value is taken, INSERTs fail with 23505 only (retries keep keys in range)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, CROWDED);
      const s = summaryOf(
        await events([
          "--db",
          url,
          ...["--operations", "insert", "--insert-rows", "1", "--num-iterations", "200"],
          ...["--random-seed", "3", "--faker-seed", "4", "--json"],
        ]),
      );
      const ins = operation(s, "u", "insert");
      deepStrictEqual(s.events, 200);
      ok(s.retries > 0);
      const rows = await scalar(url, "SELECT count(*) FROM u");
      deepStrictEqual(rows, 40 + ins.rows, "rows grew by the rows reported");
      deepStrictEqual(await scalar(url, "SELECT count(DISTINCT code) FROM u"), rows);
      // Events succeed while codes are free; once all 60 are taken, the failures are duplicates.
      ok(ins.succeeded >= 15, `only ${ins.succeeded} inserts succeeded`);
      deepStrictEqual(s.errors.map((e) => e.code), ["23505"], failures(s));
    });
  },
});

Deno.test({
  name: "events: tables without a primary key (plain and partitioned) are updated and deleted by row address",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(
        url,
        `CREATE TABLE nolog (at timestamptz NOT NULL, level varchar(10), n int);
         INSERT INTO nolog SELECT timestamptz '2024-01-01 00:00:00+00' + g * interval '1 minute', 'info', g
         FROM generate_series(1, 300) g;
         CREATE TABLE plog (d date NOT NULL, v int CHECK (v BETWEEN 0 AND 99), note text) PARTITION BY RANGE (d);
         CREATE TABLE plog_h1 PARTITION OF plog FOR VALUES FROM ('2024-01-01') TO ('2024-07-01');
         CREATE TABLE plog_h2 PARTITION OF plog FOR VALUES FROM ('2024-07-01') TO ('2025-01-01');
         INSERT INTO plog SELECT date '2024-01-01' + g, g % 100, 'n' || g FROM generate_series(0, 364) g;`,
      );
      await withDir(async (dir) => {
        // Once with system_rows (drawn seeds), once repeatable (given seeds).
        for (const seeds of [[], ["--random-seed", "5", "--faker-seed", "6"]]) {
          const before = {
            nolog: await scalar(url, "SELECT count(*) FROM nolog"),
            plog: await scalar(url, "SELECT count(*) FROM plog"),
          };
          const log = `${dir}/statements.log`;
          const s = summaryOf(
            await events([
              "--db",
              url,
              ...[
                "--operations",
                "update,delete",
                "--num-iterations",
                "200",
                "--log",
                log,
                "--json",
                ...seeds,
              ],
            ]),
          );
          deepStrictEqual(s.sampling, seeds.length > 0 ? "repeatable" : "system_rows");
          deepStrictEqual(s.successPercent, 100, failures(s));
          const text = await Deno.readTextFile(log);
          for (const t of ["nolog", "plog"]) {
            const upd = operation(s, t, "update"), del = operation(s, t, "delete");
            ok(upd.rows > 0 && del.rows > 0, `${t}: ${JSON.stringify([upd, del])}`);
            ok(upd.rows <= 2 * upd.succeeded && del.rows <= del.succeeded);
            match(
              text,
              new RegExp(
                `^UPDATE public\\.${t} SET .* WHERE \\(tableoid, ctid\\) IN \\(SELECT s\\.tableoid, s\\.ctid `,
                "m",
              ),
            );
            match(
              text,
              new RegExp(
                `^DELETE FROM public\\.${t} WHERE \\(tableoid, ctid\\) IN \\(SELECT s\\.tableoid, s\\.ctid `,
                "m",
              ),
            );
            deepStrictEqual(
              await scalar(url, `SELECT count(*) FROM ${t}`),
              before[t as "nolog" | "plog"] - del.rows,
              `${t}: rows dropped by the rows deleted`,
            );
          }
          deepStrictEqual(await scalar(url, "SELECT count(*) FROM ONLY plog"), 0);
        }
      });
    });
  },
});

const ITEMS =
  `CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL, qty int CHECK (qty BETWEEN 0 AND 10));
  INSERT INTO items (name, qty) SELECT 'item ' || g, g % 11 FROM generate_series(1, 500) g;`;

Deno.test({
  name: "events: a role that cannot create tsm_system_rows is told once and samples with TABLESAMPLE SYSTEM",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, ITEMS);
      const database = new URL(url).pathname.slice(1);
      await withTempRole(url, async (role) => {
        // CREATE on the database is what a trusted extension needs: nobody but the owner keeps it.
        await exec(
          url,
          `REVOKE CREATE ON DATABASE ${database} FROM PUBLIC;
           REVOKE CREATE ON DATABASE ${database} FROM ${role};
           GRANT SELECT, INSERT, UPDATE, DELETE ON items TO ${role};
           GRANT USAGE ON SEQUENCE items_id_seq TO ${role};`,
        );
        const asRole = new URL(url);
        asRole.username = role;
        const r = await events(["--db", asRole.toString(), "--num-iterations", "300", "--json"]);
        const s = summaryOf(r);
        deepStrictEqual(s.sampling, "system");
        const told = r.stderr.split("\n").filter((l) => l.includes("tsm_system_rows"));
        deepStrictEqual(told.length, 1, r.stderr);
        match(told[0]!, /cannot be created/);
        match(told[0]!, /TABLESAMPLE SYSTEM/);
        deepStrictEqual(s.successPercent, 100, failures(s));
        for (const op of ["update", "delete"] as const) {
          const o = operation(s, "items", op);
          ok(o.succeeded > 0 && o.rows > 0, JSON.stringify(o));
        }
        deepStrictEqual(
          await scalar(url, "SELECT count(*) FROM pg_extension WHERE extname = 'tsm_system_rows'"),
          0,
        );
        // Asking for system_rows outright is a runtime failure that names the extension.
        failedCleanly(
          await events(["--db", asRole.toString(), "--sampling", "system_rows", "--num-iterations", "5"]),
          3,
          /tsm_system_rows/,
        );
      });
    });
  },
});

Deno.test({
  name: "events: a superuser on a fresh database gets tsm_system_rows created and sampling system_rows",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(url, ITEMS);
      const r = await events(["--db", url, "--num-iterations", "200", "--json"]);
      const s = summaryOf(r);
      deepStrictEqual(s.sampling, "system_rows");
      match(r.stderr, /^quarry: created the extension tsm_system_rows$/m);
      deepStrictEqual(
        await scalar(url, "SELECT count(*) FROM pg_extension WHERE extname = 'tsm_system_rows'"),
        1,
      );
      deepStrictEqual(s.successPercent, 100, failures(s));
      for (const op of ["update", "delete"] as const) ok(operation(s, "items", op).rows > 0);
      // The second run finds it and says nothing.
      const again = await events(["--db", url, "--num-iterations", "10", "--json"]);
      deepStrictEqual(summaryOf(again).sampling, "system_rows");
      ok(!again.stderr.includes("tsm_system_rows"), again.stderr);
    });
  },
});

Deno.test({
  name: "events: page sampling (system, repeatable) of a table of over 2,000 rows finds rows for most events",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await exec(
        url,
        `CREATE TABLE big (id serial PRIMARY KEY, name text NOT NULL, qty int CHECK (qty BETWEEN 0 AND 10));
         INSERT INTO big (name, qty) SELECT 'item ' || g, g % 11 FROM generate_series(1, 5000) g;
         ANALYZE big;`,
      );
      const problems: string[] = [];
      for (const mode of ["system", "repeatable"]) {
        const s = summaryOf(
          await events([
            "--db",
            url,
            ...["--sampling", mode, "--operations", "update,delete", "--operation-weights", "1,1"],
            ...["--update-rows", "2", "--delete-rows", "1", "--num-iterations", "200", "--json"],
          ]),
        );
        deepStrictEqual(s.sampling, mode);
        const upd = operation(s, "big", "update"), del = operation(s, "big", "delete");
        // update_rows and delete_rows are what an event touches; a sample that is mostly empty is not that.
        if (upd.rows < upd.succeeded) {
          problems.push(`${mode}: ${upd.succeeded} updates of 2 rows each changed ${upd.rows} rows`);
        }
        if (del.rows < del.succeeded / 2) {
          problems.push(`${mode}: ${del.succeeded} deletes of 1 row each deleted ${del.rows} rows`);
        }
      }
      deepStrictEqual(problems, []);
    });
  },
});
