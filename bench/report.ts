/**
 * Runs `deno bench` on bench/*_bench.ts and turns its times into rates:
 * RNG numbers/s, and statements/s and MB/s of generation, with the ratios
 * measured side by side in that one run: 2 workers against 1, the VM
 * against the hand-written generator (bench/handwritten/, the ceiling),
 * --unique bloom against none.
 *
 * With `--baseline=DIR` (another checkout, e.g. a git worktree of main) its
 * generation benches run too, alternating with this checkout's `--rounds`
 * times (default 2), and every generation figure gets its ratio to the
 * baseline; each figure is the best of the rounds.
 *
 * Usage: `deno task bench:report [--baseline=DIR] [--rounds=N]`
 *
 * @module
 */
import dmlUnique from "../grammars/dml_unique.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { GENERATE_COUNT, RNG_NUMBERS } from "./_params.ts";
import { handwrittenStatements } from "./handwritten/mod.ts";

interface BenchJson {
  benches: { name: string; group: string | null; results: { ok?: { avg: number; n: number } }[] }[];
}

function option(name: string): string | undefined {
  const a = Deno.args.find((x) => x.startsWith(`--${name}=`));
  return a?.slice(name.length + 3);
}
const baseline = option("baseline");
const rounds = Number(option("rounds") ?? (baseline ? 2 : 1));
const here = new URL("../", import.meta.url).pathname;

async function bench(cwd: string, files: string[]): Promise<BenchJson> {
  const run = await new Deno.Command("deno", {
    args: ["bench", "--json", "--allow-read", "--allow-write=/dev/null", ...files],
    cwd,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!run.success) Deno.exit(1);
  return JSON.parse(new TextDecoder().decode(run.stdout));
}

/** Best (shortest) average seconds per bench name over runs. */
function best(runs: BenchJson[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of runs) {
    for (const b of r.benches) {
      const avg = b.results[0]?.ok?.avg;
      if (avg !== undefined) m.set(b.name, Math.min(m.get(b.name) ?? Infinity, avg / 1e9));
    }
  }
  return m;
}

const ours: BenchJson[] = [];
const theirs: BenchJson[] = [];
const load: number[] = [];
for (let r = 0; r < rounds; r++) {
  load.push(Deno.loadavg()[0] ?? 0);
  if (baseline) theirs.push(await bench(baseline, ["bench/generate_bench.ts"]));
  ours.push(await bench(here, [...(r === 0 ? ["bench/rng_bench.ts"] : []), "bench/generate_bench.ts"]));
}
load.push(Deno.loadavg()[0] ?? 0);
const times = best(ours);
const baseTimes = best(theirs);

// Bytes per statement of the benchmarked runs (seed 42, the same statements).
const seed = parseSeed("42") as Seed;
const program = compile(dmlUnique, schemaFromJson(defaultSchema));
const sample = new LocalGenerator(program, seed).statements(0n, 200000);
const bytesPerStatement = sample.reduce((s, l) => s + l.length + 2, 0) / sample.length;
const handwrittenBytes = handwrittenStatements(program, defaultSchema.tables.length, seed, 200000, () => {}) /
  200000;

const seconds = (name: string, from = times) => {
  const t = from.get(name);
  if (t === undefined) throw new Error(`bench "${name}" did not run`);
  return t;
};
const versus = (name: string) => {
  const t = baseTimes.get(name);
  return t === undefined
    ? ""
    : `  ${(t / seconds(name)).toFixed(2)}x baseline (${fmt(GENERATE_COUNT / t)}/s)`;
};

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
console.log(
  `Load average (1 min) during the runs: ${
    load.map((x) => x.toFixed(1)).join(" → ")
  } on ${navigator.hardwareConcurrency} cores` +
    (baseline ? `; baseline: ${baseline}, ${rounds} alternating rounds, best of each` : ""),
);
console.log("\nRNG (xoshiro256**)");
const wasm = RNG_NUMBERS / seconds("wasm xoshiro256** (rngFill)");
for (
  const name of ["wasm xoshiro256** (rngFill)", "ts xoshiro256** (32-bit halves)", "ts xoshiro256** (BigInt)"]
) {
  const rate = RNG_NUMBERS / seconds(name);
  console.log(
    `  ${name.padEnd(34)} ${fmt(rate).padStart(14)} numbers/s  wasm is ${(wasm / rate).toFixed(1)}x`,
  );
}
console.log(
  `\nGeneration (dml_unique, ${fmt(GENERATE_COUNT)} statements to /dev/null, ` +
    `${bytesPerStatement.toFixed(0)} bytes/statement)`,
);
const one = GENERATE_COUNT / seconds("dml_unique, 1 worker");
for (const name of ["dml_unique, 1 worker", "dml_unique, 2 workers"]) {
  const rate = GENERATE_COUNT / seconds(name);
  console.log(
    `  ${name.padEnd(22)} ${fmt(rate).padStart(10)} statements/s ${
      (rate * bytesPerStatement / 1e6).toFixed(0).padStart(5)
    } MB/s` +
      `  ${(rate / one).toFixed(2)}x one worker${versus(name)}`,
  );
}
const hw = GENERATE_COUNT / seconds("hand-written generator (no VM), 1 thread");
console.log(
  `  ceiling: hand-written generator (no VM), 1 thread ${fmt(hw)} statements/s ${
    (hw * handwrittenBytes / 1e6).toFixed(0)
  } MB/s (${handwrittenBytes.toFixed(0)} bytes/statement); ` +
    `the VM's one worker writes ${
      (100 * one * bytesPerStatement / (hw * handwrittenBytes)).toFixed(0)
    }% of its bytes/s`,
);
const two = GENERATE_COUNT / seconds("dml_unique, 2 workers");
console.log(
  `  target, 2 workers: >= 5,000,000 statements/s or >= 1.4 GB/s: ${fmt(two)}/s, ${
    (two * bytesPerStatement / 1e9).toFixed(2)
  } GB/s: ${two >= 5e6 || two * bytesPerStatement >= 1.4e9 ? "met" : "not met"} at this load`,
);

console.log("\nUniqueness (dml_unique, 2 workers; bloom sized for the run at 1e-5)");
const none = GENERATE_COUNT / seconds("dml_unique, 2 workers, --unique none");
for (const mode of ["none", "bloom"]) {
  const name = `dml_unique, 2 workers, --unique ${mode}`;
  const rate = GENERATE_COUNT / seconds(name);
  console.log(
    `  --unique ${mode.padEnd(6)} ${fmt(rate).padStart(10)} statements/s  ${
      (100 * rate / none).toFixed(0)
    }% of none${versus(name)}`,
  );
}
