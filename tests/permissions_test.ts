/**
 * Every command under its narrowest Deno permission set: a real run of each
 * with exactly the permissions README's table names for it (and nothing
 * else: no --allow-net, --allow-env or --allow-run unless listed), the tasks
 * of deno.json granting what the table says a command's full use needs, and
 * README's table agreeing with this file's.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { type Run, runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";
import postgres from "postgres";

/**
 * Per command: the narrowest set for its basic use, what a wider use adds,
 * and the deno.json task (the set of its full use).
 */
const PERMISSIONS: Record<string, { narrowest: string; adds: string; task: string }> = {
  generate: {
    narrowest: "--allow-read --allow-write",
    adds: "--allow-net=127.0.0.1 for --metrics-port",
    task: "--allow-read --allow-write",
  },
  configs: { narrowest: "--allow-read", adds: "", task: "--allow-read" },
  grammars: { narrowest: "--allow-read", adds: "", task: "--allow-read" },
  ddl: { narrowest: "--allow-read --allow-write", adds: "", task: "--allow-read --allow-write" },
  coverage: { narrowest: "--allow-read", adds: "", task: "--allow-read" },
  validate: {
    narrowest: "--allow-read",
    adds: "--allow-net --allow-env for --db URL",
    task: "--allow-read --allow-net --allow-env",
  },
  run: {
    narrowest: "--allow-read",
    adds: "--allow-net --allow-env for --db URL",
    task: "--allow-read --allow-net --allow-env",
  },
  compare: {
    narrowest: "--allow-read",
    adds: "--allow-net --allow-env for --a/--b URL",
    task: "--allow-read --allow-net --allow-env",
  },
  oracle: {
    narrowest: "--allow-read",
    adds: "--allow-net --allow-env for --db URL",
    task: "--allow-read --allow-net --allow-env",
  },
  data: {
    narrowest: "--allow-read --allow-write",
    adds: "--allow-net --allow-env for load --db URL and --from-db",
    task: "--allow-read --allow-write --allow-net --allow-env",
  },
  events: {
    narrowest: "--allow-read --allow-env",
    adds: "--allow-net for --db URL",
    task: "--allow-read --allow-net --allow-env",
  },
  workload: {
    narrowest: "--allow-read",
    adds: "--allow-write for --report FILE, --allow-net --allow-env for --db URL",
    task: "--allow-read --allow-write --allow-net --allow-env",
  },
  introspect: {
    narrowest: "--allow-read --allow-net --allow-env",
    adds: "--allow-write for --output FILE",
    task: "--allow-read --allow-write --allow-net --allow-env",
  },
};

/** Runs `quarry ARGS` with exactly `permissions`, never prompting. */
function under(permissions: string[], ...args: string[]): Promise<Run> {
  return runCli(args, { permissions: ["--no-prompt", ...permissions] });
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "quarry-permissions-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertOk(r: Run, what: string) {
  deepStrictEqual(r.code, 0, `${what}: ${r.stderr}`);
  ok(!/NotCapable|Requires \w+ access/.test(r.stderr), `${what} asked for a permission: ${r.stderr}`);
}

Deno.test("permissions: generate --output-dir --metrics-file runs with --allow-read and writes only to its folder", async () => {
  await withDir(async (dir) => {
    const r = await under(
      ["--allow-read", `--allow-write=${dir}`],
      "generate",
      "--seed",
      "1",
      "-n",
      "60k",
      "--workers",
      "2",
      "--output-dir",
      join(dir, "out"),
      "--checkpoint-every",
      "10k",
      "--metrics-file",
      join(dir, "m.jsonl"),
      "--metrics-interval",
      "100ms",
    );
    assertOk(r, "generate");
    ok(Deno.statSync(join(dir, "out", "manifest.json")).isFile);
    ok(Deno.readTextFileSync(join(dir, "m.jsonl")).includes('"kind":"final"'));
    // Without write access the folder is refused in one line, exit 3.
    const denied = await under(["--allow-read"], "generate", "-n", "10", "--output-dir", join(dir, "other"));
    deepStrictEqual(denied.code, 3, denied.stderr);
    match(denied.stderr, /^quarry: error: cannot create output directory ".*other": Requires write access/m);
  });
});

