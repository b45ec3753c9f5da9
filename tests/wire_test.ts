import { withPrivateServer } from "./_private_server.ts";
import { deepStrictEqual, match, ok, rejects } from "node:assert/strict";
import postgres from "postgres";
import { wireOptions, WireSession } from "../core/exec/wire.ts";
import { ConnectionError, CopyError } from "../core/exec/wire_copy.ts";
import { withTempDatabase } from "./_database.ts";

Deno.test({
  name:
    "wire client: pipelined outcomes come back in order with their SQLSTATEs; failed transactions are visible",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const s = new WireSession(wireOptions(new URL(url), 300));
      try {
        await s.connect();
        const texts = Array.from(
          { length: 600 },
          (_, i) =>
            i % 3 === 0 ? `SELECT 1 / ${i % 2}` : i % 3 === 1 ? `SELECT '${"x".repeat(i)}'` : "SELEC 1",
        );
        const outcomes = await s.runAll(texts);
        outcomes.forEach((o, i) => {
          const want = i % 3 === 0 ? (i % 2 === 0 ? "22012" : "ok") : i % 3 === 1 ? "ok" : "42601";
          deepStrictEqual(o.ok ? "ok" : o.code, want, texts[i]);
        });
        // A transaction line that fails halfway leaves the session in a failed transaction.
        const t = await s.run("BEGIN; CREATE TABLE t (a int); SELECT 1/0; COMMIT");
        deepStrictEqual([t.ok, s.status], [false, "E"]);
        deepStrictEqual(await s.run("ROLLBACK"), { ok: true });
        deepStrictEqual(s.status, "I");
        deepStrictEqual((await s.run("SELECT * FROM t")).ok, false, "the failed transaction's table exists");
        // statement_timeout from the options, and a multi-megabyte result.
        const slow = await s.run("SELECT pg_sleep(2)");
        deepStrictEqual(slow.ok ? "ok" : slow.code, "57014");
        deepStrictEqual(await s.run("SELECT repeat('y', 5000000), generate_series(1, 3)"), { ok: true });
        // Rolled back: nothing stays.
        deepStrictEqual(await s.runRolledBack("CREATE TABLE kept (a int)"), { ok: true });
        deepStrictEqual((await s.run("SELECT * FROM kept")).ok, false);
      } finally {
        await s.close();
      }
    });
  },
});

Deno.test({
  name: "wire client: a killed connection fails what was in flight, and the next statement reconnects",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const s = new WireSession(wireOptions(new URL(url)));
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      try {
        const sleeping = s.run("SELECT pg_sleep(5)");
        await new Promise((r) => setTimeout(r, 300));
        await admin.unsafe(
          // Only this test's database: other runs on the shared server are not ours to end.
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'quarry' " +
            "AND datname = current_database()",
        );
        const lost = await sleeping;
        ok(!lost.ok && ["57P01", "08006"].includes(lost.code), JSON.stringify(lost));
        deepStrictEqual(await s.run("SELECT 1"), { ok: true });
      } finally {
        await s.close();
        await admin.end();
      }
    });
  },
});

Deno.test({
  name:
    "wire client: COPY FROM STDIN; a server error mid-stream stops the writer early; fail() leaves nothing",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const s = new WireSession(wireOptions(new URL(url), 0));
      try {
        deepStrictEqual(await s.run("CREATE TABLE t (id int PRIMARY KEY, a text)"), { ok: true });
        // The same 1 MiB of rows again and again: the second copy of row 1 is a duplicate.
        const rows = new TextEncoder().encode(
          Array.from({ length: 40_000 }, (_, i) => `${i}\t${"z".repeat(20)}\n`).join(""),
        );
        const writer = await s.copyIn("COPY t (id, a) FROM STDIN");
        let sent = 0;
        const failed = await (async () => {
          try {
            for (; sent < 1 << 30; sent += rows.length) await writer.write(rows);
          } catch (e) {
            return e;
          }
        })();
        ok(failed instanceof CopyError && failed.code === "23505", String(failed));
        ok(sent < 64 << 20, `stopped after ${sent >> 20} MiB, not 1 GiB`);
        await rejects(() => writer.end(), (e) => e === failed);
        deepStrictEqual([await s.run("SELECT 1"), s.status], [{ ok: true }, "I"]);

        // Statements given to run() during a COPY wait for its end; one queued before it goes first.
        const before = s.run("INSERT INTO t VALUES (-1, 'before')");
        const copy = await s.copyIn("COPY t (id, a) FROM STDIN");
        const during = s.run("DELETE FROM t WHERE id = 1");
        await copy.write(new TextEncoder().encode("1\tone\n2\ttwo\n"));
        deepStrictEqual(await copy.end(), 2);
        deepStrictEqual([await before, await during], [{ ok: true }, { ok: true }]);
        const admin = postgres(url, { max: 1, onnotice: () => {} });
        try {
          deepStrictEqual([...await admin`SELECT id FROM t ORDER BY id`], [{ id: -1 }, { id: 2 }]);

          const abandoned = await s.copyIn("COPY t (id, a) FROM STDIN");
          await abandoned.write(new TextEncoder().encode("3\tthree\n"));
          await abandoned.fail("not wanted");
          await rejects(
            () => abandoned.write(new Uint8Array(1)),
            (e) => e instanceof CopyError && e.code === "57014",
          );
          deepStrictEqual([...await admin`SELECT count(*)::int AS n FROM t`], [{ n: 2 }]);
          deepStrictEqual(await s.run("SELECT 1"), { ok: true });

          // A terminated backend is a ConnectionError; the next statement reconnects.
          const cut = await s.copyIn("COPY t (id, a) FROM STDIN");
          await admin.unsafe(
            // Only this test's database: other runs on the shared server are not ours to end.
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'quarry' " +
              "AND datname = current_database()",
          );
          const lost = await (async () => {
            try {
              for (let i = 0; i < 1000; i++) await cut.write(rows);
            } catch (e) {
              return e;
            }
          })();
          ok(lost instanceof ConnectionError && ["57P01", "08006"].includes(lost.code), String(lost));
          deepStrictEqual(await s.run("SELECT 1"), { ok: true });
          await rejects(() => s.copyIn("SELECT 1"), TypeError);
          await rejects(
            () => s.copyIn("COPY nowhere FROM STDIN"),
            (e) => e instanceof CopyError && e.code === "42P01",
          );
        } finally {
          await admin.end();
        }
      } finally {
        await s.close();
      }
    });
  },
});

Deno.test({
  name: "wire client: SCRAM-SHA-256 and MD5 passwords on a private server; a wrong password is 28P01",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withPrivateServer(async ({ port }) => {
      const at = (user: string, password: string) =>
        new WireSession(
          wireOptions(
            new URL(`postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`),
          ),
        );
      const admin = at("postgres", "s3cret!");
      deepStrictEqual(
        await admin.run("SET password_encryption = 'md5'; CREATE ROLE md5user LOGIN PASSWORD 'm d5'"),
        {
          ok: true,
        },
      );
      const md5 = at("md5user", "m d5");
      deepStrictEqual(await md5.run("SELECT current_user"), { ok: true });
      const wrong = at("postgres", "nope");
      const denied = await wrong.run("SELECT 1");
      deepStrictEqual(denied.ok ? "ok" : denied.code, "28P01");
      match((denied as { message: string }).message, /password authentication failed/);
      await Promise.all([admin.close(), md5.close(), wrong.close()]);
    }, { hba: "host all md5user 127.0.0.1/32 md5\nhost all all 127.0.0.1/32 scram-sha-256\n" });
  },
});
