/**
 * `generate --output-dir` end to end: rotation, compression, the manifest,
 * checkpoints, `kill -9` followed by `--resume` (compared byte for byte with
 * an uninterrupted run), refusals, and SIGINT. Real CLI runs in child
 * processes with generate's permissions (`--allow-read --allow-write`).
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { main, root, type Run, runCli } from "./_cli.ts";

const quarry = (...args: string[]): Promise<Run> => runCli(["generate", ...args]);
const SEED = ["--seed", "42"];

interface ManifestFile {
  name: string;
  first: number;
  statements: number;
  bytes: number;
  sqlBytes: number;
  sha256: string;
  compression: string;
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "quarry-checkpoint-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
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

/** Like cmp(1): throws naming the first byte where `a` and `b` differ. */
function assertSameBytes(a: Uint8Array, b: Uint8Array, what: string) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  if (i === n && a.length === b.length) return;
  throw new Error(`${what}: differ at byte ${i + 1} (lengths ${a.length} and ${b.length})`);
}

function manifestOf(dir: string): { complete: boolean; files: ManifestFile[]; statements: number } {
  return JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json")));
}

/** The part files' SQL, decompressed, in order. */
function sqlOf(dir: string): Uint8Array {
  return concat(
    manifestOf(dir).files.map((f) => {
      const bytes = Deno.readFileSync(join(dir, f.name));
      return f.compression === "gzip" ? gunzipSync(bytes) : f.compression === "zstd" ? unzstd(bytes) : bytes;
    }),
  );
}

/**
 * zstd -dc: Deno 2.9's node:zlib zstdDecompressSync stops early on some
 * files of several frames (the zstd tool and libzstd read them whole).
 */
function unzstd(bytes: Uint8Array): Uint8Array {
  const path = Deno.makeTempFileSync();
  try {
    Deno.writeFileSync(path, bytes);
    return new Deno.Command("zstd", { args: ["-dc", path], stdout: "piped" }).outputSync().stdout;
  } finally {
    Deno.removeSync(path);
  }
}

/** Everything in `dir` (name → bytes), for "nothing was overwritten". */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Deno.readDirSync(dir)) {
    out.set(e.name, createHash("sha256").update(Deno.readFileSync(join(dir, e.name))).digest("hex"));
  }
  return out;
}

function assertOneLine(r: Run, code: number, pattern: RegExp) {
  deepStrictEqual(r.code, code, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0 && !l.startsWith("quarry: seed"));
  deepStrictEqual(lines.length, 1, r.stderr);
  match(lines[0]!, pattern);
}

Deno.test("--rotate by statements and by bytes: boundaries, manifest and checksums", async () => {
  await withDir(async (tmp) => {
    const ref = join(tmp, "ref.sql");
    deepStrictEqual((await quarry("-n", "50k", ...SEED, "-w", "2", "-o", ref)).code, 0);
    const whole = Deno.readFileSync(ref);

    const byCount = join(tmp, "count");
    const r = await quarry("-n", "50k", ...SEED, "-w", "2", "--output-dir", byCount, "--rotate", "12k");
    deepStrictEqual(r.code, 0, r.stderr);
    const m = manifestOf(byCount);
    ok(m.complete);
    deepStrictEqual(m.files.map((f) => [f.name, f.first, f.statements]), [
      ["part-000000.sql", 0, 12000],
      ["part-000001.sql", 12000, 12000],
      ["part-000002.sql", 24000, 12000],
      ["part-000003.sql", 36000, 12000],
      ["part-000004.sql", 48000, 2000],
    ]);
    for (const f of m.files) {
      const bytes = Deno.readFileSync(join(byCount, f.name));
      deepStrictEqual(bytes.length, f.bytes);
      deepStrictEqual(createHash("sha256").update(bytes).digest("hex"), f.sha256);
      deepStrictEqual(bytes.filter((c) => c === 10).length, f.statements);
    }
    assertSameBytes(sqlOf(byCount), whole, "statement-rotated files");

    const bySize = join(tmp, "size");
    deepStrictEqual((await quarry("-n", "50k", ...SEED, "--output-dir", bySize, "--rotate", "1MiB")).code, 0);
    const files = manifestOf(bySize).files;
    ok(files.length > 3);
    for (const [i, f] of files.entries()) {
      const bytes = Deno.readFileSync(join(bySize, f.name));
      deepStrictEqual(bytes.at(-1), 10);
      if (i < files.length - 1) {
        // Closed at the first statement end at or after 1 MiB.
        ok(
          bytes.length >= 2 ** 20 && bytes.lastIndexOf(10, bytes.length - 2) < 2 ** 20,
          `${f.name}: ${bytes.length}`,
        );
      }
      deepStrictEqual(files[i + 1]?.first ?? 50000, f.first + f.statements);
    }
    assertSameBytes(sqlOf(bySize), whole, "size-rotated files");
  });
});

