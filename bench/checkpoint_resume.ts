/**
 * `generate --output-dir` under `kill -9`. For each case (a size, a
 * uniqueness mode, a worker count) a run is killed N times: once its first
 * checkpoint is on disk, at a random moment of the rest of the run, or (every
 * third kill) the moment a checkpoint or filter snapshot is being written (its
 * temp file exists); each killed run is resumed with `--resume` until it
 * completes, then compared with an uninterrupted run:
 *
 * - structural (dml_unique), and bloom with 1 worker: `cmp` of every part file;
 * - bloom with 2 workers, where which of two equal statements the filter
 *   replaces depends on the workers' timing: no statement twice in the whole
 *   output, and as many statements as the uninterrupted run wrote.
 *
 * bloom runs use simple_transaction, which repeats itself, so the filter
 * (restored from the checkpoint's snapshot) replaces statements all along.
 *
 *   deno task bench:checkpoint [kills] [sizes] [modes] [workers]
 *
 * kills per case (default 20); sizes: `test` (the test preset, 10,000
 * statements) and/or counts (default test,50M); modes: structural,bloom;
 * workers: 1,2. The full run of the issue is the default; at reduced size:
 *
 *   deno task bench:checkpoint 20 test,1M structural,bloom 1,2
 *
 * @module
 */
import { join } from "node:path";

const kills = Number(Deno.args[0] ?? 20);
const sizes = (Deno.args[1] ?? "test,50M").split(",");
const modes = (Deno.args[2] ?? "structural,bloom").split(",");
const workerCounts = (Deno.args[3] ?? "1,2").split(",");
const main = new URL("../cli/main.ts", import.meta.url).pathname;
const dec = new TextDecoder();

function quarry(args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: ["run", "--allow-read", "--allow-write", main, "generate", ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function finish(args: string[]): Promise<string> {
  const out = await quarry(args).output();
  const err = dec.decode(out.stderr);
  if (out.code !== 0) throw new Error(`generate ${args.join(" ")}: exit ${out.code}: ${err}`);
  return err;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const exists = (path: string) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};

/** Whether a checkpoint or snapshot is being written in `dir` (its temp file is there). */
function writing(dir: string): boolean {
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.name === "checkpoint.json.tmp" || /^filter-\d+\.bin\.tmp$/.test(e.name)) return true;
    }
  } catch { /* not created yet */ }
  return false;
}

const parts = (dir: string) =>
  [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("part-")).sort();

/** `cmp` of every part file of `dir` against `ref`'s. */
async function same(dir: string, ref: string): Promise<string | undefined> {
  const names = parts(ref), mine = parts(dir);
  if (names.join() !== mine.join()) return `files ${mine.join(" ")} against ${names.join(" ")}`;
  for (const n of names) {
    const r = await new Deno.Command("cmp", { args: [join(dir, n), join(ref, n)], stdout: "piped" }).output();
    if (r.code !== 0) return dec.decode(r.stdout).trim();
  }
  return undefined;
}

/** Calls `f` with each line (without its newline) of the part files, as bytes. */
async function eachLine(dir: string, f: (line: Uint8Array) => void): Promise<void> {
  for (const n of parts(dir)) {
    const file = await Deno.open(join(dir, n));
    let rest = new Uint8Array(0);
    for await (const chunk of file.readable) {
      const buf = new Uint8Array(rest.length + chunk.length);
      buf.set(rest);
      buf.set(chunk, rest.length);
      let start = 0;
      for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, start)) {
        f(buf.subarray(start, nl));
        start = nl + 1;
      }
      rest = buf.slice(start);
    }
  }
}

/** Two 32-bit FNV-1a variants of a line, as one 64-bit key. */
function key(line: Uint8Array): bigint {
  let a = 0x811c9dc5, b = 0x01000193 ^ line.length;
  for (let i = 0; i < line.length; i++) {
    a = Math.imul(a ^ line[i]!, 0x01000193);
    b = Math.imul(b ^ line[i]!, 0x5bd1e995) ^ (b >>> 15);
  }
  return (BigInt(a >>> 0) << 32n) | BigInt(b >>> 0);
}

/**
 * Lines in all of `dir`'s part files, and those that occur twice: 64-bit
 * keys sorted, and the lines of any equal keys compared as text.
 */
async function duplicates(dir: string): Promise<{ lines: number; repeated: number }> {
  let keys = new BigUint64Array(1 << 20), n = 0;
  await eachLine(dir, (line) => {
    if (n === keys.length) {
      const more = new BigUint64Array(keys.length * 2);
      more.set(keys);
      keys = more;
    }
    keys[n++] = key(line);
  });
  const sorted = keys.subarray(0, n).sort();
  const suspects = new Set<bigint>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) suspects.add(sorted[i]!);
  if (suspects.size === 0) return { lines: n, repeated: 0 };
  const seen = new Set<string>();
  let repeated = 0;
  await eachLine(dir, (line) => {
    if (!suspects.has(key(line))) return;
    const text = dec.decode(line);
    if (seen.has(text)) repeated++;
    seen.add(text);
  });
  return { lines: n, repeated };
}

