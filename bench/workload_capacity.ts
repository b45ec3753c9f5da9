/**
 * Workload capacity against pgbench on the same server and machine:
 * `pgbench -S -c 4 -j 2` (a point SELECT by primary key on pgbench_accounts,
 * scale 1) and `quarry workload run --config bench/workloads/point_select.yaml
 * -c 4` (the same statement on a table of the same shape and size), closed
 * loop, alternating in rounds after a warm-up so drift on this shared
 * machine hits both alike. Quarry runs each transaction as a prepared
 * statement in one round trip (Bind, Execute, Sync), one transaction in
 * flight per connection like pgbench; `pgbench -M prepared` is shown too.
 *
 * Usage: deno task bench:workload-capacity [seconds per run, default 10] [rounds, default 3]
 *
 * @module
 */
import { withTempDatabase } from "../tests/_database.ts";
import { workloadRun } from "./_workload.ts";
import { median, pgbenchInit, pgbenchSelectTps } from "./_pgbench.ts";

const seconds = Number(Deno.args[0] ?? 10);
const rounds = Number(Deno.args[1] ?? 3);
async function quarry(url: URL, duration: number): Promise<number> {
  const { result: r } = await workloadRun([
    "--config",
    "bench/workloads/point_select.yaml",
    "--db",
    url.href,
    "-c",
    "4",
    "--duration",
    String(duration),
    "--seed",
    "1",
  ]);
  if (r.totals.failed > r.totals.attempted / 1000) throw new Error(`quarry: ${r.totals.failed} failed`);
  return r.tps;
}

await withTempDatabase(async (text) => {
  const url = new URL(text);
  await pgbenchInit(url, 1);
  // Warm-up: loads Quarry's table, warms both clients and the server's caches.
  await quarry(url, 2);
  await pgbenchSelectTps(url, 2);
  const results: Record<string, number[]> = {
    "pgbench -S -c 4 -j 2": [],
    "pgbench -S -M prepared -c 4 -j 2": [],
    "quarry workload (point_select, -c 4)": [],
  };
  const runs = Object.keys(results);
  for (let r = 1; r <= rounds; r++) {
    // Alternate the order so drift does not favour one tool.
    const order = r % 2 === 1 ? runs : [...runs].reverse();
    for (const name of order) {
      const tps = name.startsWith("quarry")
        ? await quarry(url, seconds)
        : await pgbenchSelectTps(url, seconds, name.includes("prepared") ? "prepared" : "simple");
      results[name]!.push(tps);
    }
    console.log(`round ${r}: ${runs.map((k) => `${k} ${Math.round(results[k]!.at(-1)!)}`).join(", ")}`);
  }
  const base = median(results[runs[0]!]!);
  console.log(
    `\n| client (closed loop, 4 connections, ${seconds} s runs, ${rounds} rounds) | median tps | vs pgbench -S |`,
  );
  console.log("|---|---|---|");
  for (const name of runs) {
    const m = median(results[name]!);
    console.log(`| ${name} | ${Math.round(m)} | ${(m / base).toFixed(2)}× |`);
  }
});
