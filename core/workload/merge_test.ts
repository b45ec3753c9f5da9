import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { MergeError, mergeResults } from "./merge.ts";
import { WorkloadRecorder } from "./recorder.ts";
import type { RunMeta, WorkloadResult } from "./result.ts";
import { testMeta } from "./_test_meta.ts";

const META: RunMeta = testMeta({ arrival: "poisson", target_tps: 500 });
const CLIENT: WorkloadResult["client"] = { cpu_percent: 20, saturated: false, warnings: [] };

/**
 * Three seconds of two kinds: transaction i intended at 1.5·i ms, taking a
 * spread of times, a 40 ms stall from 1 s on, a failure every 97th.
 * `keep` picks the transactions this recorder sees.
 */
function record(keep: (i: number) => boolean, meta: RunMeta = META): WorkloadResult {
  const rec = new WorkloadRecorder({ operations: ["deposit", "report"], startMs: 0, targetTps: 500 });
  for (let i = 0; i < 1990; i++) {
    const intended = i * 1.5;
    const start = intended >= 1000 && intended < 1040 ? 1040 : intended + (i % 7) * 0.05;
    const end = start + 0.4 + (i % 13) * 0.37 + (i % 101 === 0 ? 30 : 0);
    if (end >= 3000 || !keep(i)) continue;
    const failure = i % 97 === 0
      ? { code: i % 2 ? "40001" : "23505", message: `failure ${i}`, statement: `-- tx ${i}` }
      : undefined;
    rec.done(i % 3 === 0 ? 1 : 0, intended, start, end, failure);
    if (i % 50 === 0) rec.tick(end);
  }
  rec.retried(0, "40001");
  const r = rec.result(meta, 3000, CLIENT);
  rec.dispose();
  return r;
}

Deno.test("two halves merged equal one recorder that saw everything", () => {
  const all = record(() => true);
  const even = record((i) => i % 2 === 0);
  const odd = record((i) => i % 2 === 1);
  const merged = mergeResults([even, odd]);
  strictEqual(all.totals.attempted, 1990);
  ok(even.totals.attempted > 0 && odd.totals.attempted > 0);
  deepStrictEqual(
    merged.operations.map((o) => o.name),
    all.operations.map((o) => o.name),
  );
  for (
    const [m, a] of [
      [merged.overall, all.overall],
      ...merged.operations.map((o, i) => [o, all.operations[i]!]),
    ]
  ) {
    for (const kind of ["response", "service", "lag"] as const) {
      deepStrictEqual(m![kind], a![kind], `${m!.name} ${kind}`);
      strictEqual(m!.histograms[kind], a!.histograms[kind], `${m!.name} ${kind} encoding`);
    }
    deepStrictEqual(
      [m!.attempted, m!.succeeded, m!.failed, m!.late, m!.skipped],
      [a!.attempted, a!.succeeded, a!.failed, a!.late, a!.skipped],
    );
    deepStrictEqual(Object.keys(m!.errors).sort(), Object.keys(a!.errors).sort());
    for (const [code, e] of Object.entries(a!.errors)) strictEqual(m!.errors[code]!.count, e.count);
  }
  deepStrictEqual(
    { ...merged.totals, retries: 0 },
    { ...all.totals, retries: 0 },
  );
  strictEqual(merged.totals.retries, 2); // one per input
  ok(Math.abs(merged.tps - all.tps) < 1e-9);
  deepStrictEqual(merged.errors_by_class, all.errors_by_class);
  deepStrictEqual(merged["Latency Distribution"], all["Latency Distribution"]);
  strictEqual(merged["Measured Requests"], all["Measured Requests"]);
  deepStrictEqual(
    merged.series.map((s) => [s.t, s.tps, s.succeeded, s.failed, s.max_us]),
    all.series.map((s) => [s.t, s.tps, s.succeeded, s.failed, s.max_us]),
  );
  // Per-second percentiles are the parts' largest: never below the true one's parts, never above the worst part.
  merged.series.forEach((s, i) => {
    const parts = [even.series[i]!, odd.series[i]!];
    strictEqual(s.p99_us, Math.max(...parts.map((p) => p.p99_us)));
    ok(s.p99_us >= Math.min(...parts.map((p) => p.p99_us)));
    strictEqual(s.target, 1000);
  });
  strictEqual(merged.merged_from, 2);
  strictEqual(merged.meta.connections, 8);
  strictEqual(merged.meta.target_tps, 1000);
  strictEqual(merged.duration_s, 3);
});

Deno.test("failures keep the first input's sample and sum the counts", () => {
  const a = record((i) => i < 1000);
  const b = record((i) => i >= 1000);
  const merged = mergeResults([a, b]);
  const code = "40001";
  strictEqual(merged.overall.errors[code]!.message, a.overall.errors[code]!.message);
  strictEqual(
    merged.overall.errors[code]!.count,
    a.overall.errors[code]!.count + b.overall.errors[code]!.count,
  );
  strictEqual(merged.errors_by_class["40"], merged.overall.errors[code]!.count);
});

Deno.test("kinds found in one input only are merged too, after the first input's", () => {
  const rec = new WorkloadRecorder({ operations: ["deposit", "audit"], startMs: 0 });
  rec.done(1, 10, 10, 12);
  rec.done(0, 20, 20, 21);
  const other = rec.result(META, 1000, { cpu_percent: 99, saturated: true, warnings: ["client CPU at 99%"] });
  rec.dispose();
  const merged = mergeResults([record((i) => i < 100), other]);
  deepStrictEqual(merged.operations.map((o) => [o.name, o.attempted]), [
    ["deposit", 66 + 1],
    ["report", 34],
    ["audit", 1],
  ]);
  strictEqual(merged.overall.attempted, 102);
  deepStrictEqual(merged.client, {
    cpu_percent: 99,
    saturated: true,
    warnings: ["input 2: client CPU at 99%"],
  });
});

Deno.test("a merge of merges counts every run; a target missing anywhere is no target", () => {
  const a = record((i) => i < 500);
  const twice = mergeResults([a, a]);
  const closed = { ...a, meta: { ...a.meta } };
  delete closed.meta.target_tps;
  const thrice = mergeResults([twice, closed]);
  strictEqual(thrice.merged_from, 3);
  strictEqual(thrice.totals.attempted, 3 * a.totals.attempted);
  ok(!("target_tps" in thrice.meta));
  strictEqual(thrice.meta.connections, 12);
  strictEqual(mergeResults([a]).merged_from, 1);
});

Deno.test("merge refuses what it cannot merge, saying why", () => {
  const a = record((i) => i < 100);
  throws(() => mergeResults([]), (e) => e instanceof MergeError && /Nothing to merge/.test(e.message));
  throws(
    () => mergeResults([a, { ...a, format: "quarry-workload/2" as "quarry-workload/1" }]),
    (e) => e instanceof MergeError && /Input 2 is of format "quarry-workload\/2"/.test(e.message),
  );
  throws(
    () => mergeResults([a, { ...a, meta: { ...a.meta, pattern: "tpcc" } }]),
    (e) => e instanceof MergeError && e.message.includes('Input 2 ran pattern "tpcc" and input 1 ran "tpcb"'),
  );
  const broken = {
    ...a,
    operations: a.operations.map((o) => ({
      ...o,
      histograms: { ...o.histograms, lag: "bm90IGEgaGlzdG9ncmFt" },
    })),
  };
  throws(
    () => mergeResults([a, broken]),
    (e) =>
      e instanceof MergeError &&
      e.message.startsWith('Cannot merge the lag histogram of "deposit" in input 2'),
  );
});
