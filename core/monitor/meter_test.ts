import { deepStrictEqual, ok } from "node:assert/strict";
import { grammar, number, template } from "../dsl/grammar.ts";
import { compile } from "../compile/compile.ts";
import { schemaFromJson } from "../schema/parse.ts";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import { generate } from "../engine/generate.ts";
import { filterState, planBloom, planExact, planNone } from "../engine/uniqueness.ts";
import { estimatedFill, RunMeter } from "./meter.ts";

const schema = schemaFromJson(defaultSchema);
// 40,000 distinct statements drawn 30,000 times: the filter rejects thousands of repeats.
const repeating = compile(
  grammar("repeating").rule("q", template("SELECT {n}", { n: number(1, 40000) })),
  schema,
);

Deno.test("RunMeter: rates are over the interval, totals over the run, each worker's own", () => {
  const m = new RunMeter({ filter: planNone("structural"), planned: 1000, workers: 2, startMs: 0 });
  m.record(100, 1_000, 0, 0, 0);
  m.record(300, 3_000, 0, 0, 1);
  const first = m.sample(1000, 5e6, "interval");
  deepStrictEqual(
    [first.statements, first.statements_per_s, first.mb_per_s, first.interval_s, first.rss_bytes],
    [300, 300, 0.003, 1, 5e6],
  );
  deepStrictEqual(first.workers, [
    { worker: 0, statements: 100, statements_per_s: 100 },
    { worker: 1, statements: 200, statements_per_s: 200 },
  ]);
  m.record(700, 7_000, 0, 0, 0);
  const second = m.sample(3000, 5e6, "interval");
  deepStrictEqual([second.statements, second.statements_per_s, second.interval_s], [700, 200, 2]);
  deepStrictEqual(second.workers.map((w) => w.statements_per_s), [200, 0]);
  const final = m.sample(3500, 5e6, "final");
  deepStrictEqual([final.kind, final.interval_s, final.statements_per_s], ["final", 3.5, 200]);
  deepStrictEqual(final.unique, {
    mode: "structural",
    replaced: 0,
    exhausted: 0,
    replaced_ratio: 0,
    filter_fill: null,
    false_positive_rate: null,
  });
});

Deno.test("RunMeter: a resumed run counts what was written before it; the rate only this process", () => {
  const m = new RunMeter({
    filter: planNone("none"),
    planned: 10_000,
    workers: 1,
    startMs: 0,
    before: { statements: 4_000, bytes: 40_000 },
  });
  m.record(1_000, 10_000, 0, 0, 0);
  const s = m.sample(1000, 1, "interval");
  deepStrictEqual([s.statements, s.bytes, s.statements_per_s, s.workers[0]!.statements], [
    5_000,
    50_000,
    1_000,
    1_000,
  ]);
});

for (const [name, plan] of [["bloom", planBloom(30_000, 1e-3)], ["exact", planExact(30_000)]] as const) {
  Deno.test(`RunMeter: with --unique ${name}, replacements and the fill of the real filter`, async () => {
    const m = new RunMeter({ filter: plan, planned: 30_000, workers: 2, startMs: 0 });
    const result = await generate(repeating, {
      seed: [1n, 2n, 3n, 4n],
      start: 0n,
      count: 30_000,
      workers: 2,
      filter: plan,
      blockSize: 1000,
      write: () => {},
      progress: (s, b, r, x, w) => m.record(s, b, r, x, w),
    });
    const s = m.sample(1000, 1, "final");
    ok(result.rejected > 1000, `rejected ${result.rejected}`);
    deepStrictEqual([s.unique.replaced, s.unique.exhausted], [result.rejected, result.exhausted]);
    const ratio = result.rejected / (result.statements + result.rejected);
    ok(Math.abs(s.unique.replaced_ratio - ratio) < 1e-6, `${s.unique.replaced_ratio} vs ${ratio}`);
    deepStrictEqual(s.workers.reduce((n, w) => n + w.statements, 0), result.statements);
    // The estimate against the count of the filter's bits or slots after the run.
    const actual = filterState(plan, result.filterPopulation, result.statements).fillRatio;
    const estimate = estimatedFill(plan, result.statements);
    ok(Math.abs(estimate - actual) < 0.01 * Math.max(actual, 0.01) + 0.002, `fill ${estimate} vs ${actual}`);
    deepStrictEqual(s.unique.filter_fill, Math.round(estimate * 1e6) / 1e6);
    if (name === "bloom") ok(s.unique.false_positive_rate! > 0 && s.unique.false_positive_rate! < 1e-2);
    else deepStrictEqual(s.unique.false_positive_rate, null);
  });
}
