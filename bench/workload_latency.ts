/**
 * Latency accounting under stalls, with pgbench -R as the reference: does
 * `quarry workload run --tps` count a database stall in every transaction
 * scheduled during it (no coordinated omission)?
 *
 * One temporary database holds `quarry_stall.items` (10,000 rows, loaded
 * through bench/workloads/stall.yaml). While each measured run goes on, a
 * side connection in this process takes `LOCK TABLE quarry_stall.items IN
 * ACCESS EXCLUSIVE MODE` every second, holds it 50 ms (`pg_sleep(0.05)`)
 * and commits, so every point SELECT that arrives meanwhile waits. Four runs
 * on the same SELECT, alternating their order in rounds after a warm-up run
 * of each:
 *
 * 1. Quarry, open loop at 1000 tps, Poisson arrivals (as pgbench -R's);
 * 2. `pgbench -R 1000`, whose per-transaction log counts latency from each
 *    transaction's scheduled start (schedule lag included), first 2 s left
 *    out to match Quarry's warm-up;
 * 3. `pgbench` and 4. Quarry in a closed loop, for contrast: only the few
 *    transactions in flight wait during a stall, so their p99 hides it.
 *
 * The open-loop p99 and max of Quarry and pgbench should agree within 20 %
 * (PASS); the exit code is 1 when they do not.
 *
 * Usage: deno task bench:workload-latency [--seconds N (per run, default 30)] [--rounds N (default 2)]
 *
 * @module
 */
import postgres from "postgres";
import { withTempDatabase } from "../tests/_database.ts";

const TPS = 1000;
const CONNECTIONS = 4;
const WARMUP_S = 2;
const STALL_EVERY_MS = 1000;
const KEYS = 10_000;
const WORKLOAD = "bench/workloads/stall.yaml";
const STALL_SQL =
  "BEGIN; LOCK TABLE quarry_stall.items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(0.05); COMMIT";
const SCRIPT = `\\set id random(1, ${KEYS})\nSELECT v FROM quarry_stall.items WHERE id = :id;\n`;

const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

function options(args: string[]): { seconds: number; rounds: number } {
  const o = { seconds: 30, rounds: 2 };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    const key = flag === "--seconds" ? "seconds" : flag === "--rounds" ? "rounds" : undefined;
    const value = Number(inline ?? args[++i]);
    if (key === undefined || !Number.isInteger(value) || value < 1) {
      console.error(
        "usage: workload_latency.ts [--seconds N (per run, default 30)] [--rounds N (default 2)]",
      );
      Deno.exit(2);
    }
    o[key] = value;
  }
  return o;
}

/** What one run measured; latencies in ms. */
interface Measure {
  tps: number;
  p50: number;
  p99: number;
  max: number;
  serviceP99: number;
  lagP50: number;
  lagP99: number;
  failed: number;
}

interface Kind {
  tool: "quarry" | "pgbench";
  open: boolean;
}

const KINDS: Kind[] = [
  { tool: "quarry", open: true },
  { tool: "pgbench", open: true },
  { tool: "pgbench", open: false },
  { tool: "quarry", open: false },
];
const label = (k: Kind) => `${k.tool} ${k.open ? "open" : "closed"}`;

