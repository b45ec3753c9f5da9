/**
 * Execution throughput against pgbench on the same server and machine:
 * `pgbench -S -c 4 -j 2` (point SELECTs by primary key on pgbench_accounts)
 * and `quarry run --grammar select_workload -c 4` (point SELECTs by primary
 * key on the default schema), alternating in rounds after a warm-up, so
 * drift on this shared machine hits both alike. Reported per round and as
 * the ratio of medians.
 *
 * Usage: deno run -A bench/pgbench_compare.ts [seconds per run] [rounds] [pipeline depths, e.g. 1,4]
 *
 * @module
 */
import { withTempDatabase } from "../tests/_database.ts";
import { command, median, pgbenchInit, pgbenchSelectTps } from "./_pgbench.ts";

const seconds = Number(Deno.args[0] ?? 10);
const rounds = Number(Deno.args[1] ?? 3);
const depths = (Deno.args[2] ?? "1,8").split(",").map(Number);

async function quarry(url: URL, duration: number, pipeline: number): Promise<number> {
  const text = await command("deno", [
    "run",
    "--allow-read",
    "--allow-net",
    "--allow-env",
    "cli/main.ts",
    "run",
    "--grammar",
    "select_workload",
    "--db",
    url.href,
    "-c",
    "4",
    "--pipeline",
    String(pipeline),
    "--duration",
    String(duration),
    "--setup",
    "none",
    "--schema",
    "default",
    "--seed",
    "1",
    "--json",
  ]);
  const summary = JSON.parse(text);
  if (summary.failed > summary.statements / 100) {
    throw new Error(`quarry: ${summary.failed} statements failed`);
  }
  return summary.statementsPerSecond;
}

/** Quarry's row name; `run`'s default is 8 statements in flight per connection. */
const label = (depth: number) => `quarry run, pipeline ${depth}${depth === 8 ? " (default)" : ""}`;

await withTempDatabase(async (text) => {
  const url = new URL(text);
  await pgbenchInit(url, 10);
  // The default schema and its seed rows, the way `quarry run --setup default` makes them.
  await command("deno", [
    "run",
    "--allow-read",
    "--allow-net",
    "--allow-env",
    "cli/main.ts",
    "run",
    "-n",
    "1",
    "--grammar",
    "select_workload",
    "--db",
    url.href,
  ]);
  // Warm-up: both clients and the server's caches.
  await pgbenchSelectTps(url, 2);
  await quarry(url, 2, 1);
  const results: Record<string, number[]> = { pgbench: [] };
  for (const d of depths) results[label(d)] = [];
  for (let r = 1; r <= rounds; r++) {
    results.pgbench!.push(await pgbenchSelectTps(url, seconds));
    for (const d of depths) results[label(d)]!.push(await quarry(url, seconds, d));
    console.log(
      `round ${r}: ${Object.entries(results).map(([k, v]) => `${k} ${Math.round(v.at(-1)!)}/s`).join(", ")}`,
    );
  }
  const base = median(results.pgbench!);
  console.log(
    `\n| client (4 connections, ${seconds} s runs, ${rounds} rounds) | median statements/s | vs pgbench |`,
  );
  console.log("|---|---|---|");
  for (const [name, xs] of Object.entries(results)) {
    console.log(`| ${name} | ${Math.round(median(xs))} | ${(median(xs) / base).toFixed(2)}× |`);
  }
});
