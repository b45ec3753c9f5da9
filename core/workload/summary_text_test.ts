import { ok, strictEqual } from "node:assert/strict";
import { WorkloadRecorder } from "./recorder.ts";
import type { RunMeta, WorkloadResult } from "./result.ts";
import { formatMs, formatSummary, SUMMARY_WIDTH } from "./summary_text.ts";

const META: RunMeta = {
  pattern: "tpcb",
  target: "postgres://quarry@db.internal.example:5432/a_rather_long_database_name_for_this_test",
  server_version: "17.2",
  connections: 8,
  scale: 10,
  seed: "0x2a",
  mode: "open",
  arrival: "poisson",
  target_tps: 1000,
  latency_limit_us: 20_000,
  warmup_s: 5,
  started_at: "2024-05-01T12:00:00.000Z",
  quarry_version: "0.0.0-test",
};

/** 2 s at 1000 tps, 60% deposits (1 ms) and 40% transfers (3 ms), some late, failing, skipped. */
function result(meta: RunMeta = META): WorkloadResult {
  const rec = new WorkloadRecorder({
    operations: ["deposit", "transfer_with_a_name_longer_than_the_column"],
    startMs: 0,
    targetTps: 1000,
    latencyLimitUs: 20_000,
  });
  for (let i = 0; i < 2000; i++) {
    const op = i % 5 < 3 ? 0 : 1;
    const lag = i % 100 === 0 ? 25 : 0.02;
    const failure = i % 400 === 1
      ? {
        code: "40001",
        message: "could not serialize access due to concurrent update ".repeat(3),
        statement: "UPDATE accounts\n   SET balance = balance + 1 WHERE id = 7",
      }
      : i % 999 === 3
      ? { code: "23505", message: "duplicate key value", statement: "INSERT INTO history VALUES (1)" }
      : undefined;
    rec.done(op, i, i + lag, i + lag + (op === 0 ? 1 : 3), failure);
  }
  rec.skipped(1, 10);
  rec.retried(0, "40001");
  rec.retried(0, "40001");
  const r = rec.result(meta, 2000, {
    cpu_percent: 91.4,
    saturated: true,
    warnings: ["client CPU at 91% of a core: the rate may be the client's limit"],
  });
  rec.dispose();
  return r;
}

Deno.test("the summary: totals, rate, mix, latencies side by side, failures by class, self-check", () => {
  const r = result();
  const text = formatSummary(r);
  const lines = text.split("\n");
  for (const line of lines) ok(line.length <= SUMMARY_WIDTH, `${line.length}: ${line}`);
  ok(!text.includes("\x1b"), "no colours");
  const line = (start: string) => lines.find((l) => l.startsWith(start)) ?? "";

  strictEqual(
    line("Transactions"),
    "Transactions  1,993 succeeded, 7 failed, 1 skipped, 20 late, 2 retries, 0 reconnects",
  );
  strictEqual(line("Throughput"), "Throughput    1,000.0 tps (target 1,000), 996.5 tps succeeded");
  ok(lines[1]!.startsWith("open loop, poisson arrivals, target 1,000 tps, 8 connections, scale 10"));
  ok(line("deposit ").includes("60.0%"), line("deposit "));
  ok(line("transfer_with_a_name_lo…").includes("40.0%"));

  // The latency block of all: response, then service and lag on the next rows, in ms.
  const at = lines.findIndex((l) => l.startsWith("all "));
  const cells = (l: string) => l.trim().split(/\s+/).slice(-6);
  const o = r.overall;
  strictEqual(
    cells(lines[at]!).join(" "),
    [
      o.response.p50_us,
      o.response.p95_us,
      o.response.p99_us,
      o.response.p999_us,
      o.response.max_us,
      o.response.mean_us,
    ].map(formatMs).join(" "),
  );
  ok(lines[at]!.includes("response"));
  ok(lines[at + 1]!.trimStart().startsWith("service"));
  ok(lines[at + 2]!.trimStart().startsWith("lag"));
  strictEqual(cells(lines[at + 2]!)[4], "25.0"); // the largest lag: 25 ms
  strictEqual(cells(lines[at + 1]!)[4], "3.00"); // the largest service time: 3 ms

  // Failures: class 40 first (more), each code with its class, first message and statement on one line.
  const failures = lines.indexOf("Failures by SQLSTATE class");
  ok(failures > at);
  ok(lines[failures + 1]!.startsWith("  40  5 failures"), lines[failures + 1]);
  ok(
    lines[failures + 2]!.includes("40001") &&
      lines[failures + 2]!.includes("expected/concurrency: could not"),
  );
  ok(lines[failures + 3]!.endsWith("in: UPDATE accounts SET balance = balance + 1 WHERE id = 7"));
  ok(lines[failures + 4]!.startsWith("  23  2 failures"), lines[failures + 4]);

  ok(line("Client").includes("91% of one core"));
  ok(text.includes("the client was the limit"));
  ok(text.endsWith("  warning: client CPU at 91% of a core: the rate may be the client's limit"));
});

Deno.test("a closed loop shows one latency row per kind and no lag", () => {
  const r = result({ ...META, mode: "closed" });
  const text = formatSummary(r);
  ok(!/^\s+lag\b/m.test(text), text);
  ok(!text.includes("target"), text);
  ok(text.includes("closed loop: response time is service time"));
  strictEqual(text.split("\n").filter((l) => /^(all|deposit|transfer)/.test(l)).length, 2 + 3);
});

Deno.test("a single kind is not repeated as all; a merge says so; no failures, no failure section", () => {
  const rec = new WorkloadRecorder({ operations: ["ping"], startMs: 0 });
  for (let i = 0; i < 10; i++) rec.done(0, i * 100, i * 100, i * 100 + 0.4);
  const r = rec.result({ ...META, mode: "closed" }, 1000, { cpu_percent: 1, saturated: false, warnings: [] });
  rec.dispose();
  const text = formatSummary({ ...r, merged_from: 3 });
  ok(!/^all /m.test(text), text);
  ok(/^ping {2,}0\.400 /m.test(text), text);
  ok(text.includes("merged from 3 runs"));
  ok(!text.includes("Failures"));
});

Deno.test("formatMs keeps three significant digits in five characters", () => {
  const cases: [number, string][] = [
    [0, "0"],
    [1, "0.001"],
    [999, "0.999"],
    [1000, "1.00"],
    [1234, "1.23"],
    [9_996, "10.0"],
    [12_345, "12.3"],
    [123_456, "123"],
    [1_234_567, "1235"],
    [9_999_400, "9999"],
    [12_345_678, "12.3s"],
    [3_600_000_000, "3600s"],
  ];
  for (const [us, text] of cases) strictEqual(formatMs(us), text, `${us} µs`);
});
