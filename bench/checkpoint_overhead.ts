/**
 * What `--checkpoint-every 1s` costs `generate --output-dir`: runs of the
 * same size with and without checkpoints, side by side, alternating which
 * goes first in each round; the rate is the run's own (`--stats`, from
 * before its first file to its last fsync), CPU time from /usr/bin/time.
 * Prints each pair, the median of the per-round ratios and the cost.
 *
 *   deno task bench:checkpoint-overhead [seconds] [rounds] [workers] [unique] [grammar] [under]
 *
 * defaults: 40 seconds a run, 3 rounds, 2 workers, structural, dml_unique,
 * /tmp. The output goes to a directory under `under`, removed after each run.
 * A run without checkpoints leaves part of its output to be written back
 * after it ends (a short one nearly all of it), while checkpoints make it
 * durable as the run goes; so each run is also followed by `sync -f` on its
 * directory, and the "durable" rate counts that time too. Wall-clock rates
 * on a shared machine swing by tens of percent from run to run; the share of
 * the run the writing thread spent in checkpoints (`--stats`) does not.
 *
 * @module
 */
import { join } from "node:path";

const seconds = Number(Deno.args[0] ?? 40);
const rounds = Number(Deno.args[1] ?? 3);
const workers = Deno.args[2] ?? "2";
const unique = Deno.args[3] ?? "structural";
const grammar = Deno.args[4] ?? "dml_unique";
const under = Deno.args[5] ?? "/tmp";
const main = new URL("../cli/main.ts", import.meta.url).pathname;

interface Measured {
  rate: number;
  /** Statements per second until the output was on disk (the run, then `sync -f`). */
  durable: number;
  cpu: number;
  checkpoints: number;
  /** Seconds the writing thread spent in checkpoints, and the run's seconds. */
  writer: number;
  seconds: number;
}

/** One run of `count` statements into a fresh directory; its rate and CPU seconds. */
async function measure(dir: string, count: number, extra: string[]): Promise<Measured> {
  const args = [
    "-f",
    "%U %S",
    "deno",
    "run",
    "--allow-read",
    "--allow-write",
    main,
    "generate",
    "-g",
    grammar,
    "-n",
    String(count),
    "--seed",
    "42",
    "-w",
    workers,
    "--unique",
    unique,
    "--output-dir",
    dir,
    "--stats",
    ...extra,
  ];
  // Count checkpoints as they replace checkpoint.json.
  let checkpoints = 0, last = 0;
  const child = new Deno.Command("/usr/bin/time", { args, stdout: "null", stderr: "piped" }).spawn();
  const watch = setInterval(() => {
    try {
      const m = Deno.statSync(join(dir, "checkpoint.json")).mtime?.getTime() ?? 0;
      if (m !== last) [checkpoints, last] = [checkpoints + 1, m];
    } catch { /* between runs, or not yet */ }
  }, 100);
  const out = await child.output();
  clearInterval(watch);
  const err = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (out.code !== 0) throw new Error(`generate ${args.join(" ")}: exit ${out.code}: ${err.join("\n")}`);
  const [user, sys] = err.at(-1)!.split(" ").map(Number);
  const stats = JSON.parse(err.at(-2)!) as {
    statementsPerSecond: number;
    statements: number;
    seconds: number;
    checkpoints?: { writerSeconds: number };
  };
  const began = performance.now();
  await new Deno.Command("sync", { args: ["-f", dir] }).output();
  const synced = (performance.now() - began) / 1000;
  await Deno.remove(dir, { recursive: true });
  return {
    rate: stats.statementsPerSecond,
    durable: stats.statements / (stats.seconds + synced),
    cpu: user! + sys!,
    checkpoints,
    writer: stats.checkpoints?.writerSeconds ?? 0,
    seconds: stats.seconds,
  };
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const m = (r: number) => `${(r / 1e6).toFixed(3)} M/s`;

const tmp = await Deno.makeTempDir({ dir: under, prefix: "quarry-bench-overhead-" });
try {
  const dir = join(tmp, "run");
  const probe = await measure(dir, 2_000_000, []);
  const count = Math.round(probe.rate * seconds / 1e5) * 1e5;
  console.log(
    `${grammar}, --unique ${unique}, ${workers} workers: ${count} statements a run (~${seconds} s at the ` +
      `probe's ${m(probe.rate)}), output to ${tmp}`,
  );
  const ratios: number[] = [], cpuRatios: number[] = [], durableRatios: number[] = [], held: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ["none", "every"] : ["every", "none"];
    const got: Record<string, Measured> = {};
    for (const which of order) {
      got[which] = await measure(dir, count, which === "every" ? ["--checkpoint-every", "1s"] : []);
    }
    const none = got.none!, every = got.every!;
    ratios.push(every.rate / none.rate);
    cpuRatios.push(every.cpu / none.cpu);
    durableRatios.push(every.durable / none.durable);
    held.push(every.writer / every.seconds);
    console.log(
      `round ${r + 1} (${order.join(" first, ")} second): none ${m(none.rate)} ${
        none.cpu.toFixed(1)
      } s CPU; ` +
        `--checkpoint-every 1s ${m(every.rate)} ${every.cpu.toFixed(1)} s CPU, ${every.checkpoints} ` +
        `checkpoints seen; rate ratio ${(every.rate / none.rate).toFixed(3)}; until durable ${
          m(none.durable)
        } and ${m(every.durable)}, ratio ${
          (every.durable / none.durable).toFixed(3)
        }; writer in checkpoints ` +
        `${every.writer.toFixed(3)} s of ${every.seconds.toFixed(1)} s`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `median rate ratio (with/without) ${ratio.toFixed(3)}: checkpoint cost ${
      (100 * (1 - ratio)).toFixed(1)
    }% ` +
      `of statements/s; median CPU ratio ${median(cpuRatios).toFixed(3)}; median ratio until the output is ` +
      `on disk ${median(durableRatios).toFixed(3)}; writing thread in checkpoints ${
        (100 * median(held)).toFixed(2)
      }% of the run (median)`,
  );
} finally {
  await Deno.remove(tmp, { recursive: true });
}
