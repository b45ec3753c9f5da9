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

const seconds = Number(Deno.args[0] ?? 10);
const rounds = Number(Deno.args[1] ?? 3);
const depths = (Deno.args[2] ?? "1,8").split(",").map(Number);
const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

async function command(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")}: ${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

function pgbenchArgs(url: URL): string[] {
  return [
    "-h",
    url.hostname,
    "-p",
    url.port || "5432",
    "-U",
    url.username || "postgres",
    url.pathname.slice(1),
  ];
}

async function pgbench(url: URL, duration: number): Promise<number> {
  const text = await command("pgbench", [
    "-S",
    "-c",
    "4",
    "-j",
    "2",
    "-T",
    String(duration),
    ...pgbenchArgs(url),
  ]);
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(text);
  if (!m) throw new Error(`no tps in pgbench output:\n${text}`);
  return Number(m[1]);
}

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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

await withTempDatabase(async (text) => {
  const url = new URL(text);
  await command("pgbench", ["-i", "-s", "10", "-q", ...pgbenchArgs(url)]);
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
  await pgbench(url, 2);
  await quarry(url, 2, 1);
  const results: Record<string, number[]> = { pgbench: [] };
  for (const d of depths) results[label(d)] = [];
  for (let r = 1; r <= rounds; r++) {
    results.pgbench!.push(await pgbench(url, seconds));
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
