import { deepStrictEqual, match, ok } from "node:assert/strict";
import postgres from "postgres";
import { pgliteTarget, postgresTarget } from "../core/exec/targets.ts";
import { type Finding, statementLines, validateStatements } from "../core/exec/validate.ts";
import { withTempDatabase } from "./_database.ts";
import { type Run, runCli } from "./_cli.ts";

const perms = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];

/** Runs the CLI as a user would; `stdin` is piped in when given. */
const quarry = (args: string[], stdin?: string): Promise<Run> =>
  runCli(args, stdin === undefined ? { permissions: perms } : { permissions: perms, stdin });

/** Writes `text` to a file in a fresh folder, passes its path to `fn`, then removes the folder. */
async function withFile<T>(text: string, fn: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/statements.sql`, text);
    return await fn(`${dir}/statements.sql`, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a file with one bad statement exits 1 and names its line, counting blank and comment lines", async () => {
  const text = "SELECT 1;\n\n-- a comment\nSELEC 2;\nSELECT 3;\n";
  await withFile(text, async (file) => {
    const r = await quarry(["validate", file]);
    deepStrictEqual(r.code, 1, r.stderr);
    deepStrictEqual(r.stdout, `${file}:4: generator_bug syntax: syntax error at or near "SELEC"\n`);
    deepStrictEqual(
      r.stderr,
      "quarry: 3 statements (parsed only; --db also runs them): 2 ok, 1 generator_bug; 1 failing\n",
    );
  });
});

Deno.test("generated statements pass, from a file and from standard input", async () => {
  const gen = await quarry(["generate", "-n", "300", "--seed", "42"]);
  deepStrictEqual(gen.code, 0, gen.stderr);
  const piped = await quarry(["validate", "-"], gen.stdout);
  deepStrictEqual([piped.code, piped.stdout], [0, ""], piped.stderr);
  match(piped.stderr, /^quarry: 300 statements \(parsed only; --db also runs them\): 300 ok; 0 failing\n$/);
  // Two statements on one line break the one-a-line format, even though each parses.
  const r = await quarry(["validate", "-"], gen.stdout + "SELECT 1; SELECT 2;\n");
  deepStrictEqual(r.code, 1);
  deepStrictEqual(
    r.stdout,
    "<stdin>:301: generator_bug syntax: 2 statements on one line; the format is one statement a line\n",
  );
});

Deno.test({
  name:
    "validate --db runs statements rolled back: the table is unchanged, bugs fail, expected errors do not",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe("CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL)");
        await sql.unsafe("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
        const before = await sql.unsafe("SELECT * FROM t ORDER BY id");
        const text = [
          "DELETE FROM t;",
          "UPDATE t SET v = 'changed';",
          "INSERT INTO t VALUES (3, 'c');",
          "BEGIN;",
          "INSERT INTO t VALUES (1, 'duplicate');",
          "SELECT nope FROM t;",
          "COMMIT;",
          "TRUNCATE t;",
          "DROP TABLE t;",
          "SELECT 1 / 0;",
        ].join("\n") + "\n";
        await withFile(text, async (file) => {
          const r = await quarry(["validate", "--db", url, file]);
          deepStrictEqual(r.code, 1, r.stderr);
          deepStrictEqual(r.stdout, `${file}:6: generator_bug 42703: column "nope" does not exist\n`);
          deepStrictEqual(
            r.stderr,
            "quarry: 10 statements: 5 ok, 1 expected/integrity, 1 generator_bug, 1 expected/data, " +
              "2 skipped; 1 failing\n",
          );
          // --fail-on makes the expected errors failures too, printed in file order.
          const strict = await quarry(["validate", "--db", url, "--fail-on", "integrity,data", file]);
          deepStrictEqual(strict.code, 1);
          deepStrictEqual(strict.stdout.split("\n").map((l) => l.split(": ")[1]), [
            "expected/integrity 23505",
            "generator_bug 42703",
            "expected/data 22012",
            undefined,
          ]);
        });
        deepStrictEqual(await sql.unsafe("SELECT * FROM t ORDER BY id"), before);
      } finally {
        await sql.end();
      }
    });
  },
});

Deno.test({
  name: "generated dml_unique statements pass validate --db on PostgreSQL and on PGlite with --setup",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const gen = await quarry(["generate", "-n", "300", "--seed", "42"]);
    const setup = (await quarry(["generate", "--emit-setup", "-n", "0"])).stdout;
    await withFile(gen.stdout, async (file, dir) => {
      await withTempDatabase(async (url) => {
        const pg = postgresTarget(url);
        for await (const { sql } of statementLines([setup])) {
          deepStrictEqual((await pg.run(sql)).ok, true, sql);
        }
        await pg.close();
        const r = await quarry(["validate", "--db", url, file]);
        deepStrictEqual([r.code, r.stdout], [0, ""], r.stderr);
        match(r.stderr, /^quarry: 300 statements: \d+ ok(, \d+ expected\/\w+)*; 0 failing\n$/);
      });
      await Deno.writeTextFile(`${dir}/setup.sql`, setup);
      const lite = await quarry(["validate", "--db", "pglite", "--setup", `${dir}/setup.sql`, file]);
      deepStrictEqual([lite.code, lite.stdout], [0, ""], lite.stderr);
      // Without the schema every statement names a missing table: a generator bug.
      const bare = await quarry(["validate", "--db", "pglite", file]);
      deepStrictEqual(bare.code, 1);
      match(bare.stdout, /^[^\n]*statements\.sql:1: generator_bug 42P01: relation "\w+" does not exist\n/);
    });
  },
});

Deno.test("an unreachable database is one line naming host and port, never the password, exit 3", async () => {
  await withFile("SELECT 1;\n", async (file) => {
    const r = await quarry(["validate", "--db", "postgres://postgres:hunter2@127.0.0.1:1/nowhere", file]);
    deepStrictEqual([r.code, r.stdout], [3, ""]);
    match(r.stderr, /^quarry: error: cannot connect to 127\.0\.0\.1:1\/nowhere: 08001 /);
    ok(!r.stderr.includes("hunter2"));
    deepStrictEqual(r.stderr.trim().split("\n").length, 1);
  });
});

Deno.test({
  name: "a connection lost mid-run stops with exit 3, naming the line",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      // The statement ends its own session: 57P01, as when the server restarts.
      await withFile(
        "SELECT 1;\nSELECT pg_terminate_backend(pg_backend_pid());\nSELECT 2;\n",
        async (file) => {
          const r = await quarry(["validate", "--db", url, file]);
          deepStrictEqual([r.code, r.stdout], [3, ""], r.stderr);
          match(
            r.stderr,
            /^quarry: error: lost the connection to 127\.0\.0\.1:5432\/quarry_test_\w+ at \S+:2: (08006|57P01) /,
          );
        },
      );
    });
  },
});

Deno.test("usage errors exit 2 with one line naming the problem", async () => {
  const cases: [string[], RegExp][] = [
    [["validate"], /validate needs a FILE/],
    [["validate", "/nonexistent/x.sql"], /cannot read "\/nonexistent\/x\.sql": No such file/],
    [["validate", "tests"], /"tests" is a folder/],
    [["validate", "--fail-on", "oops", "x.sql"], /--fail-on takes "expected" or some of data, integrity/],
    [["validate", "--db", "mysql://x", "x.sql"], /--db must be "pglite" or a URL/],
    [["validate", "--setup", "s.sql", "x.sql"], /--setup loads only an embedded --db pglite/],
    [["validate", "a.sql", "b.sql"], /unexpected argument "b\.sql"/],
  ];
  for (const [args, pattern] of cases) {
    const r = await quarry(args);
    deepStrictEqual([r.code, r.stdout], [2, ""], r.stderr);
    match(r.stderr, /^quarry: error: /);
    match(r.stderr, pattern);
    deepStrictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
  }
  await withFile("SELEC 1;\n", async (file) => {
    const r = await quarry(["validate", "--db", "pglite", "--setup", file, file]);
    deepStrictEqual(r.code, 2);
    match(r.stderr, /^quarry: error: setup \S+statements\.sql:1 failed: 42601 syntax error/);
  });
});

Deno.test({
  name: "validateStatements on PGlite: transaction control is skipped, findings carry line and SQLSTATE",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const lite = await pgliteTarget();
    try {
      deepStrictEqual((await lite.run("CREATE TABLE t (id int PRIMARY KEY)")).ok, true);
      const findings: Finding[] = [];
      const text = "INSERT INTO t VALUES (1);\nCOMMIT;\nINSERT INTO t VALUES (1), (1);\nVACUUM t;\n";
      const summary = await validateStatements(statementLines([text]), {
        target: lite,
        onFinding: (f) => findings.push(f),
      });
      deepStrictEqual(summary, {
        statements: 4,
        ok: 1,
        skipped: 1,
        errors: { "expected/integrity": 1, runner_bug: 1 },
        failing: 1,
      });
      deepStrictEqual(findings.map((f) => [f.line, f.label, f.code, f.failing]), [
        [3, "expected/integrity", "23505", false],
        [4, "runner_bug", "25001", true],
      ]);
      // The first INSERT was rolled back.
      deepStrictEqual(await lite.runRolledBack("INSERT INTO t VALUES (1)"), { ok: true });
    } finally {
      await lite.close();
    }
  },
});

Deno.test("--help output matches the committed snapshot", async () => {
  const r = await quarry(["validate", "--help"]);
  deepStrictEqual(r.code, 0);
  const snap = new URL("snapshots/validate_help.txt", import.meta.url);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(snap, r.stdout);
  deepStrictEqual(
    r.stdout,
    await Deno.readTextFile(snap),
    "validate_help.txt changed; rerun with UPDATE_SNAPSHOTS=1",
  );
});
