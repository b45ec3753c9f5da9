import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from "hdr-histogram-js";
import { HIGHEST_US, latencyStats, newHistogram, toMicros } from "./_assemble.ts";
import { WorkloadRecorder } from "./recorder.ts";
import type { RunMeta, WorkloadResult } from "./result.ts";
import { testMeta } from "./_test_meta.ts";

const META: RunMeta = testMeta();
const CLIENT: WorkloadResult["client"] = { cpu_percent: 12, saturated: false, warnings: [] };

/** True when `actual` is within HdrHistogram's 0.1% of `expected`. */
const near = (actual: number, expected: number) => Math.abs(actual - expected) <= expected * 0.001 + 1;

/**
 * 1000 transactions intended every 1 ms, each taking 1 ms, except that the
 * client could send nothing during a 50 ms stall from 500 ms on: those
 * intended in the stall are sent at its end and finish 1 ms later.
 */
function stall(rec: WorkloadRecorder, op = 0, offsetMs = 0, only?: (i: number) => boolean): void {
  for (let i = 0; i < 1000; i++) {
    if (only && !only(i)) continue;
    const intended = offsetMs + i;
    const start = i >= 500 && i < 550 ? offsetMs + 550 : intended;
    rec.done(op, intended, start, start + 1);
  }
}

Deno.test("a stall shows in response time and lag, not in service time", () => {
  const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 0, targetTps: 1000 });
  stall(rec);
  const r = rec.result(META, 2000, CLIENT);
  rec.dispose();
  strictEqual(r.overall.response.count, 1000);
  // Sorted, the response times are 950 × 1 ms then 2..51 ms: the 990th is 41 ms, the largest 51.
  ok(near(r.overall.response.p99_us, 41_000), `response p99 ${r.overall.response.p99_us}`);
  ok(near(r.overall.response.max_us, 51_000), `response max ${r.overall.response.max_us}`);
  strictEqual(r.overall.response.p50_us, 1000);
  // Service time: every transaction took 1 ms once sent.
  strictEqual(r.overall.service.p99_us, 1000);
  strictEqual(r.overall.service.max_us, 1000);
  // Lag: 950 sent on time, then 1..50 ms late.
  strictEqual(r.overall.lag.p50_us, 0);
  ok(near(r.overall.lag.p99_us, 40_000), `lag p99 ${r.overall.lag.p99_us}`);
  ok(near(r.overall.lag.max_us, 50_000));
  deepStrictEqual(r.operations.map((o) => o.response), [r.overall.response]);
  // The last one finishes at 1000 ms, in the second second.
  deepStrictEqual(r.series.map((s) => s.tps), [999, 1]);
  ok(near(r.series[0]!.p99_us, 42_000)); // 949 × 1 ms, then 2..51 ms
  ok(near(r.series[0]!.lag_p99_us, 41_000));
});

Deno.test("warm-up: what was due before its end is not counted, the series starts there", () => {
  const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 100, warmupUntilMs: 2100 });
  rec.done(0, 1000, 1000, 1500);
  rec.done(0, 1500, 1500, 1600, { code: "40001", message: "could not serialize", statement: "UPDATE t" });
  rec.retried(0, "40001");
  rec.skipped(0, 1700);
  rec.reconnected();
  rec.tick(1800);
  const warming = rec.live(1800);
  strictEqual(warming.warming_up, true);
  strictEqual(warming.elapsed_s, -0.3);
  deepStrictEqual(warming.totals, {
    attempted: 0,
    succeeded: 0,
    failed: 0,
    skipped: 0,
    late: 0,
    retries: 0,
    reconnects: 0,
  });
  // Due after the warm-up's end, reported before the tick that ends it: counted.
  rec.done(0, 2105, 2105, 2110);
  // Due during the warm-up but finished after it (a backlog): not counted.
  rec.done(0, 2050, 2090, 2150);
  rec.tick(2200);
  rec.retried(0, "40001");
  rec.done(0, 3200, 3200, 3202);
  rec.tick(4100);
  const r = rec.result(META, 4100, CLIENT);
  rec.dispose();
  strictEqual(r.duration_s, 2);
  deepStrictEqual(r.totals, {
    attempted: 2,
    succeeded: 2,
    failed: 0,
    skipped: 0,
    late: 0,
    retries: 1,
    reconnects: 0,
  });
  deepStrictEqual(r.overall.errors, {});
  // The slowest counted transaction took 5 ms (the backlog's 60 ms one is left out).
  ok(near(r.overall.service.max_us, 5_000));
  deepStrictEqual(r.series.map((s) => [s.t, s.tps]), [[1, 1], [2, 1]]);
  strictEqual(r.tps, 1);
});

