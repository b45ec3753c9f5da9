import { deepStrictEqual as assertEquals, ok as assert, throws } from "node:assert/strict";
import { findMax, parseSlo, sloMiss } from "./find_max.ts";
import type { WorkloadResult } from "./result.ts";

/** A result with the given rate, p99 and failures: only what the search reads. */
function result(tps: number, p99Ms: number, failed = 0): WorkloadResult {
  const response = {
    count: 1,
    min_us: 1,
    mean_us: 1,
    p50_us: 1,
    p95_us: 1,
    p99_us: p99Ms * 1000,
    p999_us: 1,
    max_us: 1,
  };
  return {
    tps,
    overall: { response },
    totals: { succeeded: 1000 - failed, failed },
  } as unknown as WorkloadResult;
}

Deno.test("slo: objectives parse, and a result misses one for a stated reason", () => {
  const slo = parseSlo("p95<5ms, p99.9<50ms,max<1s");
  assertEquals(slo.bounds, [
    { stat: "p95", limitUs: 5000 },
    { stat: "p99.9", limitUs: 50000 },
    { stat: "max", limitUs: 1_000_000 },
  ]);
  throws(() => parseSlo("p99>10ms"), /is not an objective/);
  throws(() => parseSlo(" , "), /--slo is empty/);
  const p99 = parseSlo("p99<10ms");
  assertEquals(sloMiss(p99, result(100, 9.9), 100), undefined);
  assertEquals(sloMiss(p99, result(100, 12), 100), "p99 12.00 ms ≥ 10.00 ms");
  assertEquals(sloMiss(p99, result(90, 1), 100), "achieved 90 of 100 tps");
  assertEquals(sloMiss(p99, result(100, 1, 20), 100), "only 98.0% succeeded");
});

Deno.test("find-max: converges on the rate where the objective breaks, and a single stall does not end it", async () => {
  // A database whose p99 stays at 2 ms up to 1,234 tps and then climbs; flat out it does 5,000.
  let calls = 0;
  let stalledAt: number | undefined;
  const runs: (number | undefined)[] = [];
  const found = await findMax(parseSlo("p99<10ms"), (rate) => {
    calls++;
    runs.push(rate);
    if (rate === undefined) return Promise.resolve(result(5000, 50));
    // The first run at a rate the database sustains meets a stall of the machine.
    const stalled = rate <= 1234 && stalledAt === undefined;
    if (stalled) stalledAt = rate;
    return Promise.resolve(result(rate, stalled ? 80 : rate <= 1234 ? 2 : 20 + rate / 100));
  }, { tolerance: 0.01 });
  assert(found.rate <= 1234 && found.rate >= 1234 * 0.98, JSON.stringify(found));
  assert(found.failing > 1234 && found.failing <= 1234 * 1.03, JSON.stringify(found));
  assertEquals(found.ceiling, 5000);
  // The stalled rate was run again, passed, and the search went on above it.
  assertEquals(runs.filter((r) => r === stalledAt).length, 2);
  assert(found.rate > stalledAt!);
  assertEquals(found.steps.length, calls);
});
