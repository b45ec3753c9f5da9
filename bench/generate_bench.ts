/**
 * Generation throughput of `dml_unique` over the default schema with 1 and
 * 2 workers, written to /dev/null through the same path the CLI uses.
 * Each iteration is one whole run, worker start-up included. The ceiling:
 * the hand-written generator of bench/handwritten/ (no VM), one thread.
 *
 * `deno task bench` runs it; `bench/report.ts` turns the times into
 * statements/s and MB/s.
 *
 * @module
 */
import dmlUnique from "../grammars/dml_unique.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { generate } from "../core/engine/generate.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { GENERATE_COUNT } from "./_params.ts";
import { planBloom } from "../core/engine/uniqueness.ts";
import { handwrittenStatements } from "./handwritten/mod.ts";

const program = compile(dmlUnique, schemaFromJson(defaultSchema));
const seed = parseSeed("42") as Seed;
const devNull = Deno.openSync("/dev/null", { write: true });

function writeAll(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += devNull.writeSync(bytes.subarray(off));
}

// Touch the memory and JIT once so the first measured run is not the cold one.
await generate(program, { seed, start: 0n, count: 500_000, workers: 2, write: writeAll });

for (const workers of [1, 2]) {
  Deno.bench({
    name: `dml_unique, ${workers} worker${workers > 1 ? "s" : ""}`,
    group: "generate",
    baseline: workers === 1,
    n: 6,
    warmup: 1,
    async fn() {
      await generate(program, { seed, start: 0n, count: GENERATE_COUNT, workers, write: writeAll });
    },
  });
}

// The cost of --unique bloom (sized for the run at the default 1e-5) against
// no filter, both with 2 workers, side by side in one group.
const bloom = planBloom(GENERATE_COUNT, 1e-5);
for (const [name, filter] of [["none", undefined], ["bloom", bloom]] as const) {
  Deno.bench({
    name: `dml_unique, 2 workers, --unique ${name}`,
    group: "uniqueness",
    baseline: name === "none",
    n: 6,
    warmup: 1,
    async fn() {
      await generate(program, {
        seed,
        start: 0n,
        count: GENERATE_COUNT,
        workers: 2,
        write: writeAll,
        ...(filter ? { filter } : {}),
      });
    },
  });
}

// The ceiling: statements of the same kinds written by straight-line code, one thread.
Deno.bench({
  name: "hand-written generator (no VM), 1 thread",
  group: "ceiling",
  n: 6,
  warmup: 1,
  fn() {
    handwrittenStatements(program, defaultSchema.tables.length, seed, GENERATE_COUNT, writeAll);
  },
});
