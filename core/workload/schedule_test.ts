import { deepStrictEqual as assertEquals, ok as assert } from "node:assert/strict";
import { ArrivalSchedule, SlotDispatcher } from "./schedule.ts";

Deno.test("schedule: constant arrivals are evenly spaced at the rate", () => {
  const s = new ArrivalSchedule(100, "constant", () => 500, 1n);
  const times = Array.from({ length: 1001 }, () => s.next());
  assertEquals(times[0], 100);
  assert(Math.abs(times[1000]! - 2100) < 1e-6, String(times[1000]));
  assertEquals(s.peek() > times[1000]!, true);
});

Deno.test("schedule: Poisson gaps have the rate's mean, vary, and repeat for a seed", () => {
  const gaps = (seed: bigint) => {
    const s = new ArrivalSchedule(0, "poisson", () => 1000, seed);
    const t = Array.from({ length: 20001 }, () => s.next());
    return t.slice(1).map((x, i) => x - t[i]!);
  };
  const a = gaps(7n);
  const mean = a.reduce((x, y) => x + y, 0) / a.length;
  assert(Math.abs(mean - 1) < 0.03, `mean gap ${mean} ms`);
  // Exponential gaps: about 37% are longer than the mean.
  const longer = a.filter((g) => g > 1).length / a.length;
  assert(Math.abs(longer - Math.exp(-1)) < 0.02, `share above the mean ${longer}`);
  assertEquals(gaps(7n).slice(0, 50), a.slice(0, 50));
  assert(gaps(8n)[0] !== a[0]);
});

Deno.test("schedule: a changing rate changes the spacing from then on", () => {
  const s = new ArrivalSchedule(0, "constant", (at) => (at < 1000 ? 100 : 1000), 1n);
  const t: number[] = [];
  for (let x = s.next(); x < 2000; x = s.next()) t.push(x);
  // 100 slots in the first second, 1000 in the next.
  assertEquals(t.filter((x) => x < 1000).length, 100);
  assertEquals(t.filter((x) => x >= 1000).length, 1000);
});

Deno.test({
  name: "dispatcher: slots go to waiting lanes in order, never before they are due; close releases the rest",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const d = new SlotDispatcher(new ArrivalSchedule(performance.now() + 5, "constant", () => 2000, 1n));
    const got: number[] = [];
    const early: number[] = [];
    const lane = async () => {
      for (;;) {
        const slot = d.take();
        const due = typeof slot === "object" ? await slot : slot;
        if (due === undefined) return;
        if (performance.now() < due) early.push(due - performance.now());
        got.push(due);
        if (got.length >= 60) d.close();
      }
    };
    await Promise.all([lane(), lane(), lane()]);
    assert(got.length >= 60 && got.length <= 62, String(got.length));
    assertEquals(early, []);
    // Every slot of the schedule handed out once, 0.5 ms apart.
    got.sort((a, b) => a - b);
    for (let i = 1; i < got.length; i++) assert(Math.abs(got[i]! - got[i - 1]! - 0.5) < 1e-6);
    assertEquals(d.take(), undefined);
  },
});
