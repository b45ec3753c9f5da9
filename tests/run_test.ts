import { deepStrictEqual, match, ok } from "node:assert/strict";
import postgres from "postgres";
import { withTempDatabase } from "./_database.ts";
import { runStatements } from "../core/exec/run.ts";
import { postgresTarget } from "../core/exec/targets.ts";
import { main, root, runCli } from "./_cli.ts";

const dec = new TextDecoder();

/** Runs the CLI with the permissions `run` needs. */
const quarry = (...args: string[]) =>
  runCli(args, { permissions: ["--allow-read", "--allow-net=127.0.0.1", "--allow-env"] });

Deno.test("run on PGlite accounts for every statement, by class and SQLSTATE, with the rules behind each", async () => {
  const r = await quarry("run", "-n", "2000", "--seed", "3", "--json");
  deepStrictEqual(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  deepStrictEqual([s.grammar, s.database, s.statements], ["dml_unique", "PGlite", 2000]);
  deepStrictEqual(s.succeeded + s.failed, 2000);
  deepStrictEqual(Object.values(s.classes as Record<string, number>).reduce((a, b) => a + b, 0), s.failed);
  deepStrictEqual(s.codes.reduce((a: number, c: { count: number }) => a + c.count, 0), s.failed);
  ok(s.succeeded > 1500, `only ${s.succeeded} succeeded`);
  ok(s.latencyMs.p50 > 0 && s.latencyMs.p50 <= s.latencyMs.p95 && s.latencyMs.p95 <= s.latencyMs.p99);
  for (const c of s.codes) {
    match(c.verdict, /^expected\//, JSON.stringify(c));
    deepStrictEqual(c.rules[0], "query");
  }
});

Deno.test({
  name:
    "run on PostgreSQL: failed transactions are rolled back, bugs exit 1 naming their rule, no password shown",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const withPassword = url.replace("postgres://postgres@", "postgres://postgres:hunter2@");
      const r = await quarry(
        "run",
        "-g",
        "tests/fixtures/transaction_grammar.ts",
        "--db",
        withPassword,
        "-c",
        "2",
        "--pipeline",
        "3",
        "-n",
        "3000",
        "--seed",
        "5",
        "--setup",
        "none",
        "--schema",
        "default",
      );
      deepStrictEqual(r.code, 1, r.stderr);
      ok(!(r.stdout + r.stderr).includes("hunter2"), "password printed");
      match(r.stdout, /on 127\.0\.0\.1:5432\/quarry_test_\w+: 2 connection\(s\), pipeline 3/);
      match(r.stdout, /3000 statements in/);
      // Every failed transaction was rolled back: nothing ran in an aborted one (25P02).
      ok(!r.stdout.includes("25P02"), r.stdout);
      match(r.stdout, /22012 expected\/data ×\d+/);
      match(r.stdout, /42601 generator_bug ×\d+/);
      match(r.stdout, /rules: line/);
    });
  },
});

Deno.test("a server fault is a finding that names the seed and statement index that reproduce it", async () => {
  const r = await quarry(
    "run",
    "-g",
    "tests/fixtures/fault_grammar.ts",
    "-n",
    "400",
    "--seed",
    "9",
    "--json",
  );
  deepStrictEqual(r.code, 1, r.stderr);
  const s = JSON.parse(r.stdout);
  ok(s.findings.length > 0 && s.classes.server_fault === s.findings.length, JSON.stringify(s.classes));
  for (const f of s.findings) {
    deepStrictEqual(f.code, "XX000");
    // The index reproduces the statement.
    const again = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        main,
        "generate",
        "-g",
        "tests/fixtures/fault_grammar.ts",
        "--seed",
        "9",
        "--at",
        f.index,
      ],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "null",
    }).output();
    deepStrictEqual(dec.decode(again.stdout).trim(), `${f.sql};`);
  }
});

Deno.test({
  name: "a connection killed mid-run is counted and the run carries on",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const admin = postgres(url, { max: 1, onnotice: () => {} });
      const sessions = [postgresTarget(url), postgresTarget(url)];
      let n = 0;
      try {
        const summary = await runStatements({
          statements: (_first, count) =>
            Array.from({ length: count }, () => `SELECT ${n++}, pg_sleep(0.001)`),
          count: 3000n,
          sessions,
          family: "postgres",
          onTick: () => {
            // Kill every other session of the database once, a little into the run.
            if (n > 300 && n < 2000) {
              admin.unsafe(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()",
              ).catch(() => {});
              n = 2000;
            }
          },
        });
        deepStrictEqual(summary.statements, 3000);
        ok(summary.reconnects >= 1, JSON.stringify(summary));
        ok(summary.succeeded >= 2990, JSON.stringify(summary));
        deepStrictEqual(summary.classes.connection, summary.reconnects);
        deepStrictEqual(summary.findings, []);
      } finally {
        await Promise.all(sessions.map((s) => s.close()));
        await admin.end();
      }
    });
  },
});

Deno.test("run: an unreachable server exits 3 naming host and port, never the password", async () => {
  const r = await quarry(
    "run",
    "--db",
    "postgres://u:sekret@127.0.0.1:1/nope",
    "-n",
    "10",
    "--setup",
    "default",
  );
  deepStrictEqual(r.code, 3, r.stderr);
  match(r.stderr, /127\.0\.0\.1:1\/nope/);
  ok(!r.stderr.includes("sekret"));
});

Deno.test("run: conflicting or bad options are usage errors", async () => {
  const gated = await Deno.makeTempFile({ suffix: ".json" });
  await Deno.writeTextFile(
    gated,
    JSON.stringify({ tables: [{ name: "t", columns: [{ name: "r", type: "int4multirange" }] }] }),
  );
  for (
    const [args, pattern] of [
      [["-n", "10", "--duration", "5"], /--count or --duration/],
      [["--duration", "soon"], /--duration must be seconds/],
      [["--setup", "maybe"], /--setup must be default, ddl-seed or none/],
      [["-c", "3"], /PGlite takes one connection/],
      [["--db", "mysql://x"], /--db must be "pglite" or a URL/],
      [["-s", gated, "--dialect", "yugabyte@2.20"], /the schema uses what yugabyte@2\.20 lacks: multirange/],
    ] as const
  ) {
    const r = await quarry("run", ...args);
    deepStrictEqual(r.code, 2, `${args}: ${r.stderr}`);
    match(r.stderr, pattern);
  }
  await Deno.remove(gated);
});
