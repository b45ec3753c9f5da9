import { deepStrictEqual } from "node:assert/strict";
import { AlertWatch } from "./alerts.ts";
import type { MonitorSample } from "./sample.ts";

function sample(
  t: number,
  o: { rate?: number; rss?: number; replaced?: number; written?: number } = {},
): MonitorSample {
  return {
    elapsed_s: t,
    interval_s: 1,
    statements_per_s: o.rate ?? 1e6,
    rss_bytes: o.rss ?? 2 ** 27,
    unique: { replaced_ratio: o.replaced ?? 0 },
    workers: [{ worker: 0, statements: o.written ?? 1000, statements_per_s: 0 }],
  } as MonitorSample;
}

Deno.test("AlertWatch: each kind fires on its figure, on the right side of its threshold", () => {
  const w = new AlertWatch([
    { kind: "rate_below", threshold: 500_000, forSeconds: 0, fatal: false },
    { kind: "rss_above", threshold: 2 ** 30, forSeconds: 0, fatal: true, origin: "b.yaml:9:18" },
    { kind: "replaced_above", threshold: 0.01, forSeconds: 0, fatal: false },
  ]);
  deepStrictEqual(w.check(sample(1, { rate: 500_000, rss: 2 ** 30, replaced: 0.01 })), []);
  deepStrictEqual(
    w.check(sample(2, { rate: 499_999, rss: 2 ** 30 + 1, replaced: 0.0125 })).map((
      a,
    ) => [a.alert, a.message]),
    [
      ["rate_below", "statements/s 500k below 500k"],
      ["rss_above", "RSS 1.00 GiB above 1.00 GiB (b.yaml:9:18)"],
      ["replaced_above", "replaced share of attempts 1.25% above 1%"],
    ],
  );
});

Deno.test("AlertWatch: a rule fires once it has held for its time, once, and again after it cleared", () => {
  const w = new AlertWatch([{ kind: "rate_below", threshold: 1000, forSeconds: 3, fatal: true }]);
  const fired = (t: number, rate: number) => w.check(sample(t, { rate })).length;
  deepStrictEqual([fired(1, 10), fired(2, 10)], [0, 0]);
  deepStrictEqual(fired(3, 10), 1); // held over [0, 3]
  deepStrictEqual([fired(4, 10), fired(5, 10)], [0, 0]);
  deepStrictEqual(fired(6, 5000), 0); // cleared
  deepStrictEqual([fired(7, 10), fired(8, 10), fired(9, 10)], [0, 0, 1]);
  const a = new AlertWatch([{ kind: "rate_below", threshold: 1000, forSeconds: 2, fatal: false }]);
  deepStrictEqual(a.check(sample(1, { rate: 10 })), []);
  deepStrictEqual(a.check(sample(2, { rate: 10 }))[0]?.message, "statements/s 10 below 1k for 2.0 s");
});

Deno.test("AlertWatch: the rate is not judged before the first statement is written", () => {
  const w = new AlertWatch([{ kind: "rate_below", threshold: 1000, forSeconds: 1, fatal: true }]);
  deepStrictEqual(w.check(sample(1, { rate: 0, written: 0 })), []);
  deepStrictEqual(w.check(sample(2, { rate: 0, written: 0 })), []);
  // The hold starts with the first interval that wrote something.
  deepStrictEqual(w.check(sample(3, { rate: 10, written: 10 })).length, 1);
  const big = new AlertWatch([{ kind: "rate_below", threshold: 2e9, forSeconds: 0, fatal: false }]);
  deepStrictEqual(big.check(sample(1, { rate: 5e5 }))[0]?.message, "statements/s 500k below 2G");
});
