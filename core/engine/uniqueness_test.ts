import { deepStrictEqual, ok } from "node:assert/strict";
import { grammar, number, template, unique } from "../dsl/grammar.ts";
import { compile } from "../compile/compile.ts";
import { schemaFromJson } from "../schema/parse.ts";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import { generate } from "./generate.ts";
import { LocalGenerator } from "./local.ts";
import { bloomFalsePositiveRate, planBloom, planExact, planNone } from "./uniqueness.ts";
import type { Seed } from "../seed.ts";

const schema = schemaFromJson(defaultSchema);
const seed: Seed = [9n, 8n, 7n, 6n];
// 30,000 distinct statements, drawn 25,000 times: about 8,000 repeats unfiltered.
const repeating = compile(
  grammar("repeating").rule("q", template("SELECT {n}", { n: number(1, 30000) })),
  schema,
);

async function lines(workers: number, filter: ReturnType<typeof planBloom>, count: number) {
  const out: string[] = [];
  const dec = new TextDecoder();
  const result = await generate(repeating, {
    seed,
    start: 0n,
    count,
    workers,
    filter,
    blockSize: 500,
    write: (b) => void out.push(dec.decode(b)),
  });
  return { lines: out.join("").split("\n").filter((l) => l), result };
}

for (const [name, plan] of [["bloom", planBloom(25000, 1e-4)], ["exact", planExact(25000)]] as const) {
  for (const workers of [1, 2]) {
    Deno.test(`--unique ${name} with ${workers} worker(s) emits no statement twice`, async () => {
      const { lines: all, result } = await lines(workers, plan, 25000);
      deepStrictEqual(new Set(all).size, all.length);
      deepStrictEqual(all.length, result.statements);
      deepStrictEqual(result.statements + result.exhausted, 25000);
      ok(result.rejected > 5000, `only ${result.rejected} repeats were rejected`);
      ok(result.filterPopulation > 0);
    });
  }
}

Deno.test("without a filter the same grammar repeats itself (the test above can fail)", async () => {
  const { lines: all } = await lines(2, planNone("none"), 25000);
  ok(new Set(all).size < all.length - 5000);
});

Deno.test("one worker with a filter is deterministic", async () => {
  const a = await lines(1, planBloom(25000, 1e-4), 25000);
  const b = await lines(1, planBloom(25000, 1e-4), 25000);
  deepStrictEqual(a.lines, b.lines);
});

Deno.test("bloom false positives on all-distinct statements match the model within 2x", () => {
  // Every index yields a distinct statement (a unique() tag), so every
  // rejection is a false positive. A retry repeats the same text (the tag
  // depends on the index alone), so each false positive exhausts its index.
  const g = grammar("distinct").rule("q", template("SELECT {u}", { u: unique() }));
  const n = 200000;
  const plan = planBloom(n, 1e-2);
  const gen = new LocalGenerator(compile(g, schema), seed, plan);
  let consumed = 0, emitted = 0;
  while (consumed < n) {
    const c = gen.chunk(BigInt(consumed), n - consumed);
    emitted += c.emitted;
    consumed += c.consumed;
  }
  // The model's rate averaged over the fill, statement by statement in 100 steps.
  let expected = 0;
  for (let s = 0; s < 100; s++) {
    expected += bloomFalsePositiveRate(plan.slots, plan.k, ((s + 0.5) / 100) * n) / 100;
  }
  const measured = (consumed - emitted) / consumed;
  ok(measured > expected / 2 && measured < expected * 2, `measured ${measured}, model ${expected}`);
});

Deno.test("bloom sizing meets the requested rate and grows with it", () => {
  for (const fp of [1e-2, 1e-4, 1e-6]) {
    const plan = planBloom(1e6, fp);
    ok(bloomFalsePositiveRate(plan.slots, plan.k, 1e6) <= fp);
    ok(bloomFalsePositiveRate(plan.slots - 64, plan.k, 1e6) > fp * 0.99);
  }
  ok(planBloom(1e6, 1e-6).bytes > planBloom(1e6, 1e-3).bytes);
  deepStrictEqual(planExact(7).slots, 16);
});
