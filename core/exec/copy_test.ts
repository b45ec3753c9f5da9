import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { withTempDatabase } from "../../tests/_database.ts";
import { ConnectionError, CopyError, copyStatement, type CopyTarget, openCopyTarget } from "./copy.ts";

const enc = new TextEncoder();

/** A database to load into, and a way to read it back that is not the code under test. */
interface Place {
  label: string;
  target: CopyTarget;
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

/**
 * Runs `fn` on a fresh PostgreSQL database, on PGlite, and on PGlite with a
 * small flush threshold (many COPY pieces per sink).
 */
async function everywhere(fn: (p: Place) => Promise<void>, flushBytes = 64 << 10): Promise<void> {
  await withTempDatabase(async (url) => {
    const target = await openCopyTarget(url);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await fn({
        label: "postgresql",
        target,
        rows: async (q) => Array.from(await sql.unsafe(q), (r) => ({ ...r })),
      });
    } finally {
      await target.close();
      await sql.end();
    }
  });
  for (
    const [label, options] of [["pglite", {}], [`pglite, flush every ${flushBytes} B`, {
      flushBytes,
    }]] as const
  ) {
    const db = await PGlite.create();
    const target = await openCopyTarget("pglite", { pglite: db, ...options });
    try {
      await fn({ label, target, rows: async (q) => (await db.query<Record<string, unknown>>(q)).rows });
    } finally {
      await target.close();
      await db.close();
    }
  }
}

async function ran(target: CopyTarget, sql: string): Promise<void> {
  deepStrictEqual(await target.run(sql), { ok: true }, sql);
}

/** Writes `bytes` in chunks of `size` bytes, cutting rows and UTF-8 characters anywhere. */
async function writeInChunks(
  sink: { write(c: Uint8Array): Promise<void> },
  bytes: Uint8Array,
  size: number,
): Promise<void> {
  for (let at = 0; at < bytes.length; at += size) await sink.write(bytes.subarray(at, at + size));
}

/** Row i's text value: NULL every tenth row, else escapes and non-ASCII. */
function textValue(i: number): string | null {
  if (i % 10 === 0) return null;
  return `${i}\ttab back\\slash nl\nline cr\r ünïcødé 日本語 🎉 ${"x".repeat(i % 37)}`;
}

/** COPY text escaping: backslash, tab, newline, carriage return; \N for NULL. */
function copyText(v: string | null): string {
  if (v === null) return "\\N";
  return v.replaceAll("\\", "\\\\").replaceAll("\t", "\\t").replaceAll("\n", "\\n").replaceAll("\r", "\\r");
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

Deno.test({
  name: "copy: 100k rows of COPY text with NULLs, escapes and non-ASCII come back exactly",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const n = 100_000;
    const lines: string[] = [];
    for (let i = 1; i <= n; i++) lines.push(`${i}\t${copyText(textValue(i))}\t${i * 3}\n`);
    const bytes = enc.encode(lines.join(""));
    await everywhere(async ({ label, target, rows }) => {
      await ran(target, "CREATE TABLE t (id int PRIMARY KEY, a text, b bigint)");
      const sink = await target.copy(copyStatement({ name: "t" }, ["id", "a", "b"], { format: "text" }));
      // 7919 bytes: a prime, so chunks end at every position in a row and inside characters.
      await writeInChunks(sink, bytes, 7919);
      deepStrictEqual(await sink.end(), n, label);
      const back = await rows("SELECT id, a, b::text AS b FROM t ORDER BY id");
      deepStrictEqual(back.length, n, label);
      back.forEach((r, k) =>
        deepStrictEqual(r, { id: k + 1, a: textValue(k + 1), b: String((k + 1) * 3) }, label)
      );
    });
  },
});

Deno.test({
  name: "copy: CSV with a header and quoted commas, quotes and newlines; the PGlite pieces repeat the header",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const n = 5_000;
    const value = (i: number) => i % 7 === 0 ? "" : `a, "quoted" ${i}\nsecond line, é ${"y".repeat(i % 11)}`;
    const text = "id,note,n\n" +
      Array.from({ length: n }, (_, k) => `${k + 1},${csvField(value(k + 1))},${k % 3 === 0 ? "" : k}\n`)
        .join("");
    const bytes = enc.encode(text);
    await everywhere(async ({ label, target, rows }) => {
      await ran(
        target,
        'CREATE SCHEMA "My Schema"; CREATE TABLE "My Schema"."order" (id int PRIMARY KEY, note text, n int)',
      );
      const sink = await target.copy(
        copyStatement({ schema: "My Schema", name: "order" }, ["id", "note", "n"], {
          format: "csv",
          header: true,
        }),
      );
      await writeInChunks(sink, bytes, 1000);
      deepStrictEqual(await sink.end(), n, label);
      const back = await rows('SELECT id, note, n FROM "My Schema"."order" ORDER BY id');
      deepStrictEqual(back.length, n, label);
      back.forEach((r, k) =>
        deepStrictEqual(r, {
          id: k + 1,
          // CSV reads an unquoted empty field as NULL.
          note: value(k + 1) === "" ? null : value(k + 1),
          n: k % 3 === 0 ? null : k,
        }, label)
      );
    }, 4096);
  },
});

