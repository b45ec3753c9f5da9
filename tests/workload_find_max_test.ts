/**
 * `quarry workload run --find-max` on PostgreSQL: a workload whose capacity
 * is known (each transaction sleeps a fixed time on one of two connections)
 * is searched, steps that cannot meet the objective stop as soon as that is
 * certain, and the rest after a miss waits for the server's other backends.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";
import { withDir } from "./_events.ts";
import type { WorkloadResult } from "../core/workload/result.ts";
import { settleAfterMiss } from "../core/workload/settle.ts";
import { wireOptions, WireSession } from "../core/exec/wire.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];

Deno.test({
  name: "workload --find-max: finds a capacity it cannot exceed, and cuts overloaded steps short",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await withDir(async (dir) => {
        // 5 ms per transaction on 2 connections: at most 400 tps, whatever the machine.
        await Deno.writeTextFile(
          `${dir}/sleepy.yaml`,
          "name: sleepy\ndescription: fixed service time\ndata:\n  tables:\n    t:\n      rows: 1\n" +
            "      columns:\n        a: { method: integers, min: 1, max: 1 }\n" +
            "transactions:\n  - name: nap\n    sql: SELECT pg_sleep(0.005)\n",
        );
        const r = await runCli([
          "workload",
          "run",
          "--config",
          `${dir}/sleepy.yaml`,
          "--db",
          url,
          "-c",
          "2",
          "--find-max",
          "--slo",
          "p99<60ms",
          "--tolerance",
          "10%",
          "--duration",
          "2",
          "--json",
        ], { permissions: PERMISSIONS });
        deepStrictEqual(r.code, 0, r.stderr);
        const result = JSON.parse(r.stdout) as WorkloadResult & {
          find_max: {
            rate: number;
            failing: number;
            steps: { rate: number; seconds: number; miss?: string }[];
          };
        };
        const { rate, failing, steps } = result.find_max;
        ok(rate > 100 && rate < 400, `found ${rate} tps, outside what 2 × 5 ms allows: ${r.stderr}`);
        ok(failing > rate && failing <= 400, `${failing}`);
        // From 400 tps on the connections cannot keep up: misses are certain before a step's 2 s are over.
        const over = steps.filter((s) => s.rate >= 400);
        ok(
          over.length > 0 && over.every((s) => s.miss !== undefined && s.seconds! < 1.5),
          JSON.stringify(over),
        );
        match(r.stderr, /400 tps: .*misses it .*\(stopped after \d+\.\d s: certain\)/);
        match(r.stderr, /highest rate meeting p99<60ms: \d+ tps/);
      });
    });
  },
});

Deno.test({
  name: "workload --find-max: the rest after a miss lasts while another backend is busy",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const busy = new WireSession(wireOptions(new URL(url)));
      const watcher = new WireSession(wireOptions(new URL(url)));
      try {
        await watcher.query("SELECT 1");
        const sleeping = busy.query("SELECT pg_sleep(1.5)");
        await new Promise((resolve) => setTimeout(resolve, 200));
        const rest = await settleAfterMiss((sql) => watcher.query(sql), {
          minMs: 100,
          maxMs: 20_000,
          pollMs: 100,
        });
        ok(rest.restedMs >= 1000, `rested only ${rest.restedMs} ms while a backend slept`);
        deepStrictEqual(rest.stillBusy, false);
        await sleeping;
        const capped = busy.query("SELECT pg_sleep(1.5)");
        await new Promise((resolve) => setTimeout(resolve, 200));
        const short = await settleAfterMiss((sql) => watcher.query(sql), {
          minMs: 50,
          maxMs: 300,
          pollMs: 50,
        });
        deepStrictEqual(short.stillBusy, true);
        ok(short.restedMs < 1200, `${short.restedMs}`);
        await capped;
      } finally {
        await busy.close();
        await watcher.close();
      }
    });
  },
});
