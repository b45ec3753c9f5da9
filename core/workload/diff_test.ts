import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { diffResults, formatDiff, P99_WORSE_PCT, TPS_LOWER_PCT } from "./diff.ts";
import { WorkloadRecorder } from "./recorder.ts";
import type { RunMeta, WorkloadResult } from "./result.ts";

const META: RunMeta = {
  pattern: "tpcb",
  target: "pglite",
  server_version: "17.2",
  connections: 2,
  scale: 1,
  seed: "0x2a",
  mode: "closed",
  warmup_s: 0,
  started_at: "2024-05-01T12:00:00.000Z",
  quarry_version: "0.0.0-test",
};

/** A 10 s run: per kind, how many transactions and how long each takes (ms, spread ±50%). */
function run(kinds: Record<string, { n: number; ms: number; failed?: number }>): WorkloadResult {
  const names = Object.keys(kinds);
  const rec = new WorkloadRecorder({ operations: names, startMs: 0 });
  names.forEach((name, op) => {
    const { n, ms, failed = 0 } = kinds[name]!;
    for (let i = 0; i < n; i++) {
      const start = (i * 9990) / n;
      const took = ms * (0.5 + i / n);
      rec.done(
        op,
        start,
        start,
        start + took,
        i < failed ? { code: "40001", message: "", statement: "" } : undefined,
      );
    }
  });
  const r = rec.result(META, 10_000, { cpu_percent: 5, saturated: false, warnings: [] });
  rec.dispose();
  return r;
}

Deno.test("a p99 more than 10% worse and a rate more than 10% lower are regressions; less is not", () => {
  ok(P99_WORSE_PCT === 10 && TPS_LOWER_PCT === 10);
  const base = run({ deposit: { n: 1000, ms: 2 }, transfer: { n: 1000, ms: 4 }, audit: { n: 500, ms: 1 } });
  const now = run({
    deposit: { n: 1000, ms: 2.5, failed: 3 }, // p99 +25%
    transfer: { n: 850, ms: 4.2 }, // rate -15%, p99 +5%
    audit: { n: 480, ms: 1.05 }, // rate -4%, p99 +5%
  });
  const d = diffResults(base, now);
  deepStrictEqual(d.operations.map((o) => [o.name, o.presence, o.regressions]), [
    ["deposit", "both", ["p99"]],
    ["transfer", "both", ["tps"]],
    ["audit", "both", []],
  ]);
  const deposit = d.operations[0]!;
  strictEqual(deposit.tps.before, 100);
  strictEqual(deposit.tps.change_pct, 0);
  ok(Math.abs(deposit.p99_us.change_pct! - 25) < 0.5, `p99 change ${deposit.p99_us.change_pct}`);
  deepStrictEqual(deposit.failed, { before: 0, after: 3, change_pct: null });
  strictEqual(d.operations[1]!.tps.change_pct, -15);
  // Overall: 2500 → 2330 transactions is -6.8%; p99 is the transfers' +5%.
  deepStrictEqual(d.overall.regressions, []);
  ok(Math.abs(d.overall.tps.change_pct! - -6.8) < 1e-9);
  strictEqual(d.regressed, true);

  const text = formatDiff(d);
  const row = (name: string) => text.split("\n").find((l) => l.startsWith(`${name} `))!;
  ok(/\+25\.\d% !/.test(row("deposit")), row("deposit"));
  ok(row("transfer").includes("-15.0% !"), row("transfer"));
  ok(!row("audit").includes("!"), row("audit"));
  ok(!row("all").includes("!"), row("all"));
  ok(text.includes("! = p99 more than 10% higher, or TPS more than 10% lower, than the base"));
  ok(text.endsWith("Regressions: deposit (p99), transfer (tps)"), text);
  for (const line of text.split("\n")) ok(line.length <= 100, `${line.length}: ${line}`);
});

Deno.test("kinds only one side has are listed as such, with nothing to compare", () => {
  const base = run({ deposit: { n: 100, ms: 2 }, retired: { n: 10, ms: 1 } });
  const now = run({ deposit: { n: 100, ms: 2 }, added: { n: 10, ms: 1 } });
  const d = diffResults(base, now);
  deepStrictEqual(d.operations.map((o) => [o.name, o.presence, o.regressions]), [
    ["deposit", "both", []],
    ["retired", "base only", []],
    ["added", "run only", []],
  ]);
  deepStrictEqual(d.operations[1]!.tps, { before: 1, after: null, change_pct: null });
  strictEqual(d.operations[2]!.p50_us.before, null);
  strictEqual(d.regressed, false);
  const text = formatDiff(d);
  ok(/^retired .*\(base only\)$/m.test(text), text);
  ok(/^added .*\(run only\)$/m.test(text), text);
  ok(text.endsWith("No regressions beyond the thresholds."));
});

Deno.test("a run compared with itself changes nothing", () => {
  const r = run({ deposit: { n: 300, ms: 2 }, a_kind_with_a_very_long_name_indeed: { n: 30, ms: 9 } });
  const d = diffResults(r, r);
  for (const o of [d.overall, ...d.operations]) {
    for (const c of [o.tps, o.p50_us, o.p99_us, o.failed]) strictEqual(c.change_pct, 0);
  }
  const text = formatDiff(d);
  ok(text.includes("a_kind_with_a_ve…"));
  for (const line of text.split("\n")) ok(line.length <= 100, `${line.length}: ${line}`);
  ok(!text.includes("!  "), text);
});