Deno.test("permissions: generate --metrics-port needs --allow-net=127.0.0.1, says so, and works with it", async () => {
  const without = await under(
    ["--allow-read", "--allow-write"],
    "generate",
    "-n",
    "10",
    "--metrics-port",
    "0",
  );
  deepStrictEqual([without.code, without.stdout], [2, ""]);
  match(
    without.stderr,
    /^quarry: error: --metrics-port needs network access to 127\.0\.0\.1.*--allow-net=127\.0\.0\.1/,
  );
  deepStrictEqual(without.stderr.trim().split("\n").length, 1);
  const granted = await under(
    ["--allow-read", "--allow-net=127.0.0.1"],
    "generate",
    "-n",
    "30k",
    "--seed",
    "1",
    "--metrics-port",
    "0",
  );
  assertOk(granted, "generate --metrics-port");
  match(granted.stderr, /quarry: metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
  deepStrictEqual(granted.stdout.split("\n").length - 1, 30_000);
});

Deno.test("permissions: the commands without a database, each under its narrowest set", async () => {
  await withDir(async (dir) => {
    const sql = join(dir, "s.sql");
    Deno.writeTextFileSync(sql, "SELECT 1;\nSELECT 2;\n");
    const cases: [string, string[], string[]][] = [
      ["configs", ["--allow-read"], ["configs", "list"]],
      ["grammars", ["--allow-read"], ["grammars", "list"]],
      ["ddl", ["--allow-read", `--allow-write=${dir}`], [
        "ddl",
        "--tables",
        "2",
        "--schema-out",
        join(dir, "s.json"),
      ]],
      ["coverage", ["--allow-read"], ["coverage", sql]],
      ["validate", ["--allow-read"], ["validate", sql]],
      ["run", ["--allow-read"], ["run", "--db", "pglite", "-n", "100", "--seed", "1"]],
      ["compare", ["--allow-read"], ["compare", "--a", "pglite", "--b", "pglite", "-n", "20", "--seed", "1"]],
      ["oracle", ["--allow-read"], ["oracle", "--db", "pglite", "-n", "20", "--seed", "1"]],
      ["data", ["--allow-read", `--allow-write=${dir}`], [
        "data",
        "--spec",
        "ecommerce",
        "--rows",
        "10",
        "-o",
        join(dir, "d"),
      ]],
      [
        "events",
        ["--allow-read", "--allow-env"],
        [
          "events",
          "--db",
          "pglite",
          "--num-iterations",
          "50",
          "--setup",
          "tests/fixtures/events_trading.sql",
        ],
      ],
      ["workload", ["--allow-read"], [
        "workload",
        "run",
        "--pattern",
        "oltp",
        "--duration",
        "1",
        "--scale",
        "0.01",
      ]],
    ];
    for (const [command, permissions, args] of cases) {
      deepStrictEqual(
        permissions.map((p) => p.replace(/=.*/, "")).join(" "),
        PERMISSIONS[command]!.narrowest,
      );
      assertOk(await under(permissions, ...args), command);
    }
  });
});

Deno.test("permissions: introspect reads a server with --allow-read --allow-net --allow-env", async () => {
  await withTempDatabase(async (url) => {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe("CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL)");
    } finally {
      await sql.end();
    }
    const r = await under(
      ["--allow-read", "--allow-net=127.0.0.1:5432", "--allow-env"],
      "introspect",
      "--db",
      url,
    );
    assertOk(r, "introspect");
    match(r.stdout, /"accounts"/);
    ok(JSON.parse(r.stdout), "schema JSON on stdout");
  });
});

Deno.test("permissions: deno.json's tasks and README's table say what this file does", async () => {
  const tasks = (JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))) as {
    tasks: Record<string, string>;
  }).tasks;
  for (const [command, p] of Object.entries(PERMISSIONS)) {
    deepStrictEqual(tasks[command], `deno run ${p.task} cli/main.ts ${command}`, `task ${command}`);
  }
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  for (const [command, p] of Object.entries(PERMISSIONS)) {
    const row = new RegExp(`^\\| \`${command}\` +\\| \`${p.narrowest}\` +\\| ([^|]*?) +\\|$`, "m").exec(
      readme,
    );
    ok(row, `README's permissions table has no row for ${command} with ${p.narrowest}`);
    deepStrictEqual(row[1]!.replaceAll("`", ""), p.adds || "nothing", command);
  }
});
