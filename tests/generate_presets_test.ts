/**
 * `generate --config` and `--shard`, and `quarry configs`, end to end: real
 * CLI runs in child processes with generate's permissions (`--allow-read
 * --allow-write`, no `--allow-env`), their output compared byte for byte.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { type Run, runCli } from "./_cli.ts";

const quarry = (...args: string[]): Promise<Run> => runCli(args);

function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.length > 0);
}

/** One error line, exit 2, nothing on stdout. */
function assertUsageError(r: Run, pattern: RegExp) {
  deepStrictEqual(r.code, 2, r.stderr);
  deepStrictEqual(r.stdout, "");
  deepStrictEqual(lines(r.stderr).length, 1, r.stderr);
  match(r.stderr, /^quarry: error: /);
  match(r.stderr, pattern);
}

/** Like cmp(1): throws naming the first byte and line where `a` and `b` differ, or the shorter one. */
function assertSameBytes(a: Uint8Array, b: Uint8Array, what: string) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return;
  if (i === n) {
    throw new Error(`${what}: EOF on the ${a.length < b.length ? "first" : "second"} after byte ${n}`);
  }
  const line = a.subarray(0, i).filter((c) => c === 10).length + 1;
  throw new Error(`${what}: differ: byte ${i + 1}, line ${line}`);
}

/** Runs generate into a file of `dir`; returns its bytes and the run. */
async function generateTo(dir: string, name: string, ...args: string[]): Promise<[Uint8Array, Run]> {
  const path = join(dir, name);
  const r = await quarry("generate", ...args, "--output", path);
  deepStrictEqual(r.code, 0, r.stderr);
  return [await Deno.readFile(path), r];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Runs `generate ARGS --shard k/N` for every k as N processes at once (as the
 * pods of an Indexed Job would run), checks each one's range line on stderr,
 * and returns their outputs concatenated in shard order.
 */
async function shards(dir: string, n: number, count: number, ...args: string[]): Promise<Uint8Array> {
  const runs = await Promise.all(
    Array.from({ length: n }, (_, k) => generateTo(dir, `shard${k}.sql`, ...args, "--shard", `${k}/${n}`)),
  );
  runs.forEach(([, r], k) => {
    const from = Math.floor((k * count) / n), to = Math.floor(((k + 1) * count) / n);
    match(
      r.stderr,
      new RegExp(`\\nquarry: shard ${k}/${n}: statements \\[${from}, ${to}\\) of \\[0, ${count}\\)\\n`),
    );
  });
  return concat(runs.map(([bytes]) => bytes));
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "quarry-presets-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("generate --config test gives the same 10,000 statements every time: seed 42's", async () => {
  await withDir(async (dir) => {
    const [a, ra] = await generateTo(dir, "a.sql", "--config", "test");
    const [b] = await generateTo(dir, "b.sql", "--config", "test");
    const [plain] = await generateTo(dir, "plain.sql", "--count", "10000", "--seed", "42");
    assertSameBytes(a, b, "two runs of --config test");
    assertSameBytes(a, plain, "--config test and --count 10000 --seed 42");
    deepStrictEqual(lines(new TextDecoder().decode(a)).length, 10000);
    match(ra.stderr, /^quarry: seed [0-9a-f]{64}\n$/);
  });
});

Deno.test("generate --config: flags override its keys", async () => {
  await withDir(async (dir) => {
    const [test] = await generateTo(dir, "test.sql", "--config", "test");
    const [more, r] = await generateTo(
      dir,
      "more.sql",
      ...["--config", "test", "--count", "50000", "--workers", "2", "--unique", "none", "--stats"],
    );
    const stats = JSON.parse(lines(r.stderr).at(-1)!);
    deepStrictEqual(
      [stats.config, stats.statements, stats.workers, stats.unique.mode, stats.seed],
      ["test", 50000, 2, "none", /seed ([0-9a-f]{64})/.exec(r.stderr)![1]],
    );
    // Statement i depends only on i: the first 10,000 are the preset's own.
    assertSameBytes(more.subarray(0, test.length), test, "the first 10,000 of 50,000");
    deepStrictEqual(more[test.length - 1], 10);
  });
});