const shell = (cmd: string, args: string[]) =>
  [cmd, ...args].map((a) => /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`).join(" ");

/** The command of one run; pgbench logs to `${dir}/${prefix}.<pid>[.<thread>]`. */
function commandOf(k: Kind, url: URL, seconds: number, dir: string, prefix: string): [string, string[]] {
  if (k.tool === "quarry") {
    return ["deno", [
      ...["run", "--allow-read", "--allow-net=127.0.0.1", "--allow-env", "cli/main.ts", "workload", "run"],
      ...["--config", WORKLOAD, "--db", url.href, "-c", String(CONNECTIONS)],
      ...(k.open ? ["--tps", String(TPS), "--arrival", "poisson"] : []),
      ...["--duration", String(seconds), "--warmup", String(WARMUP_S), "--seed", "1", "--json"],
    ]];
  }
  // pgbench has no warm-up: it runs WARMUP_S longer and its first WARMUP_S are left out of the log's numbers.
  return ["pgbench", [
    ...(k.open ? ["-R", String(TPS)] : []),
    ...["-c", String(CONNECTIONS), "-j", "2", "-T", String(seconds + WARMUP_S), "-f", `${dir}/stall.sql`],
    ...["-l", `--log-prefix=${dir}/${prefix}`, "-n"],
    ...[
      "-h",
      url.hostname,
      "-p",
      url.port || "5432",
      "-U",
      url.username || "postgres",
      url.pathname.slice(1),
    ],
  ]];
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

/**
 * Reads pgbench's per-transaction log: `client_id transaction_no time script_no time_epoch time_us
 * [schedule_lag]`, where time is µs from the scheduled start (from the actual start without -R), the
 * epoch pair is when the transaction ended, and schedule_lag (with -R only) is µs from the scheduled
 * start to the actual one. Transactions that ended in the first WARMUP_S are left out.
 */
async function pgbenchLog(dir: string, prefix: string, seconds: number): Promise<Measure> {
  const rows: { end: number; latency: number; lag: number }[] = [];
  let failed = 0;
  for await (const f of Deno.readDir(dir)) {
    if (!f.name.startsWith(`${prefix}.`)) continue;
    const path = `${dir}/${f.name}`;
    for (const line of (await Deno.readTextFile(path)).split("\n")) {
      const c = line.split(" ");
      if (c.length < 6) continue;
      if (c[2] === "failed" || c[2] === "skipped") {
        failed++;
        continue;
      }
      const latency = Number(c[2]);
      const lag = c[6] === undefined ? 0 : Number(c[6]);
      // With -R, time counts from the scheduled start, so it includes the lag.
      if (latency < lag) throw new Error(`pgbench log line with time < schedule_lag: ${line}`);
      rows.push({ end: Number(c[4]) * 1e6 + Number(c[5]), latency, lag });
    }
    await Deno.remove(path);
  }
  if (rows.length === 0) throw new Error(`no transactions in pgbench's log ${dir}/${prefix}.*`);
  const start = rows.reduce((m, r) => Math.min(m, r.end - r.latency), Infinity);
  const kept = rows.filter((r) => r.end >= start + WARMUP_S * 1e6);
  const sorted = (f: (r: typeof rows[number]) => number) =>
    Float64Array.from(kept, f).sort().map((us) => us / 1000);
  const latency = sorted((r) => r.latency);
  const lag = sorted((r) => r.lag);
  return {
    tps: kept.length / seconds,
    p50: percentile(latency, 0.5),
    p99: percentile(latency, 0.99),
    max: latency[latency.length - 1]!,
    serviceP99: percentile(sorted((r) => r.latency - r.lag), 0.99),
    lagP50: percentile(lag, 0.5),
    lagP99: percentile(lag, 0.99),
    failed,
  };
}

function quarryResult(stdout: string): Measure {
  // deno-lint-ignore no-explicit-any
  const r: any = JSON.parse(stdout);
  for (const w of r.client.warnings) console.log(`  quarry self-check: ${w}`);
  const ms = (us: number) => us / 1000;
  return {
    tps: r.tps,
    p50: ms(r.overall.response.p50_us),
    p99: ms(r.overall.response.p99_us),
    max: ms(r.overall.response.max_us),
    serviceP99: ms(r.overall.service.p99_us),
    lagP50: ms(r.overall.lag.p50_us),
    lagP99: ms(r.overall.lag.p99_us),
    failed: r.totals.failed,
  };
}

/** The stall injector: from now until stop(), every STALL_EVERY_MS, STALL_SQL on its own connection. */
function startStalls(sql: postgres.Sql): { stop(): Promise<{ count: number; meanMs: number }> } {
  const t0 = performance.now();
  const took: number[] = [];
  let stopped = false;
  let wake = () => {};
  const loop = (async () => {
    for (let k = 1; !stopped; k++) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, t0 + k * STALL_EVERY_MS - performance.now()));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (stopped) break;
      const at = performance.now();
      await sql.unsafe(STALL_SQL).simple();
      took.push(performance.now() - at);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake();
      await loop;
      return { count: took.length, meanMs: took.reduce((a, b) => a + b, 0) / Math.max(1, took.length) };
    },
  };
}

const interrupt = new AbortController();
const onInterrupt = () => interrupt.abort();

/** Runs one command to its end (with the stall injector beside it when `sql` is given). */
async function run(cmd: string, args: string[], sql?: postgres.Sql): Promise<string> {
  if (interrupt.signal.aborted) throw new Error("Interrupted");
  const child = new Deno.Command(cmd, {
    args,
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: interrupt.signal,
  }).spawn();
  const stalls = sql ? startStalls(sql) : undefined;
  const out = await child.output().finally(async () => {
    const s = await stalls?.stop();
    if (s) {
      console.log(`  stalls: ${s.count}, each ${s.meanMs.toFixed(1)} ms (lock taken to commit acknowledged)`);
    }
  });
  if (interrupt.signal.aborted) throw new Error("Interrupted");
  if (!out.success) throw new Error(`${shell(cmd, args)} failed:\n${dec.decode(out.stderr)}`);
  return dec.decode(out.stdout);
}

