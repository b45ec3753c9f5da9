/**
 * `generate --output-dir` under `kill -9`: N times (default 20) a run is
 * killed at a random moment (every third time right after checkpoint.json
 * changes, to land during or just after a checkpoint write), resumed, and
 * its files compared with `cmp` against an uninterrupted run. Then the cost
 * of checkpoints: statements/s with `--checkpoint-every 1s` against none,
 * alternating runs.
 *
 *   deno task bench:checkpoint [rounds] [statements] [workers]
 *
 * @module
 */
import { join } from "node:path";

const rounds = Number(Deno.args[0] ?? 20);
const count = Deno.args[1] ?? "3M";
const workers = Deno.args[2] ?? "2";
const main = new URL("../cli/main.ts", import.meta.url).pathname;
const RUN = ["-n", count, "--seed", "42", "-w", workers, "--rotate", "500k"];

function quarry(args: string[]): Deno.ChildProcess {
  return new Deno.Command("deno", {
    args: ["run", "--allow-read", "--allow-write", main, "generate", ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function finish(args: string[]): Promise<string> {
  const out = await quarry(args).output();
  const err = new TextDecoder().decode(out.stderr);
  if (out.code !== 0) throw new Error(`generate ${args.join(" ")}: exit ${out.code}: ${err}`);
  return err;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mtime(path: string): number {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch {
    return 0;
  }
}

/** `cmp` of every part file of `dir` against `ref`'s; true when all are equal. */
async function same(dir: string, ref: string): Promise<boolean> {
  const names = [...Deno.readDirSync(ref)].map((e) => e.name).filter((n) => n.startsWith("part-")).sort();
  const mine = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.startsWith("part-")).sort();
  if (names.join() !== mine.join()) return false;
  for (const n of names) {
    const r = await new Deno.Command("cmp", { args: [join(dir, n), join(ref, n)] }).output();
    if (r.code !== 0) return false;
  }
  return true;
}

const tmp = await Deno.makeTempDir({ prefix: "quarry-bench-checkpoint-" });
try {
  const ref = join(tmp, "ref");
  let t = performance.now();
  await finish([...RUN, "--output-dir", ref]);
  const full = performance.now() - t;
  console.log(`uninterrupted run: ${count} statements, ${workers} workers, ${(full / 1000).toFixed(2)} s`);
  let identical = 0;
  for (let i = 0; i < rounds; i++) {
    const dir = join(tmp, `run${i}`);
    const child = quarry([...RUN, "--output-dir", dir, "--checkpoint-every", "0.2s"]);
    const how = i % 3 === 2 ? "after a checkpoint write" : "at random";
    // Past start-up: the first checkpoint is written before any part file.
    for (let k = 0; k < 5000 && mtime(join(dir, "checkpoint.json")) === 0; k++) await sleep(2);
    if (i % 3 === 2) {
      // Kill as soon as checkpoint.json changes after a random delay: during or right after its write.
      await sleep(Math.random() * full * 0.6);
      const cp = join(dir, "checkpoint.json"), seen = mtime(cp);
      for (let k = 0; k < 2000 && mtime(cp) === seen; k++) await sleep(1);
    } else await sleep(Math.random() * full * 0.7);
    let killed = true;
    try {
      child.kill("SIGKILL");
    } catch {
      killed = false;
    }
    await child.output();
    const next = (() => {
      try {
        return JSON.parse(Deno.readTextFileSync(join(dir, "checkpoint.json"))).next as string;
      } catch {
        return "-";
      }
    })();
    if (killed && next !== "-") await finish(["--resume", dir]);
    const ok = await same(dir, ref);
    if (ok) identical++;
    console.log(
      `round ${i + 1}: killed ${killed ? how : "(had finished)"}, checkpoint at ${next}: ${
        ok ? "identical" : "DIFFERENT"
      }`,
    );
    await Deno.remove(dir, { recursive: true });
  }
  console.log(`${identical} of ${rounds} identical to the uninterrupted run (cmp of every part file)`);

  // Overhead: alternating runs, the best of each.
  const rate = async (extra: string[]) => {
    const dir = join(tmp, "rate");
    t = performance.now();
    await finish([...RUN, "--output-dir", dir, ...extra]);
    const s = (performance.now() - t) / 1000;
    await Deno.remove(dir, { recursive: true });
    return Number(count.replace(/[kKmM]$/, "")) * ({ k: 1e3, m: 1e6 }[count.slice(-1).toLowerCase()] ?? 1) /
      s;
  };
  const none: number[] = [], every: number[] = [];
  for (let i = 0; i < 3; i++) {
    none.push(await rate([]));
    every.push(await rate(["--checkpoint-every", "1s"]));
  }
  const best = (a: number[]) => Math.max(...a);
  console.log(
    `rate without checkpoints: ${none.map((r) => (r / 1e6).toFixed(2)).join(", ")} M/s; ` +
      `with --checkpoint-every 1s: ${
        every.map((r) => (r / 1e6).toFixed(2)).join(", ")
      } M/s (process wall time)`,
  );
  console.log(`checkpoint cost (best against best): ${(100 * (1 - best(every) / best(none))).toFixed(1)}%`);
} finally {
  await Deno.remove(tmp, { recursive: true });
}
