import { deepStrictEqual, match, ok } from "node:assert/strict";
import { withTempDatabase } from "./_database.ts";
import { main, type Run, runCli } from "./_cli.ts";

const dec = new TextDecoder();

/** Runs the CLI as a user would, with the permissions its task grants. */
const quarry = (...args: string[]): Promise<Run> => runCli(args);

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.length > 0);
}

/** One error line, naming the problem, and no stack trace. */
function assertUsageError(r: Run, pattern: RegExp) {
  deepStrictEqual(r.code, 2, r.stderr);
  deepStrictEqual(r.stdout, "");
  deepStrictEqual(lines(r.stderr).length, 1, r.stderr);
  match(r.stderr, /^quarry: error: /);
  match(r.stderr, pattern);
  ok(!/\n\s+at /.test(r.stderr), "stack trace printed");
}

Deno.test("generate prints N statements ending in ';' and the effective seed on stderr", async () => {
  const r = await quarry("generate", "--count", "25", "--seed", "42");
  deepStrictEqual(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  deepStrictEqual(out.length, 25);
  for (const l of out) match(l, /^(SELECT|INSERT|UPDATE|DELETE) .*;$/);
  match(r.stderr, /^quarry: seed [0-9a-f]{64}\n$/);
});

Deno.test("without --seed a fresh 256-bit seed is drawn, printed, and reproduces the run", async () => {
  const a = await quarry("generate", "-n", "30");
  const seed = /seed ([0-9a-f]{64})/.exec(a.stderr)![1]!;
  const b = await quarry("generate", "-n", "30", "--seed", seed);
  deepStrictEqual(b.stdout, a.stdout);
  const c = await quarry("generate", "-n", "30");
  ok(c.stdout !== a.stdout, "two unseeded runs were equal");
});

Deno.test("the same seed gives byte-identical output for 1 and 2 workers", async () => {
  const one = await quarry("generate", "-n", "60k", "--seed", "7", "--workers", "1");
  const two = await quarry("generate", "-n", "60k", "--seed", "7", "--workers", "2");
  deepStrictEqual(one.code, 0, one.stderr);
  deepStrictEqual(lines(one.stdout).length, 60000);
  ok(one.stdout === two.stdout, "outputs differ between worker counts");
});

Deno.test("--at I prints exactly line I of a full run; --start shifts the run", async () => {
  const full = lines((await quarry("generate", "-n", "40000", "--seed", "99", "-w", "2")).stdout);
  for (const i of [0, 12345, 39999]) {
    const at = await quarry("generate", "--seed", "99", "--at", String(i));
    deepStrictEqual(lines(at.stdout), [full[i]]);
  }
  const tail = await quarry("generate", "--seed", "99", "--start", "39990", "-n", "10");
  deepStrictEqual(lines(tail.stdout), full.slice(39990));
});

Deno.test("bad flags give one clear line and exit code 2", async () => {
  assertUsageError(await quarry("generate", "--grammar", "nope"), /unknown grammar "nope".*dml_unique/);
  assertUsageError(await quarry("generate", "--count=-5"), /--count must be a whole number/);
  assertUsageError(await quarry("generate", "--count", "-5"), /--count takes no negative values \(got -5\)/);
  assertUsageError(await quarry("generate", "-n", "-5"), /--count takes no negative values/);
  assertUsageError(await quarry("generate", "--count", "many"), /--count must be a whole number/);
  assertUsageError(
    await quarry("generate", "--schema", "/nonexistent/schema.json"),
    /cannot read schema file/,
  );
  assertUsageError(await quarry("generate", "--bogus"), /Unknown option '--bogus'/);
  assertUsageError(await quarry("generate", "--seed", "xyz"), /seed "xyz" must be 64 hex digits/);
  assertUsageError(await quarry("generate", "--workers", "0"), /--workers must be from 1 to 256/);
  assertUsageError(await quarry("generate", "--at", "3", "--count", "4"), /cannot be combined/);
  assertUsageError(await quarry("frobnicate"), /unknown command "frobnicate"/);
});

Deno.test("a malformed schema file is reported with the JSON path of the problem", async () => {
  assertUsageError(
    await quarry("generate", "--schema", "tests/fixtures/bad_schema.json"),
    /bad_schema\.json.*\$\.tables\[0\]\.columns\[1\]\.type: unsupported type "varchr\(10\)"/,
  );
});

Deno.test("an invalid grammar file is reported with its file, rule and reason", async () => {
  assertUsageError(
    await quarry("generate", "--grammar", "tests/fixtures/broken_grammar.ts"),
    /grammar "broken" \(tests\/fixtures\/broken_grammar\.ts\), rule "query": refers to undefined rule "exprr"/,
  );
});

Deno.test("a user grammar module generates, and is unique by construction", async () => {
  const r = await quarry(
    "generate",
    "-g",
    "tests/fixtures/tiny_grammar.ts",
    "-n",
    "200",
    "--seed",
    "1",
    "--stats",
  );
  deepStrictEqual(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  deepStrictEqual(out.length, 200);
  deepStrictEqual(new Set(out).size, 200);
  const stats = JSON.parse(lines(r.stderr)[1]!);
  deepStrictEqual([stats.grammar, stats.statements, stats.uniqueByConstruction], ["tiny", 200, true]);
});

Deno.test("--output writes the file atomically and leaves nothing behind on failure", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/out.sql`;
    const r = await quarry("generate", "-n", "30k", "--seed", "3", "-o", target);
    deepStrictEqual(r.code, 0, r.stderr);
    deepStrictEqual(lines(await Deno.readTextFile(target)).length, 30000);
    // A grammar that fails mid-run (statement too long) must not replace the file.
    const grammarFile = `${dir}/fails.ts`;
    await Deno.writeTextFile(
      grammarFile,
      `import { choice, grammar, repeat } from "quarry";\n` +
        `export default grammar("fails", { maxStatementBytes: 4096 })` +
        `.rule("q", choice([5000, "SELECT 1"], [1, repeat("x", 5000, 5000)]));\n`,
    );
    const before = await Deno.readTextFile(target);
    const f = await quarry("generate", "-g", grammarFile, "-n", "100k", "--seed", "3", "-o", target);
    deepStrictEqual(f.code, 3, f.stderr);
    match(f.stderr, /exceeds 4096 bytes/);
    deepStrictEqual(await Deno.readTextFile(target), before);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    deepStrictEqual(left, ["fails.ts", "out.sql"]);
    // A device is written in place, never replaced by a renamed file.
    const dev = await quarry("generate", "-n", "100", "-o", "/dev/null");
    deepStrictEqual(dev.code, 0, dev.stderr);
    deepStrictEqual(Deno.statSync("/dev/null").isCharDevice, true);
    // An unwritable destination is a runtime failure, exit code 3.
    const w = await quarry("generate", "-n", "5", "-o", `${dir}/missing/out.sql`);
    deepStrictEqual(w.code, 3, w.stderr);
    match(w.stderr, /cannot write output file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Ctrl-C stops a long run with exit code 130 and removes the partial output file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", main, "generate", "-n", "1B", "-o", `${dir}/out.sql`],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the temporary file is being written, then interrupt.
    for (let i = 0; i < 200 && [...Deno.readDirSync(dir)].length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const { code, stderr } = await child.output();
    deepStrictEqual(code, 130, dec.decode(stderr));
    match(dec.decode(stderr), /quarry: interrupted/);
    deepStrictEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--stats reports the seed, counts and rate as JSON", async () => {
  const r = await quarry("generate", "-n", "1000", "--seed", "5", "--stats");
  const stats = JSON.parse(lines(r.stderr)[1]!);
  deepStrictEqual(stats.statements, 1000);
  deepStrictEqual(stats.bytes, new TextEncoder().encode(r.stdout).length);
  deepStrictEqual(
    stats.seed,
    (await quarry("generate", "-n", "0", "--seed", "5")).stderr.trim().split(" ").pop(),
  );
  ok(stats.statementsPerSecond > 0);
});

Deno.test("grammars list and show describe the catalogue", async () => {
  const list = await quarry("grammars", "list");
  match(list.stdout, /^dml_unique\s+unique\s+Schema-aware/m);
  const show = await quarry("grammars", "show", "dml_unique", "--samples", "2");
  deepStrictEqual(show.code, 0, show.stderr);
  match(show.stdout, /unique by construction: yes/);
  match(show.stdout, /default --unique: {6}structural\n/);
  const workload = await quarry("grammars", "show", "select_workload", "--samples", "0");
  match(workload.stdout, /default --unique: {6}none \(its statements repeat/);
  match(show.stdout, /rules \(height\):\n( {2}\w+ \(\d+\)\n)* {2}query \(\d+\)\n/);
  deepStrictEqual(lines(show.stdout.split("samples (seed 0):")[1]!).length, 2);
  assertUsageError(await quarry("grammars", "show", "nope"), /unknown grammar "nope"/);
});

Deno.test("--help output matches the committed snapshot", async () => {
  for (
    const [args, file] of [
      [["--help"], "main_help.txt"],
      [["generate", "--help"], "generate_help.txt"],
      [
        ["grammars", "--help"],
        "grammars_help.txt",
      ],
      [["run", "--help"], "run_help.txt"],
      [["ddl", "--help"], "ddl_help.txt"],
      [["data", "--help"], "data_help.txt"],
      [["data", "load", "--help"], "data_load_help.txt"],
      [["data", "specs", "--help"], "data_specs_help.txt"],
      [["events", "--help"], "events_help.txt"],
    ] as const
  ) {
    const r = await quarry(...args);
    deepStrictEqual(r.code, 0);
    const snap = new URL(`snapshots/${file}`, import.meta.url);
    if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(snap, r.stdout);
    deepStrictEqual(
      r.stdout,
      await Deno.readTextFile(snap),
      `${file} changed; rerun with UPDATE_SNAPSHOTS=1`,
    );
  }
});

Deno.test({
  name: "generate --emit-setup | psql runs end to end on an empty database",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const cmd = `deno run --allow-read --allow-write '${main}' generate --emit-setup -n 3000 --seed 11 | ` +
        `psql -X -q -v ON_ERROR_STOP=0 '${url}' 2>&1 >/dev/null`;
      const out = await new Deno.Command("bash", { args: ["-o", "pipefail", "-c", cmd], stdout: "piped" })
        .output();
      deepStrictEqual(out.code, 0);
      const errors = dec.decode(out.stdout).split("\n").filter((l) => l.startsWith("psql:"));
      // Data-dependent failures (a deleted parent, a duplicate key) are expected; nothing else.
      for (const e of errors) match(e, /violates (foreign key|unique) constraint|is still referenced/);
      ok(errors.length < 600, `${errors.length} statements failed`);
      const count = await new Deno.Command("psql", {
        args: [
          "-X",
          "-At",
          url,
          "-c",
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        ],
        stdout: "piped",
      }).output();
      deepStrictEqual(dec.decode(count.stdout).trim(), "5");
    });
  },
});

Deno.test("schema limits and bad ranges are usage errors naming the JSON path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const write = async (name: string, tables: unknown[]) => {
      await Deno.writeTextFile(`${dir}/${name}`, JSON.stringify({ name, tables }));
      return `${dir}/${name}`;
    };
    const long = await write("long.json", [{ name: "x".repeat(64), columns: [{ name: "id", type: "int" }] }]);
    assertUsageError(
      await quarry("generate", "--schema", long),
      /\$\.tables\[0\]\.name: name "x+" is longer than/,
    );
    const wide = await write("wide.json", [{
      name: "t",
      columns: Array.from({ length: 65 }, (_, i) => ({ name: `c${i}`, type: "int" })),
    }]);
    assertUsageError(
      await quarry("generate", "--schema", wide),
      /\$\.tables\[0\]\.columns: 65 columns; at most 64/,
    );
    const date = await write("date.json", [{
      name: "t",
      columns: [{ name: "d", type: "date", range: ["January 5, 2020", "2021-01-01"] }],
    }]);
    assertUsageError(
      await quarry("generate", "--schema", date),
      /\$\.tables\[0\]\.columns\[0\]\.range: expected ISO dates/,
    );
    assertUsageError(
      await quarry("grammars", "show", "dml_unique", "--schema", date),
      /\$\.tables\[0\]\.columns\[0\]\.range/,
    );
    const key = await write("key.json", [{
      name: "t",
      seedRows: 100000,
      columns: [{ name: "id", type: "smallint" }],
      primaryKey: ["id"],
    }]);
    assertUsageError(await quarry("generate", "--schema", key), /do not fit smallint; lower seedRows/);
    const weights = `${dir}/weights.ts`;
    await Deno.writeTextFile(
      weights,
      `import { choice, grammar } from "quarry";\nexport default grammar("w").rule("q", choice([0.0001, "SELECT 1"], [1.5, "SELECT 2"]));\n`,
    );
    assertUsageError(
      await quarry("generate", "-g", weights),
      /grammar "w" \(.*weights\.ts\), rule "q": choice weights must be at least 0\.001/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--unique: defaults by grammar, refusals before any work, stats report the filter", async () => {
  const builtIn = await quarry("generate", "-n", "100", "--seed", "1", "--stats");
  deepStrictEqual(JSON.parse(lines(builtIn.stderr)[1]!).unique.mode, "structural");
  const tiny = "tests/fixtures/tiny_grammar.ts";
  const dir = await Deno.makeTempDir();
  try {
    const repeating = `${dir}/repeating.ts`;
    await Deno.writeTextFile(
      repeating,
      `import { grammar, number, template } from "quarry";\n` +
        `export default grammar("repeating").rule("q", template("SELECT {n}", { n: number(1, 5000) }));\n`,
    );
    // 5,000 values for 4,000 statements: the filter replaces many repeats, and a few find nothing new.
    const r = await quarry("generate", "-g", repeating, "-n", "4000", "--seed", "1", "--stats");
    const out = lines(r.stdout);
    deepStrictEqual(new Set(out).size, out.length);
    const stats = JSON.parse(lines(r.stderr)[1]!).unique;
    deepStrictEqual([stats.mode, stats.rejected > 0, stats.memoryBytes > 0], ["bloom", true, true]);
    deepStrictEqual(out.length + stats.exhausted, 4000);
    // Short of --count: exit 3, saying so.
    deepStrictEqual(r.code, stats.exhausted > 0 ? 3 : 0, r.stderr);
    assertUsageError(
      await quarry("generate", "-g", repeating, "--unique", "structural"),
      /grammar "repeating" is not unique by construction/,
    );
    assertUsageError(
      await quarry("generate", "--unique", "maybe"),
      /--unique must be none, bloom, exact or structural/,
    );
    assertUsageError(
      await quarry("generate", "-g", tiny, "-n", "10B", "--unique", "bloom"),
      /needs \d+ MiB, over the 3 GiB/,
    );
    assertUsageError(
      await quarry("generate", "--unique", "bloom", "--fp-rate", "2"),
      /--fp-rate must be a number/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