Deno.test("seconds: a transaction counts in the second it finished; targets follow setTarget", () => {
  const rec = new WorkloadRecorder({ operations: ["a", "b"], startMs: 0, targetTps: 100 });
  rec.done(0, 0, 0, 999.9);
  rec.done(1, 900, 900, 1000); // the second [1, 2)
  rec.done(1, 1000, 1000, 1500);
  rec.tick(1200); // closes [0, 1)
  strictEqual(rec.live(1200).last?.t, 1);
  strictEqual(rec.live(1200).last?.tps, 1);
  rec.setTarget(200);
  rec.done(0, 1900, 1900, 1999);
  rec.tick(2001); // closes [1, 2)
  // Read before the tick, reported after it: counted in the oldest open second.
  rec.done(0, 1950, 1950, 1998);
  rec.setTarget(undefined);
  // No tick for seconds: a finish 6 s on closes the seconds that no longer fit.
  rec.done(0, 8000, 8000, 8500);
  const r = rec.result(META, 9000, CLIENT);
  rec.dispose();
  deepStrictEqual(
    r.series.map((s) => [s.t, s.tps, s.target]),
    [
      [1, 1, 100],
      [2, 3, 200],
      [3, 1, 200],
      [4, 0, undefined],
      [5, 0, undefined],
      [6, 0, undefined],
      [
        7,
        0,
        undefined,
      ],
      [8, 0, undefined],
      [9, 1, undefined],
    ],
  );
  ok(!("target" in r.series[3]!));
  deepStrictEqual(r.series[3], {
    t: 4,
    tps: 0,
    succeeded: 0,
    failed: 0,
    p50_us: 0,
    p95_us: 0,
    p99_us: 0,
    max_us: 0,
    lag_p99_us: 0,
  });
  strictEqual(r.series.reduce((n, s) => n + s.tps, 0), r.totals.attempted);
});

Deno.test("the last second enters the series only when nearly all of it was measured", () => {
  for (const [end, seconds] of [[2985, 2], [2995, 3], [3000, 3], [3400, 3]] as const) {
    const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 0 });
    for (let t = 10; t < end; t += 100) rec.done(0, t - 5, t - 5, t);
    const r = rec.result({ ...META, mode: "closed" }, end, CLIENT);
    rec.dispose();
    strictEqual(r.series.length, seconds, `run of ${end} ms`);
    strictEqual(r.totals.attempted, Math.ceil((end - 10) / 100));
    strictEqual(r.duration_s, end / 1000);
  }
});

Deno.test("histograms: the encoding decodes to the same histogram", () => {
  const rec = new WorkloadRecorder({ operations: ["a", "b"], startMs: 0 });
  stall(rec, 0);
  for (let i = 0; i < 300; i++) rec.done(1, i, i + 0.25, i + 2 + (i % 17) * 0.731);
  const r = rec.result(META, 1000, CLIENT);
  rec.dispose();
  for (const op of [r.overall, ...r.operations]) {
    for (const kind of ["response", "service", "lag"] as const) {
      const decoded = decodeFromCompressedBase64(op.histograms[kind], 64);
      deepStrictEqual(latencyStats(decoded), op[kind], `${op.name} ${kind}`);
      strictEqual(encodeIntoCompressedBase64(decoded), op.histograms[kind]);
    }
  }
  strictEqual(r.overall.response.count, 1300);
  strictEqual(r.operations[1]!.lag.p50_us, 250);
});

Deno.test("counts: failures by SQLSTATE with their class, late, skipped, retries, reconnects", () => {
  const rec = new WorkloadRecorder({
    operations: ["transfer", "audit"],
    startMs: 0,
    latencyLimitUs: 10_000,
    planned: { seconds: 60 },
  });
  const serialization = {
    code: "40001",
    message: "could not serialize access",
    statement: "UPDATE accounts",
  };
  rec.done(0, 0, 0, 5);
  rec.done(0, 1, 1, 6, serialization);
  rec.done(0, 2, 2, 8, { ...serialization, message: "second message", statement: "x".repeat(1000) });
  rec.done(1, 3, 3, 20, { code: "23505", message: "duplicate key value", statement: "INSERT INTO audit" });
  rec.done(1, 10, 25, 26); // 16 ms response: late; 1 ms service
  rec.skipped(1, 30);
  rec.retried(0, "40001");
  rec.retried(0, "40P01");
  rec.reconnected();
  const live = rec.live(500);
  deepStrictEqual(live.mix, { transfer: 3, audit: 2 });
  deepStrictEqual(live.planned, { seconds: 60 });
  deepStrictEqual(live.recent_errors.map((e) => e.code), ["40001", "40001", "23505"]);
  ok(near(live.overall.max_us, 17_000));
  const r = rec.result(META, 1000, CLIENT);
  rec.dispose();
  deepStrictEqual(r.totals, {
    attempted: 5,
    succeeded: 2,
    failed: 3,
    skipped: 1,
    late: 2,
    retries: 2,
    reconnects: 1,
  });
  deepStrictEqual(r.operations.map((o) => [o.name, o.attempted, o.failed, o.late, o.skipped, o.retries]), [
    ["transfer", 3, 2, 0, 0, 2],
    ["audit", 2, 1, 2, 1, 0],
  ]);
  deepStrictEqual(r.overall.errors["40001"], {
    count: 2,
    class: "expected/concurrency",
    message: "could not serialize access",
    statement: "UPDATE accounts",
  });
  strictEqual(r.operations[1]!.errors["23505"]?.class, "expected/integrity");
  deepStrictEqual(Object.keys(r.operations[1]!.errors), ["23505"]);
  deepStrictEqual(r.errors_by_class, { "40": 2, "23": 1 });
  // Failed transactions are in the latency histograms, skipped ones are not.
  strictEqual(r.overall.response.count, 5);
  ok(near(r.operations[1]!.service.max_us, 17_000));
});

