/**
 * `quarry workload run` through faults, each on a private server
 * (tests/_private_server.ts: initdb on a random loopback port, password
 * authentication):
 *
 * - **restart**: a 60 s open-loop run at 500 tps on 4 connections of
 *   bench/workloads/faults.yaml (one INSERT per transaction into an empty
 *   table), the server restarted in the middle: once with `pg_ctl stop -m
 *   fast` (sessions ended cleanly), once with `-m immediate` (a crash, then
 *   crash recovery), down 1 s each time. Printed: the transactions
 *   attempted, succeeded and failed (by SQLSTATE), reconnects, the table's
 *   rows against the successes (rows < succeeded: a success that did not
 *   commit; rows > succeeded + failed: a transaction run twice), response
 *   p99 and max, and how long the outage lasted: the server's downtime
 *   (stop begun → start done) and the longest gap between rows inserted.
 * - **connections**: 200 connections held for 60 s at 1000 tps
 *   (bench/workloads/point_select.yaml) on a server with
 *   max_connections=300. Printed: failures (there should be none), the rate
 *   achieved, Quarry's connections in pg_stat_activity sampled every second
 *   during the run, response and service p99.
 *
 * A run still going 90 s after its planned end hangs: it is killed, and
 * that is printed with its last progress lines.
 *
 * Usage: deno task bench:workload-faults [restart|connections|all, default all] [seconds, default 60]
 * (`deno task bench:workload-connections` runs the second part alone.)
 *
 * Requires `--allow-run=deno,runuser` (the CLI, and the server binaries as
 * the postgres user), `--allow-read=/etc/passwd,/usr/lib/postgresql`,
 * `--allow-write=/tmp` (the server's folder), `--allow-net=127.0.0.1` (the
 * checks on the server) and `--allow-env`.
 *
 * @module
 */
import postgres from "postgres";
import { type PrivateServer, withPrivateServer } from "../tests/_private_server.ts";
import type { WorkloadResult } from "../core/workload/result.ts";

const mode = Deno.args[0] ?? "all";
const seconds = Number(Deno.args[1] ?? 60);
if (!["restart", "connections", "all"].includes(mode) || !(seconds >= 10)) {
  console.error("usage: workload_faults.ts [restart|connections|all] [seconds ≥ 10]");
  Deno.exit(2);
}
const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();
/** What `deno task workload` grants the CLI. */
const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (us: number) => `${(us / 1000).toFixed(us < 10_000 ? 2 : 0)} ms`;
const int = (n: number) => n.toLocaleString("en-US");

/** How a run ended: its result, or why there is none. */
interface Ran {
  code: number;
  result: WorkloadResult | undefined;
  stderr: string;
  hung: boolean;
}

/**
 * Runs `quarry workload run ARGS --json`; `during` is called once the
 * measured run has begun (its start line on stderr) and awaited before the
 * run's end is.
 */