Deno.test("generate --config performance writes nothing and prints the JSON summary", async () => {
  const r = await quarry("generate", "--config", "performance", "--count", "30000");
  deepStrictEqual(r.code, 0, r.stderr);
  deepStrictEqual(r.stdout, "");
  const stats = JSON.parse(lines(r.stderr).at(-1)!);
  deepStrictEqual([stats.config, stats.statements, stats.unique.mode], ["performance", 30000, "structural"]);
  ok(stats.bytes > 1_000_000 && stats.statementsPerSecond > 0, r.stderr);
});

Deno.test("generate --config FILE reads a YAML file of the same keys", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "run.yaml");
    await Deno.writeTextFile(file, "grammars: { dml_yugabyte: 1 }\ncount: 7\nseed: 3\nworkers: auto\n");
    const r = await quarry("generate", "--config", file);
    deepStrictEqual(r.code, 0, r.stderr);
    const same = await quarry("generate", "--grammar", "dml_yugabyte", "--count", "7", "--seed", "3");
    deepStrictEqual(r.stdout, same.stdout);
    deepStrictEqual(lines(r.stdout).length, 7);
  });
});

Deno.test("generate --config: a bad preset, key or value is one line, exit 2", async () => {
  assertUsageError(
    await quarry("generate", "--config", "tset"),
    /unknown preset "tset" \(did you mean "test"\?\); the presets are billion, minimal, performance, test, yugabyte/,
  );
  await withDir(async (dir) => {
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(join(dir, name), text);
      return join(dir, name);
    };
    const key = await write("key.yaml", "grammar: dml_unique\ncuont: 5\n");
    assertUsageError(
      await quarry("generate", "--config", key),
      new RegExp(
        `^quarry: error: ${key}:2:1: cuont: unknown key "cuont" for a generate config \\(did you mean "count"\\?\\)\n$`,
      ),
    );
    const type = await write("type.yaml", "count: ten\n");
    assertUsageError(
      await quarry("generate", "--config", type),
      new RegExp(`${type}:1:8: count: must be a whole number`),
    );
    const alert = await write("alert.yaml", "count: 5\nmonitoring:\n  alerts:\n    - rss_above: lots\n");
    assertUsageError(
      await quarry("generate", "--config", alert),
      new RegExp(
        `^quarry: error: ${alert}:4:18: monitoring.alerts\\[0\\].rss_above: must be a size like 4GiB or 512MB, ` +
          `not "lots", e.g. rss_above: 4GiB\n$`,
      ),
    );
    const interval = await write("interval.yaml", "count: 5\nmonitoring: { interval: 0s }\n");
    assertUsageError(
      await quarry("generate", "--config", interval),
      new RegExp(`^quarry: error: ${interval}:2:25: monitoring.interval: must be a duration`),
    );
    const mix = await write("mix.yaml", "grammars: { dml_unique: 3, nope: 1 }\n");
    assertUsageError(
      await quarry("generate", "--config", mix),
      new RegExp(`${mix}:1:11: unknown grammar "nope"`),
    );
    const grammar = await write("grammar.yaml", "count: 5\ngrammar: nope\n");
    assertUsageError(
      await quarry("generate", "--config", grammar),
      new RegExp(`${grammar}:2:10: unknown grammar "nope"`),
    );
    assertUsageError(
      await quarry("generate", "--config", join(dir, "absent.yaml")),
      /cannot read --config .*: no such file/,
    );
  });
});

