/**
 * `quarry compare` and `quarry oracle` at the command line: their help
 * (snapshots), and bad input that ends in one clear line and exit 2 or 3.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join } from "node:path";
import postgres from "postgres";
import { runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";
import { COMPARE_HELP } from "../cli/commands/compare.ts";
import { ORACLE_HELP } from "../cli/commands/oracle.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net=127.0.0.1", "--allow-env"];

Deno.test("compare and oracle: --help matches the snapshots", async () => {
  for (
    const [text, file] of [[COMPARE_HELP, "compare_help.txt"], [ORACLE_HELP, "oracle_help.txt"]] as const
  ) {
    const snap = new URL(`snapshots/${file}`, import.meta.url);
    if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(snap, `${text}\n`);
    deepStrictEqual(
      `${text}\n`,
      await Deno.readTextFile(snap),
      `${file} changed; rerun with UPDATE_SNAPSHOTS=1`,
    );
  }
});

/** The stderr lines that say what went wrong. */
function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("quarry: error:"));
}

Deno.test("compare: an unreachable database is one line and exit 3", async () => {
  const r = await runCli([
    "compare",
    "--a",
    "postgres://postgres@127.0.0.1:1/none",
    "--b",
    "pglite",
    "-n",
    "5",
  ], {
    permissions: PERMISSIONS,
  });
  deepStrictEqual(r.code, 3, r.stderr);
  deepStrictEqual(errorLines(r.stderr).length, 1, r.stderr);
  match(r.stderr, /cannot connect to 127\.0\.0\.1:1\/none \(--a\)/);
});

Deno.test("compare: a malformed allowlist is one line at file:line and exit 2", async () => {
  const dir = await Deno.makeTempDir({ prefix: "quarry-allowlist-" });
  try {
    const file = join(dir, "accepted.txt");
    await Deno.writeTextFile(file, "# accepted\nresult:8a1f03c2d4e5b6a7\nthis is not a key\n");
    const r = await runCli(["compare", "--a", "pglite", "--b", "pglite", "--allowlist", file], {
      permissions: PERMISSIONS,
    });
    deepStrictEqual(r.code, 2, r.stderr);
    deepStrictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
    match(r.stderr, /accepted\.txt:3: "this is not a key" is not a finding key/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "compare: two databases with different tables under --setup none is one line and exit 2",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase((a) =>
      withTempDatabase(async (b) => {
        for (
          const [url, ddl] of [[a, "CREATE TABLE t (id bigint PRIMARY KEY, v text)"], [
            b,
            "CREATE TABLE t (id bigint PRIMARY KEY, v integer)",
          ]]
        ) {
          const sql = postgres(url!, { max: 1, onnotice: () => {} });
          await sql.unsafe(ddl!);
          await sql.end();
        }
        const r = await runCli(["compare", "--a", a, "--b", b, "--setup", "none", "-n", "5"], {
          permissions: PERMISSIONS,
        });
        deepStrictEqual(r.code, 2, r.stderr);
        deepStrictEqual(errorLines(r.stderr).length, 1, r.stderr);
        match(r.stderr, /tables differ .*t\.v (text|integer)/);
      })
    );
  },
});

Deno.test("oracle: an unknown --kind is one line and exit 2", async () => {
  const r = await runCli(["oracle", "--kind", "pqs"], { permissions: PERMISSIONS });
  deepStrictEqual(r.code, 2, r.stderr);
  ok(r.stderr.includes("--kind must be tlp, norec or both"), r.stderr);
});