Deno.test({
  name:
    "copy: a duplicate key fails with 23505 and leaves the table empty; abort() too; the target stays usable",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await everywhere(async ({ label, target, rows }) => {
      await ran(target, "CREATE TABLE t (id int PRIMARY KEY, a text)");
      const statement = copyStatement({ name: "t" }, ["id", "a"], { format: "text" });
      const duplicate = await target.copy(statement);
      await duplicate.write(enc.encode("1\tone\n2\ttwo\n"));
      await duplicate.write(enc.encode("3\tthree\n1\tagain\n"));
      await rejects(
        () => duplicate.end(),
        (e) => e instanceof CopyError && e.code === "23505" && /duplicate key/.test(e.message),
        label,
      );
      await duplicate.abort("already failed"); // resolves: nothing left to undo
      deepStrictEqual(await rows("SELECT count(*)::int AS n FROM t"), [{ n: 0 }], label);

      const aborted = await target.copy(statement);
      await aborted.write(enc.encode("1\tone\n2\ttwo\n"));
      await aborted.abort("changed my mind");
      deepStrictEqual(await rows("SELECT count(*)::int AS n FROM t"), [{ n: 0 }], label);

      const bad = await target.copy(statement);
      await bad.write(enc.encode("x\tnot a number\n"));
      await rejects(() => bad.end(), (e) => e instanceof CopyError && e.code === "22P02", label);

      await ran(target, "INSERT INTO t VALUES (10, 'ten')");
      const fine = await target.copy(statement);
      await fine.write(enc.encode("1\tone\n2\ttwo"));
      deepStrictEqual(await fine.end(), 2, `${label}: the last row needs no newline`);
      deepStrictEqual(await rows("SELECT id FROM t ORDER BY id"), [{ id: 1 }, { id: 2 }, { id: 10 }], label);
      await rejects(() => fine.write(enc.encode("3\tthree\n")), TypeError, `${label}: write after end`);
    });
  },
});

Deno.test({
  name: "copy: many tiny chunks, one byte at a time through multi-byte characters, and one big chunk",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const rowsText = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => `${from + k}\tñ日🎉${from + k}\n`).join("");
    const tiny = enc.encode(rowsText(0, 2000));
    const small = enc.encode(rowsText(2000, 52000));
    const big = enc.encode(rowsText(52000, 252000)); // about 3.6 MB in one write
    await everywhere(async ({ label, target, rows }) => {
      await ran(target, "CREATE TABLE t (id int PRIMARY KEY, a text)");
      const sink = await target.copy(copyStatement({ name: "t" }, ["id", "a"], { format: "text" }));
      await writeInChunks(sink, tiny, 1);
      // Not awaited one by one: writes still go out in order.
      const pending: Promise<void>[] = [];
      for (let at = 0; at < small.length; at += 13) pending.push(sink.write(small.slice(at, at + 13)));
      await Promise.all(pending);
      await sink.write(big);
      deepStrictEqual(await sink.end(), 252000, label);
      const check = await rows(
        "SELECT count(*)::int AS n, count(*) FILTER (WHERE a = 'ñ日🎉' || id)::int AS good FROM t",
      );
      deepStrictEqual(check, [{ n: 252000, good: 252000 }], label);
    });
  },
});