async function measure(k: Kind, url: URL, seconds: number, dir: string, tag: string, sql?: postgres.Sql) {
  const prefix = `pgbench_${tag}`;
  const [cmd, args] = commandOf(k, url, seconds, dir, prefix);
  console.log(`${tag}: ${label(k)}, ${seconds} s`);
  const stdout = await run(cmd, args, sql);
  const m = k.tool === "quarry" ? quarryResult(stdout) : await pgbenchLog(dir, prefix, seconds);
  if (m.failed > 0) throw new Error(`${label(k)}: ${m.failed} transactions failed`);
  return { m, line: shell(cmd, args) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};
const f2 = (x: number) => x.toFixed(2);

function row(name: string, k: Kind, m: Measure): string {
  const mode = k.open ? `open, -R/--tps ${TPS}` : "closed";
  return `| ${name} | ${mode} | ${k.open ? TPS : "—"} | ${m.tps.toFixed(0)} | ${f2(m.p50)} | ${f2(m.p99)} | ${
    f2(m.max)
  } | ${f2(m.serviceP99)} | ${f2(m.lagP50)} | ${f2(m.lagP99)} |`;
}
const HEADER =
  "| tool | mode | target tps | achieved tps | p50 ms | p99 ms | max ms | service p99 ms | lag p50 ms | lag p99 ms |\n" +
  "|---|---|---|---|---|---|---|---|---|---|";

async function main(seconds: number, rounds: number): Promise<boolean> {
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "quarry_latency_" });
  try {
    await Deno.writeTextFile(`${dir}/stall.sql`, SCRIPT);
    return await withTempDatabase(async (text) => {
      const url = new URL(text);
      const sql = postgres(text, { max: 1, onnotice: () => {} });
      try {
        // Loads quarry_stall.items (later runs reuse it).
        await run(...commandOf(KINDS[0]!, url, 1, dir, "load"));
        await sql`SELECT 1`;
        for (const k of KINDS) {
          await measure(k, url, 3, dir, `warmup-${k.tool}-${k.open ? "open" : "closed"}`, sql);
        }
        const results = new Map<Kind, Measure[]>(KINDS.map((k) => [k, []]));
        const lines = new Map<Kind, string>();
        for (let r = 1; r <= rounds; r++) {
          // Alternate the order so drift does not favour one tool.
          for (const k of r % 2 === 1 ? KINDS : [...KINDS].reverse()) {
            const tag = `round${r}-${k.tool}-${k.open ? "open" : "closed"}`;
            const { m, line } = await measure(k, url, seconds, dir, tag, sql);
            results.get(k)!.push(m);
            if (!lines.has(k)) lines.set(k, line);
          }
        }
        return report(seconds, rounds, results, lines);
      } finally {
        await sql.end();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function report(seconds: number, rounds: number, results: Map<Kind, Measure[]>, lines: Map<Kind, string>) {
  console.log(`\nPer round (${seconds} s measured per run, ${WARMUP_S} s warm-up left out):\n\n${HEADER}`);
  for (let r = 0; r < rounds; r++) {
    for (const k of KINDS) console.log(row(`${label(k)} (round ${r + 1})`, k, results.get(k)![r]!));
  }
  const med = new Map<Kind, Measure>();
  for (const [k, ms] of results) {
    const of = (f: (m: Measure) => number) => median(ms.map(f));
    med.set(k, {
      tps: of((m) => m.tps),
      p50: of((m) => m.p50),
      p99: of((m) => m.p99),
      max: of((m) => m.max),
      serviceP99: of((m) => m.serviceP99),
      lagP50: of((m) => m.lagP50),
      lagP99: of((m) => m.lagP99),
      failed: 0,
    });
  }
  const name = (k: Kind) => k.tool === "quarry" ? "quarry workload run" : "pgbench";
  console.log(`\nMedian of ${rounds} rounds:\n\n${HEADER}`);
  for (const k of KINDS) console.log(row(name(k), k, med.get(k)!));
  const [q, p] = [med.get(KINDS[0]!)!, med.get(KINDS[1]!)!];
  const within = (x: number) => x >= 0.8 && x <= 1.2;
  const p99 = q.p99 / p.p99;
  const max = q.max / p.max;
  const pass = within(p99) && within(max);
  console.log(`\n| open loop, Quarry / pgbench -R | p99 | max |\n|---|---|---|`);
  for (let r = 0; r < rounds; r++) {
    const [qr, pr] = [results.get(KINDS[0]!)![r]!, results.get(KINDS[1]!)![r]!];
    console.log(`| round ${r + 1} | ${f2(qr.p99 / pr.p99)} | ${f2(qr.max / pr.max)} |`);
  }
  console.log(`| median of rounds | ${f2(p99)} | ${f2(max)} |`);
  console.log(
    `\n${pass ? "PASS" : "FAIL"}: Quarry's open-loop p99 and max are ${f2(p99)}× and ${
      f2(max)
    }× pgbench -R's` +
      ` (target 0.8–1.2).`,
  );
  console.log(`\nCommands (round 1; pgbench's script ${JSON.stringify(SCRIPT)}):`);
  for (const k of KINDS) console.log(`  ${lines.get(k)}`);
  console.log(
    `Stall injector, on its own connection every ${STALL_EVERY_MS} ms during each run: ${STALL_SQL}`,
  );
  return pass;
}

const { seconds, rounds } = options(Deno.args);
Deno.addSignalListener("SIGINT", onInterrupt);
try {
  if (!(await main(seconds, rounds))) Deno.exitCode = 1;
} catch (e) {
  console.error(interrupt.signal.aborted ? "Interrupted" : e);
  Deno.exitCode = interrupt.signal.aborted ? 130 : 3;
} finally {
  Deno.removeSignalListener("SIGINT", onInterrupt);
}