Deno.test("--compress gzip and zstd decompress to the uncompressed run's bytes", async () => {
  await withDir(async (tmp) => {
    deepStrictEqual(
      (await quarry("-n", "60k", ...SEED, "--output-dir", join(tmp, "plain"), "--rotate", "25k")).code,
      0,
    );
    const plain = sqlOf(join(tmp, "plain"));
    for (const codec of ["gzip", "zstd"]) {
      const dir = join(tmp, codec);
      const r = await quarry(
        "-n",
        "60k",
        ...SEED,
        "--output-dir",
        dir,
        "--rotate",
        "25k",
        "--compress",
        codec,
      );
      deepStrictEqual(r.code, 0, r.stderr);
      const m = manifestOf(dir);
      deepStrictEqual(
        m.files.map((f) => f.name.replace(/\d+/, "N")),
        [`part-N.sql.${codec === "gzip" ? "gz" : "zst"}`].flatMap((n) => [n, n, n]),
      );
      for (const f of m.files) {
        deepStrictEqual(
          createHash("sha256").update(Deno.readFileSync(join(dir, f.name))).digest("hex"),
          f.sha256,
        );
      }
      assertSameBytes(sqlOf(dir), plain, codec);
    }
  });
});

/** Starts a run in a child process; kill it with `child.kill("SIGKILL")`. */
function spawn(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", main, "generate", ...args],
    cwd: root.pathname,
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `path` exists, or after `limitMs`. */
async function untilExists(path: string, limitMs: number): Promise<void> {
  for (const began = Date.now(); Date.now() - began < limitMs; await sleep(20)) {
    try {
      Deno.statSync(path);
      return;
    } catch { /* not yet */ }
  }
}

Deno.test("kill -9 at several moments, then --resume: the same bytes as an uninterrupted run", async () => {
  await withDir(async (tmp) => {
    const run = ["-n", "1M", ...SEED, "--rotate", "150k", "--checkpoint-every", "0.2s"];
    const ref = join(tmp, "ref");
    deepStrictEqual((await quarry(...run, "-w", "2", "--output-dir", ref)).code, 0);
    const refSql = sqlOf(ref);
    const cases: [string, string[], number[]][] = [
      ["1 worker", ["-w", "1"], [150, 150]],
      ["2 workers", ["-w", "2"], [100, 100]],
      ["2 workers, gzip", ["-w", "2", "--compress", "gzip"], [150]],
      ["1 worker, zstd", ["-w", "1", "--compress", "zstd"], [200]],
    ];
    for (const [what, extra, kills] of cases) {
      const dir = join(tmp, what.replaceAll(/\W+/g, "_"));
      let killed = 0;
      for (const [i, ms] of kills.entries()) {
        const child = spawn(i === 0 ? [...run, ...extra, "--output-dir", dir] : ["--resume", dir, ...extra]);
        // Killed `ms` after its first checkpoint is on disk: start-up time varies with the machine's load,
        // and a run killed before it wrote anything has nothing to resume.
        await untilExists(join(dir, "checkpoint.json"), 30_000);
        await sleep(ms);
        try {
          child.kill("SIGKILL");
          killed++;
        } catch { /* it had finished */ }
        await child.output();
      }
      ok(killed > 0, `${what}: finished before the first kill`);
      // A resumed run may have finished before a later kill; otherwise one more resume completes it.
      let complete = false;
      try {
        complete = manifestOf(dir).complete;
      } catch { /* no manifest yet */ }
      if (!complete) {
        const r = await quarry("--resume", dir, ...extra);
        deepStrictEqual(r.code, 0, `${what}: ${r.stderr}`);
        match(r.stderr, /resuming .* at statement \d+/);
      }
      const m = manifestOf(dir);
      ok(m.complete);
      deepStrictEqual(m.statements, 1_000_000);
      ok(!Deno.readDirSync(dir).some((e) => e.name === "checkpoint.json"), "checkpoint removed at the end");
      if (extra.includes("--compress")) assertSameBytes(sqlOf(dir), refSql, what);
      else {
        deepStrictEqual(m.files, manifestOf(ref).files, what);
        for (const f of m.files) {
          assertSameBytes(
            Deno.readFileSync(join(dir, f.name)),
            Deno.readFileSync(join(ref, f.name)),
            `${what}: ${f.name}`,
          );
        }
      }
    }
  });
});

Deno.test("SIGINT: a checkpoint, exit 130 and how to resume; --resume completes the run", async () => {
  await withDir(async (tmp) => {
    const dir = join(tmp, "run");
    const child = spawn(["-n", "1M", ...SEED, "-w", "2", "--output-dir", dir, "--rotate", "300k"]);
    // Signal handlers are in place once the directory has its manifest; a fixed delay from the start
    // could hit a loaded machine's start-up, where Ctrl-C simply ends the process.
    await untilExists(join(dir, "manifest.json"), 30_000);
    await sleep(200);
    child.kill("SIGINT");
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    deepStrictEqual(out.code, 130, stderr);
    match(
      stderr,
      new RegExp(`quarry: stopped at statement \\d+; resume with: quarry generate --resume ${dir}\\n`),
    );
    const r = await quarry("--resume", dir);
    deepStrictEqual(r.code, 0, r.stderr);
    const ref = join(tmp, "ref.sql");
    deepStrictEqual((await quarry("-n", "1M", ...SEED, "-o", ref)).code, 0);
    assertSameBytes(sqlOf(dir), Deno.readFileSync(ref), "after SIGINT and --resume");
  });
});

Deno.test("refusals: one line, exit 2 or 3, nothing overwritten", async () => {
  await withDir(async (tmp) => {
    const dir = join(tmp, "run");
    const run = [
      "-n",
      "200k",
      ...SEED,
      "-w",
      "1",
      "--output-dir",
      dir,
      "--rotate",
      "50k",
      "--checkpoint-every",
      "20k",
    ];
    const child = spawn(run);
    // Wait for a checkpoint past the start, then stop the run dead.
    for (let i = 0; i < 200; i++) {
      await sleep(20);
      try {
        if (JSON.parse(Deno.readTextFileSync(join(dir, "checkpoint.json"))).next !== "0") break;
      } catch { /* not yet */ }
    }
    child.kill("SIGKILL");
    await child.output();
    const before = snapshot(dir);

    assertOneLine(await quarry(...run), 2, /already holds a run \(.*\); nothing was overwritten/);
    assertOneLine(await quarry("--resume", dir, "--seed", "43"), 2, /is for another run: the seed differs/);
    assertOneLine(
      await quarry("--resume", dir, "-g", "functions_ddl"),
      2,
      /is for another run: the grammar differs/,
    );
    assertOneLine(await quarry("--resume", dir, "-n", "300k"), 2, /is for another run: count differs/);
    assertOneLine(
      await quarry("--resume", dir, "--unique", "bloom"),
      2,
      /is for another run: unique differs \(checkpoint: "structural", now: "bloom"\)/,
    );
    deepStrictEqual(snapshot(dir), before);

    const cpPath = join(dir, "checkpoint.json");
    const cp = Deno.readTextFileSync(cpPath);
    Deno.writeTextFileSync(cpPath, cp.slice(0, cp.length >> 1));
    assertOneLine(
      await quarry("--resume", dir),
      2,
      /checkpoint ".*" is not valid JSON \(truncated or corrupt/,
    );
    Deno.writeTextFileSync(cpPath, cp.replace(/"next": "(\d+)"/, (_, n) => `"next": "${Number(n) + 1}"`));
    assertOneLine(await quarry("--resume", dir), 2, /does not match its checksum/);
    Deno.writeTextFileSync(cpPath, cp);

    const current = JSON.parse(cp).current as { name: string; bytes: number };
    const file = join(dir, current.name);
    const saved = Deno.readFileSync(file);
    Deno.truncateSync(file, current.bytes - 1);
    assertOneLine(
      await quarry("--resume", dir),
      3,
      /shorter than the \d+ bytes committed; nothing was changed/,
    );
    Deno.writeFileSync(file, saved);
    deepStrictEqual(snapshot(dir), before);

    // And the untouched checkpoint still resumes.
    deepStrictEqual((await quarry("--resume", dir)).code, 0);
    assertOneLine(await quarry("--resume", dir), 2, /holds a finished run/);

    const locked = join(tmp, "locked");
    Deno.mkdirSync(locked, { mode: 0o500 });
    let asRoot = true;
    try {
      Deno.writeTextFileSync(join(locked, "probe"), "");
    } catch {
      asRoot = false;
    }
    // root writes anywhere; everyone else gets the refusal.
    if (!asRoot) {
      assertOneLine(await quarry("-n", "10", "--output-dir", locked), 3, /cannot write .*manifest\.json/);
    }
    assertOneLine(await quarry("-n", "10", "--rotate", "5"), 2, /--rotate needs --output-dir/);
    assertOneLine(
      await quarry("-n", "10", "--output-dir", join(tmp, "x"), "--rotate", "5 bytes"),
      2,
      /--rotate must be/,
    );
  });
});

/** Kills runs of `args` (the first starts it, later ones resume) after their first checkpoint, then completes. */
async function killAndResume(dir: string, args: string[], kills: number[]): Promise<number> {
  let killed = 0;
  for (const [i, ms] of kills.entries()) {
    const child = spawn(i === 0 ? [...args, "--output-dir", dir] : ["--resume", dir]);
    await untilExists(join(dir, "checkpoint.json"), 30_000);
    await sleep(ms);
    try {
      child.kill("SIGKILL");
      killed++;
    } catch { /* it had finished */ }
    await child.output();
  }
  let complete = false;
  try {
    complete = manifestOf(dir).complete;
  } catch { /* no manifest yet */ }
  if (!complete) {
    const r = await quarry("--resume", dir);
    deepStrictEqual(r.code, 0, r.stderr);
  }
  return killed;
}

Deno.test("--unique bloom: kill -9 and --resume, byte-identical with 1 worker; with 2 no duplicate, all there", async () => {
  await withDir(async (tmp) => {
    // simple_transaction repeats itself: the filter replaces thousands of statements, and gives up on none.
    const run = ["-g", "simple_transaction", "-n", "400k", ...SEED, "--unique", "bloom"];
    const ref = join(tmp, "ref.sql");
    const r = await quarry(...run, "-w", "1", "-o", ref, "--stats");
    deepStrictEqual(r.code, 0, r.stderr);
    const stats = JSON.parse(r.stderr.trim().split("\n").at(-1)!).unique;
    ok(stats.rejected > 1000 && stats.exhausted === 0, JSON.stringify(stats));

    const one = join(tmp, "one");
    const every = ["--rotate", "150k", "--checkpoint-every", "0.1s"];
    ok(await killAndResume(one, [...run, "-w", "1", ...every], [150, 150]) > 0);
    ok(
      !Deno.readDirSync(one).some((e) => /^filter-|checkpoint/.test(e.name)),
      "snapshots removed at the end",
    );
    assertSameBytes(sqlOf(one), Deno.readFileSync(ref), "1 worker, resumed");

    // Two workers race for equal statements, so which one is replaced depends on timing: what holds is
    // that no statement repeats across the resumed output and that every index gave one.
    const two = join(tmp, "two");
    ok(await killAndResume(two, [...run, "-w", "2", ...every], [150, 150]) > 0);
    const lines = new TextDecoder().decode(sqlOf(two)).split("\n").slice(0, -1);
    deepStrictEqual(lines.length, 400_000);
    deepStrictEqual(new Set(lines).size, lines.length, "a statement repeats");
  });
});

Deno.test("a damaged filter snapshot or another filter size is refused, nothing changed", async () => {
  await withDir(async (tmp) => {
    const dir = join(tmp, "run");
    const run = ["-g", "simple_transaction", "-n", "300k", ...SEED, "-w", "1", "--unique", "exact"];
    const child = spawn([...run, "--output-dir", dir, "--rotate", "100k", "--checkpoint-every", "20k"]);
    let snap = "";
    for (let i = 0; i < 1500 && !snap; i++) {
      await sleep(20);
      try {
        snap = JSON.parse(Deno.readTextFileSync(join(dir, "checkpoint.json"))).filter?.name ?? "";
      } catch { /* not yet */ }
    }
    child.kill("SIGKILL");
    await child.output();
    ok(snap, "no checkpoint with a filter snapshot was written");
    const before = snapshot(dir);
    const path = join(dir, snap);
    const saved = Deno.readFileSync(path);

    Deno.truncateSync(path, saved.length - 8);
    assertOneLine(
      await quarry("--resume", dir),
      3,
      /filter-\d+\.bin is \d+ bytes, the checkpoint recorded \d+/,
    );
    const flipped = saved.slice();
    flipped[flipped.length >> 1] = flipped[flipped.length >> 1]! ^ 1;
    Deno.writeFileSync(path, flipped);
    assertOneLine(await quarry("--resume", dir), 3, /filter-\d+\.bin does not match its checksum; nothing/);
    Deno.removeSync(path);
    assertOneLine(await quarry("--resume", dir), 3, /filter-\d+\.bin is missing; nothing was changed/);
    Deno.writeFileSync(path, saved);
    assertOneLine(await quarry("--resume", dir, "--expect", "1M"), 2, /is for another run: filter differs/);
    // A directory this process may not write (as root, only a permission can make one so).
    const readOnly = await runCli(["generate", "--resume", dir], {
      permissions: ["--allow-read", `--allow-write=${join(tmp, "elsewhere")}`],
    });
    assertOneLine(readOnly, 3, /cannot resume ".*": it is not writable \(.*\); nothing was changed/);
    deepStrictEqual(snapshot(dir), before);

    deepStrictEqual((await quarry("--resume", dir)).code, 0);
    const ref = join(tmp, "ref.sql");
    deepStrictEqual((await quarry(...run, "-o", ref)).code, 0);
    assertSameBytes(sqlOf(dir), Deno.readFileSync(ref), "exact, resumed");
  });
});

Deno.test("--output-dir replaces a config's output: --config test --output-dir DIR", async () => {
  await withDir(async (tmp) => {
    const dir = join(tmp, "test");
    const r = await quarry("--config", "test", "--output-dir", dir, "--checkpoint-every", "1000");
    deepStrictEqual(r.code, 0, r.stderr);
    deepStrictEqual(manifestOf(dir).statements, 10_000);
    const ref = await quarry("--config", "test");
    assertSameBytes(sqlOf(dir), new TextEncoder().encode(ref.stdout), "--config test into a directory");
  });
});

Deno.test("--grammars: shards concatenate to the whole run, and a killed mix resumes to the same bytes", async () => {
  await withDir(async (tmp) => {
    const mix = ["--grammars", "dml_unique:3,functions_ddl:1", "-n", "60k", ...SEED];
    const whole = await quarry(...mix, "-w", "2");
    deepStrictEqual(whole.code, 0, whole.stderr);
    const shards = await Promise.all(["0/2", "1/2"].map((s) => quarry(...mix, "--shard", s)));
    deepStrictEqual(shards.map((s) => s.stdout).join(""), whole.stdout);
    const lines = whole.stdout.split("\n").slice(0, -1);
    deepStrictEqual(new Set(lines).size, 60_000);

    const config = join(tmp, "mix.yaml");
    Deno.writeTextFileSync(config, "grammars: { dml_unique: 3, functions_ddl: 1 }\ncount: 60k\nseed: 42\n");
    deepStrictEqual((await quarry("--config", config)).stdout, whole.stdout);

    const dir = join(tmp, "run");
    const child = spawn([...mix, "--output-dir", dir, "--rotate", "20k", "--checkpoint-every", "10k"]);
    for (let i = 0; i < 1500; i++) {
      await sleep(20);
      try {
        if (JSON.parse(Deno.readTextFileSync(join(dir, "checkpoint.json"))).next !== "0") break;
      } catch { /* not yet */ }
    }
    try {
      child.kill("SIGKILL");
    } catch { /* finished */ }
    await child.output();
    if (!manifestOf(dir).complete) deepStrictEqual((await quarry("--resume", dir)).code, 0);
    assertSameBytes(sqlOf(dir), new TextEncoder().encode(whole.stdout), "mix, resumed");

    assertOneLine(await quarry("-g", "fuzz", "--grammars", "dml_unique:1"), 2, /cannot be combined/);
    assertOneLine(await quarry("--grammars", "dml_unique:0"), 2, /--grammars takes name:weight pairs/);
    assertOneLine(await quarry("--grammars", "dml_unique:1,nope:1"), 2, /unknown grammar "nope"/);
  });
});