Deno.test("configs list and show", async () => {
  const list = await quarry("configs", "list");
  deepStrictEqual(list.code, 0, list.stderr);
  deepStrictEqual(lines(list.stdout).map((l) => l.split(/\s+/)[0]), [
    "billion",
    "minimal",
    "performance",
    "test",
    "yugabyte",
  ]);
  match(list.stdout, /^test +10,000 dml_unique statements from seed 42/m);
  const show = await quarry("configs", "show", "billion");
  deepStrictEqual(show.code, 0, show.stderr);
  deepStrictEqual(
    show.stdout,
    await Deno.readTextFile(new URL("../configs/presets/billion.yaml", import.meta.url)),
  );
  assertUsageError(
    await quarry("configs", "show", "bilion"),
    /unknown preset "bilion" \(did you mean "billion"\?\)/,
  );
  assertUsageError(await quarry("configs", "remove", "test"), /unexpected "remove test"/);
});

Deno.test("configs --help matches the committed snapshot", async () => {
  const r = await quarry("configs", "--help");
  deepStrictEqual(r.code, 0);
  const snap = new URL("snapshots/configs_help.txt", import.meta.url);
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") await Deno.writeTextFile(snap, r.stdout);
  deepStrictEqual(
    r.stdout,
    await Deno.readTextFile(snap),
    "configs_help.txt changed; rerun with UPDATE_SNAPSHOTS=1",
  );
});

Deno.test("4 shards as 4 processes concatenate to the single run's bytes (dml_unique, structural, 1 and 2 workers)", async () => {
  await withDir(async (dir) => {
    const run = ["--grammar", "dml_unique", "--unique", "structural", "--count", "40000", "--seed", "9"];
    const [whole1] = await generateTo(dir, "whole1.sql", ...run, "--workers", "1");
    const [whole2] = await generateTo(dir, "whole2.sql", ...run, "--workers", "2");
    assertSameBytes(whole1, whole2, "the whole run on 1 and on 2 workers");
    assertSameBytes(await shards(dir, 4, 40000, ...run, "--workers", "1"), whole1, "4 shards, 1 worker each");
    assertSameBytes(
      await shards(dir, 4, 40000, ...run, "--workers", "2"),
      whole1,
      "4 shards, 2 workers each",
    );
    // 25,000 statements a shard: past the local limit, so each shard runs on its workers too.
    const big = ["--count", "50000", "--seed", "9", "--workers", "2"];
    const [whole] = await generateTo(dir, "whole.sql", ...big);
    assertSameBytes(await shards(dir, 2, 50000, ...big), whole, "2 shards of 25,000, 2 workers each");
  });
});

Deno.test("shards of a preset, with --unique none, and with --emit-setup (shard 0 writes the setup)", async () => {
  await withDir(async (dir) => {
    const [test] = await generateTo(dir, "test.sql", "--config", "test", "--emit-setup");
    assertSameBytes(
      await shards(dir, 3, 10000, "--config", "test", "--emit-setup"),
      test,
      "3 shards of test",
    );
    const none = ["--grammar", "dml_yugabyte", "--unique", "none", "--count", "2000", "--seed", "5"];
    const [whole] = await generateTo(dir, "none.sql", ...none);
    assertSameBytes(await shards(dir, 4, 2000, ...none), whole, "4 shards of dml_yugabyte, --unique none");
  });
});

Deno.test("--shard: refused without a seed, with a filter, with --at, or out of range", async () => {
  assertUsageError(await quarry("generate", "--shard", "0/4"), /--shard needs --seed/);
  assertUsageError(
    await quarry("generate", "--grammar", "dml_yugabyte", "--seed", "1", "--shard", "0/4"),
    /--shard cannot be used with --unique bloom \(the default for grammar "dml_yugabyte"\): each shard's filter/,
  );
  assertUsageError(
    await quarry("generate", "--seed", "1", "--unique", "exact", "--shard", "0/4"),
    /--shard cannot be used with --unique exact/,
  );
  assertUsageError(
    await quarry("generate", "--seed", "1", "--at", "5", "--shard", "0/4"),
    /not be combined with --at/,
  );
  assertUsageError(
    await quarry("generate", "--seed", "1", "--shard", "4/4"),
    /shards are counted from 0, as JOB_COMPLETION_INDEX is, so K goes from 0 to 3/,
  );
  assertUsageError(await quarry("generate", "--seed", "1", "--shard", "1-4"), /--shard must be K\/N/);
});