Deno.test("the recent failures in the live view are the last five", () => {
  const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 0 });
  for (let i = 0; i < 8; i++) rec.done(0, i, i, i + 1, { code: `5300${i}`, message: `m${i}`, statement: "" });
  deepStrictEqual(rec.live(10).recent_errors.map((e) => e.message), ["m3", "m4", "m5", "m6", "m7"]);
  rec.dispose();
});

Deno.test("BenchBase's summary fields", () => {
  const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 0 });
  for (let i = 1; i <= 100; i++) rec.done(0, i * 10, i * 10, i * 10 + i / 10);
  rec.done(0, 5, 5, 6, { code: "40P01", message: "deadlock detected", statement: "" });
  const r = rec.result({ ...META, pattern: "ledger", connections: 8, scale: 3 }, 2000, CLIENT);
  rec.dispose();
  strictEqual(r["Benchmark Type"], "ledger");
  strictEqual(r["DBMS Type"], "postgres");
  strictEqual(r["DBMS Version"], "17.2");
  strictEqual(r["Start timestamp (milliseconds)"], Date.parse("2024-05-01T12:00:00.000Z"));
  strictEqual(r["Elapsed Time (nanoseconds)"], 2_000_000_000);
  strictEqual(r["Measured Requests"], 101);
  strictEqual(r["Throughput (requests/second)"], 50.5);
  strictEqual(r["Goodput (requests/second)"], 50);
  strictEqual(r.terminals, 8);
  strictEqual(r.scalefactor, 3);
  const d = r["Latency Distribution"];
  // Response times 0.1, 0.2, … 10 ms and one of 1 ms.
  strictEqual(d["Minimum Latency (microseconds)"], 100);
  strictEqual(d["Median Latency (microseconds)"], r.overall.response.p50_us);
  ok(near(d["25th Percentile Latency (microseconds)"], 2500));
  ok(near(d["90th Percentile Latency (microseconds)"], 9000));
  strictEqual(d["Maximum Latency (microseconds)"], r.overall.response.max_us);
  ok(near(d["Maximum Latency (microseconds)"], 10_000));
  strictEqual(d["Average Latency (microseconds)"], Math.round(r.overall.response.mean_us));
  ok(Math.abs(d["Average Latency (microseconds)"] - (505_000 + 1000) / 101) <= 5);
});

Deno.test("a closed loop has no lag and no target", () => {
  const rec = new WorkloadRecorder({ operations: ["tx"], startMs: 0 });
  for (let i = 0; i < 50; i++) rec.done(0, i * 20, i * 20, i * 20 + 3.3);
  const r = rec.result({ ...META, mode: "closed" }, 1000, CLIENT);
  rec.dispose();
  deepStrictEqual(r.overall.response, r.overall.service);
  strictEqual(r.overall.lag.max_us, 0);
  ok(near(r.overall.service.p50_us, 3300));
  ok(!("target" in r.series[0]!));
});

Deno.test("toMicros rounds, keeps a floor and stops at an hour", () => {
  strictEqual(toMicros(1.2344, 1), 1234);
  strictEqual(toMicros(1.2345, 1), 1235);
  strictEqual(toMicros(0.0001, 1), 1);
  strictEqual(toMicros(0.0001, 0), 0);
  strictEqual(toMicros(-3, 0), 0);
  strictEqual(toMicros(2 * 3_600_000, 1), HIGHEST_US);
  const h = newHistogram();
  h.recordValue(toMicros(5 * 3_600_000, 1));
  ok(near(latencyStats(h).max_us, HIGHEST_US));
});

Deno.test("a recorder needs an operation", () => {
  throws(() => new WorkloadRecorder({ operations: [], startMs: 0 }), RangeError);
});