Deno.test({
  name:
    "copy: a missing table or a non-COPY statement fails at copy(); two server connections load one table",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await everywhere(async ({ label, target }) => {
      await rejects(
        () => target.copy("COPY missing (a) FROM STDIN"),
        (e) => e instanceof CopyError && e.code === "42P01",
        label,
      );
      await rejects(() => target.copy("SELECT 1"), TypeError, label);
      await ran(target, "SELECT 1");
    });
    await withTempDatabase(async (url) => {
      const [a, b] = await Promise.all([openCopyTarget(url), openCopyTarget(url)]);
      try {
        await ran(a, "CREATE TABLE t (id bigint PRIMARY KEY)");
        // PostgreSQL does not know YugabyteDB's option.
        await rejects(
          () => a.copy(copyStatement({ name: "t" }, ["id"], { format: "csv", rowsPerTransaction: 10 })),
          (e) => e instanceof CopyError && e.code === "42601",
        );
        const half = (from: number) =>
          enc.encode(Array.from({ length: 50_000 }, (_, k) => `${from + k}\n`).join(""));
        const statement = copyStatement({ name: "t" }, ["id"], { format: "csv" });
        const [sa, sb] = await Promise.all([a.copy(statement), b.copy(statement)]);
        await Promise.all([writeInChunks(sa, half(0), 65536), writeInChunks(sb, half(50_000), 65536)]);
        deepStrictEqual(await Promise.all([sa.end(), sb.end()]), [50_000, 50_000]);
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        try {
          deepStrictEqual([...await sql`SELECT count(DISTINCT id)::int AS n FROM t`], [{ n: 100_000 }]);
        } finally {
          await sql.end();
        }
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  },
});

Deno.test({
  name:
    "copy: PGlite targets without an instance share one; an unreachable server is a ConnectionError 08001",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const [a, b] = await Promise.all([openCopyTarget("pglite"), openCopyTarget("pglite")]);
    try {
      await ran(a, "CREATE TABLE t (id int)");
      const sink = await b.copy(copyStatement({ name: "t" }, [], { format: "text" }));
      await sink.write(enc.encode("1\n2\n"));
      deepStrictEqual(await sink.end(), 2);
      await ran(a, "DO $$ BEGIN IF (SELECT count(*) FROM t) <> 2 THEN RAISE 'not shared'; END IF; END $$");
    } finally {
      await a.close();
      await b.close();
    }
    await rejects(
      () => openCopyTarget("postgres://postgres@127.0.0.1:1/nowhere"),
      (e) =>
        e instanceof ConnectionError && e.code === "08001" &&
        e.message.startsWith("cannot connect to 127.0.0.1:1/nowhere:"),
    );
    await rejects(() => openCopyTarget("mysql://x"), TypeError);
    ok(copyStatement({ name: "t" }, ["a"], { format: "csv" }).endsWith("FROM STDIN WITH (FORMAT csv)"));
  },
});

Deno.test({
  name: "copy: PGlite cuts its pieces between rows for other quote and escape characters and legacy options",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const db = await PGlite.create();
    const target = await openCopyTarget("pglite", { pglite: db, flushBytes: 256 });
    try {
      await ran(target, "CREATE TABLE t (id int PRIMARY KEY, a text)");
      const value = (i: number) => `it's ${i}, with 'quotes', \\ and\nnewlines\n`;
      // QUOTE ' and ESCAPE \: a quote inside is \', a backslash \\.
      const quoted = Array.from(
        { length: 300 },
        (_, k) => `${k},'${value(k).replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'\n`,
      ).join("");
      const sink = await target.copy(
        "COPY t (id, a) FROM STDIN WITH (FORMAT 'csv', QUOTE '''', ESCAPE E'\\\\', HEADER false)",
      );
      await writeInChunks(sink, enc.encode(quoted), 100);
      deepStrictEqual(await sink.end(), 300);
      const back = (await db.query<{ a: string }>("SELECT a FROM t ORDER BY id")).rows.map((r) => r.a);
      deepStrictEqual(back, Array.from({ length: 300 }, (_, k) => value(k)));

      // The pre-9.0 spelling, with a header line that every piece must skip.
      await ran(target, "TRUNCATE t");
      const legacy = await target.copy("COPY t FROM STDIN WITH CSV HEADER");
      await writeInChunks(
        legacy,
        enc.encode("id,a\n" + Array.from({ length: 300 }, (_, k) => `${k},"x\ny ${k}"\n`).join("")),
        64,
      );
      deepStrictEqual(await legacy.end(), 300);
      deepStrictEqual(
        (await db.query("SELECT count(*)::int AS n FROM t WHERE a LIKE E'x\\ny %'")).rows,
        [{ n: 300 }],
      );

      // A failure in a later piece: the error comes from write(), and the pieces before it stay.
      await ran(target, "TRUNCATE t");
      const late = await target.copy(copyStatement({ name: "t" }, ["id", "a"], { format: "text" }));
      const rows = Array.from({ length: 200 }, (_, k) => `${k % 150}\tv\n`).join("");
      await rejects(
        () => writeInChunks(late, enc.encode(rows), 50),
        (e) => e instanceof CopyError && e.code === "23505",
      );
      await rejects(() => late.end(), (e) => e instanceof CopyError && e.code === "23505");
      const kept = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM t")).rows[0]!.n;
      ok(kept > 0 && kept < 150, `${kept} rows of the pieces before the duplicate`);
    } finally {
      await target.close();
      await db.close();
    }
  },
});