async function quarry(args: string[], during: () => Promise<void>): Promise<Ran> {
  const child = new Deno.Command("deno", {
    args: ["run", ...PERMISSIONS, "cli/main.ts", "workload", "run", ...args, "--json"],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  let began!: () => void;
  const started = new Promise<void>((resolve) => began = resolve);
  const readErr = (async () => {
    for await (const chunk of child.stderr) {
      stderr += dec.decode(chunk, { stream: true });
      if (/^quarry: \w+: [\d.]+ tps/m.test(stderr)) began();
    }
  })();
  const stdout = new Response(child.stdout).text();
  let hung = false;
  let exited = false;
  const ended = child.status.then(() => {
    exited = true;
    began();
  });
  await started;
  const watchdog = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, (seconds + 90) * 1000);
  if (!exited) await during();
  await ended;
  clearTimeout(watchdog);
  const [status, out] = await Promise.all([child.status, stdout, readErr]);
  let result: WorkloadResult | undefined;
  try {
    result = JSON.parse(out) as WorkloadResult;
  } catch { /* none: said below */ }
  return { code: status.code, result, stderr, hung };
}

/** Says why a run has no result (hung, or exited before printing one) and returns whether it has one. */
function printed(r: Ran): r is Ran & { result: WorkloadResult } {
  if (r.result && !r.hung) return true;
  const tail = r.stderr.trim().split("\n").slice(-6).map((l) => `    ${l}`).join("\n");
  console.log(
    r.hung
      ? `  HUNG: still running 90 s after its planned end; killed. Its last lines:\n${tail}`
      : `  no result (exit ${r.code}):\n${tail}`,
  );
  return false;
}

/** Failures by SQLSTATE, "08001 ×12 (message), …". */
function failuresBySqlstate(r: WorkloadResult): string {
  const e = Object.entries(r.overall.errors);
  if (e.length === 0) return "none";
  return e.map(([code, s]) => `${code} ×${int(s.count)} (${s.message.split("\n")[0]!.slice(0, 60)})`)
    .join(", ");
}

/** One restart in the middle of a run of faults.yaml; prints what it measured. */
async function restartRun(server: PrivateServer, how: "fast" | "immediate"): Promise<void> {
  const tps = 500, downMs = 1000;
  console.log(
    `\n## restart (${how}) ${seconds / 2} s into a ${seconds} s run at ${tps} tps, 4 connections, ` +
      `down ${downMs} ms`,
  );
  let downS = 0;
  const r = await quarry(
    [
      "--config",
      "bench/workloads/faults.yaml",
      "--db",
      server.url,
      "--reload",
      "--tps",
      String(tps),
      "--duration",
      String(seconds),
      "-c",
      "4",
    ],
    async () => {
      await sleep(seconds * 500);
      const at = performance.now();
      await server.restart({ mode: how, downMs });
      downS = (performance.now() - at) / 1000;
    },
  );
  console.log(`  exit ${r.code}`);
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe(
      `SELECT count(*)::int AS n,
              coalesce(extract(epoch FROM max(gap)), 0)::float8 AS gap
         FROM (SELECT at - lag(at) OVER (ORDER BY at) AS gap FROM quarry_faults.events) g`,
    );
    const { n: rows, gap } = row as unknown as { n: number; gap: number };
    if (!printed(r)) {
      console.log(`  rows in the table: ${int(rows)}`);
      return;
    }
    const t = r.result.totals;
    const verdict = rows < t.succeeded
      ? "FEWER than succeeded: a success did not commit"
      : rows > t.succeeded + t.failed
      ? "MORE than succeeded + failed: a transaction ran twice"
      : `ok: succeeded ≤ rows ≤ succeeded + failed (${int(rows - t.succeeded)} failed ones had committed)`;
    console.log(
      `  attempted ${int(t.attempted)} (${int(tps * seconds)} scheduled), succeeded ${int(t.succeeded)}, ` +
        `failed ${int(t.failed)}`,
    );
    console.log(`  failed by SQLSTATE: ${failuresBySqlstate(r.result)}`);
    console.log(`  reconnects ${t.reconnects}`);
    console.log(`  rows in the table ${int(rows)} vs succeeded ${int(t.succeeded)}: ${verdict}`);
    const resp = r.result.overall.response;
    console.log(`  response p99 ${ms(resp.p99_us)}, max ${ms(resp.max_us)}`);
    console.log(
      `  outage: server down ${downS.toFixed(2)} s (stop begun → start done), ` +
        `longest gap between rows inserted ${gap.toFixed(2)} s`,
    );
    for (const w of r.result.client.warnings) console.log(`  warning printed: ${w}`);
  } finally {
    await sql.end();
  }
}

/** 200 connections held at 1000 tps; prints what it measured. */
async function connectionsRun(server: PrivateServer): Promise<void> {
  const connections = 200, tps = 1000;
  console.log(
    `\n## ${connections} connections held for ${seconds} s at ${tps} tps (point_select, max_connections=300)`,
  );
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  const samples: number[] = [];
  try {
    const r = await quarry(
      [
        "--config",
        "bench/workloads/point_select.yaml",
        "--db",
        server.url,
        "-c",
        String(connections),
        "--tps",
        String(tps),
        "--duration",
        String(seconds),
      ],
      async () => {
        // One sample a second while the run is measured (its start line is printed when it begins).
        const end = performance.now() + seconds * 1000 - 500;
        while (performance.now() < end) {
          const [row] = await sql.unsafe(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'quarry'",
          );
          samples.push((row as unknown as { n: number }).n);
          await sleep(1000);
        }
      },
    );
    console.log(`  exit ${r.code}`);
    if (!printed(r)) return;
    const t = r.result.totals;
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `  attempted ${int(t.attempted)}, succeeded ${int(t.succeeded)}, failed ${int(t.failed)}: ` +
        failuresBySqlstate(r.result),
    );
    console.log(`  reconnects ${t.reconnects}, skipped ${t.skipped}`);
    console.log(`  tps achieved ${r.result.tps.toFixed(1)} of ${tps}`);
    console.log(
      `  Quarry's connections in pg_stat_activity (${samples.length} samples, 1 s apart): ` +
        `min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)}`,
    );
    const o = r.result.overall;
    console.log(
      `  response p99 ${ms(o.response.p99_us)}, max ${ms(o.response.max_us)}; ` +
        `service p99 ${ms(o.service.p99_us)}; lag p99 ${ms(o.lag.p99_us)}`,
    );
    console.log(`  client CPU ${r.result.client.cpu_percent}% of one core`);
    for (const w of r.result.client.warnings) console.log(`  warning printed: ${w}`);
  } finally {
    await sql.end();
  }
}

if (mode !== "connections") {
  await withPrivateServer(async (server) => {
    await restartRun(server, "fast");
    await restartRun(server, "immediate");
  });
}
if (mode !== "restart") {
  await withPrivateServer(connectionsRun, { settings: { max_connections: 300 } });
}