const tmp = await Deno.makeTempDir({ prefix: "quarry-bench-checkpoint-" });
const summary: string[] = [];
try {
  for (const size of sizes) {
    for (const mode of modes) {
      for (const workers of workerCounts) {
        const grammar = mode === "structural" ? [] : ["-g", "simple_transaction"];
        const run = [
          ...(size === "test" ? ["--config", "test"] : ["-n", size, "--seed", "42", "--rotate", "10%"]),
          ...grammar,
          "--unique",
          mode,
          "-w",
          workers,
        ];
        if (size !== "test") {
          // About ten files a run.
          const n = Number(size.replace(/[kKmMbB]$/, "")) *
            ({ k: 1e3, m: 1e6, b: 1e9 }[size.slice(-1).toLowerCase()] ?? 1);
          run[run.indexOf("10%")] = String(Math.max(1, Math.ceil(n / 10)));
        }
        const every = size === "test" ? "1000" : "0.5s";
        const what = `${size}, ${mode}, ${workers} worker${workers === "1" ? "" : "s"}`;
        const ref = join(tmp, "ref");
        const refErr = await finish([...run, "--output-dir", ref, "--stats"]);
        const refStats = JSON.parse(refErr.trim().split("\n").at(-1)!) as {
          statements: number;
          seconds: number;
          unique: { rejected: number };
        };
        // The run's own time, without Deno's start-up: kills are spread over it.
        const full = refStats.seconds * 1000;
        const exact = mode === "structural" || workers === "1";
        console.log(
          `${what}: uninterrupted ${refStats.statements} statements in ${(full / 1000).toFixed(1)} s` +
            (mode === "bloom" ? `, ${refStats.unique.rejected} replaced by the filter` : ""),
        );
        let good = 0, dead = 0;
        for (let i = 0; i < kills; i++) {
          const dir = join(tmp, "run");
          const child = quarry([...run, "--output-dir", dir, "--checkpoint-every", every]);
          const done = child.status.then(() => true);
          let state = "finished before the kill";
          // Start-up is not part of the run: wait for the first checkpoint, then pick a moment.
          while (!exists(join(dir, "checkpoint.json")) && !(await Promise.race([done, sleep(5)]))) { /**/ }
          const left = Math.max(20, full);
          if (i % 3 === 2) {
            const until = performance.now() + left * 1.1;
            while (!writing(dir) && performance.now() < until && !(await Promise.race([done, sleep(0)]))) {
              /* poll */
            }
            state = writing(dir)
              ? "during a checkpoint write"
              : "at the end of a wait for a checkpoint write";
          } else {
            await Promise.race([done, sleep(Math.random() * left * 1.1)]);
            state = "at a random moment";
          }
          try {
            child.kill("SIGKILL");
          } catch {
            state = "finished before the kill";
          }
          const killed = (await child.output()).code !== 0;
          if (!killed) state = "finished before the kill";
          else dead++;
          let next = "-", resumes = 0;
          try {
            next = JSON.parse(Deno.readTextFileSync(join(dir, "checkpoint.json"))).next;
          } catch { /* none */ }
          while (exists(join(dir, "checkpoint.json"))) {
            await finish(["--resume", dir]);
            resumes++;
          }
          let verdict: string;
          if (exact) {
            const diff = await same(dir, ref);
            verdict = diff === undefined ? "identical (cmp)" : `DIFFERENT: ${diff}`;
          } else {
            const d = await duplicates(dir);
            verdict = d.repeated === 0 && d.lines === refStats.statements
              ? `${d.lines} statements, none twice`
              : `WRONG: ${d.lines} statements (uninterrupted: ${refStats.statements}), ${d.repeated} repeated`;
          }
          const ok = /^identical|none twice$/.test(verdict);
          if (ok) good++;
          console.log(`  kill ${i + 1}: ${state}, checkpoint at ${next}, ${resumes} resume(s): ${verdict}`);
          await Deno.remove(dir, { recursive: true });
        }
        const line = `${what}: ${good} of ${kills} ${exact ? "identical" : "without a repeat, complete"} ` +
          `(${dead} killed mid-run, the others had finished)`;
        console.log(line);
        summary.push(line);
        await Deno.remove(ref, { recursive: true });
      }
    }
  }
  console.log(`\nsummary\n${summary.join("\n")}`);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
