/**
 * Runs `deno bench` on bench/*_bench.ts and turns its times into rates:
 * RNG numbers/s, and statements/s and MB/s of generation, with the ratios
 * measured side by side in that one run.
 *
 * Usage: `deno task bench:report`
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

interface BenchJson {
  benches: { name: string; group: string | null; results: { ok?: { avg: number; n: number } }[] }[];
}

const run = await new Deno.Command("deno", {
  args: [
    "bench",
    "--json",
    "--allow-read",
    "--allow-write=/dev/null",
    "bench/rng_bench.ts",
    "bench/generate_bench.ts",
  ],
  cwd: new URL("../", import.meta.url).pathname,
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!run.success) Deno.exit(1);
const json: BenchJson = JSON.parse(new TextDecoder().decode(run.stdout));

// Bytes per statement of the benchmarked run (seed 42, the same statements).
const sample = new LocalGenerator(compile(dmlUnique, schemaFromJson(defaultSchema)), parseSeed("42") as Seed)
  .statements(0n, 200000);
const bytesPerStatement = sample.reduce((s, l) => s + l.length + 2, 0) / sample.length;

const seconds = (name: string) => {
  const b = json.benches.find((x) => x.name === name);
  const avg = b?.results[0]?.ok?.avg;
  if (avg === undefined) throw new Error(`bench "${name}" did not run`);
  return avg / 1e9;
};

const fmt = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 0 });
console.log("RNG (xoshiro256**)");
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
      `  ${(rate / one).toFixed(2)}x one worker`,
  );
}

console.log("\nUniqueness (dml_unique, 2 workers; bloom sized for the run at 1e-5)");
const none = GENERATE_COUNT / seconds("dml_unique, 2 workers, --unique none");
for (const mode of ["none", "bloom"]) {
  const rate = GENERATE_COUNT / seconds(`dml_unique, 2 workers, --unique ${mode}`);
  console.log(
    `  --unique ${mode.padEnd(6)} ${fmt(rate).padStart(10)} statements/s  ${
      (100 * rate / none).toFixed(0)
    }% of none`,
  );
}
