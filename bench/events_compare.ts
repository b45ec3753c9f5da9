/**
 * `quarry events` against the way an older Python event generator churns a
 * database, back to back on the same server and machine, with pgbench as the
 * server's ceiling for comparable work.
 *
 * What is measured: events per second (one event = one INSERT of 4 rows, one
 * UPDATE of 2 sampled rows or one DELETE of 1 sampled row, weighted 3:2:1
 * over the four tables of bench/specs/events_bench.sql). The baseline
 * (bench/events_baseline.py: psycopg2, one connection, one statement per
 * round trip, values made in Python) is what such a generator does;
 * `quarry events` runs with its defaults (prepared statements whose
 * parameters the kernel writes, 4 connections, 16 statements in flight on
 * each, sent in batches while the server still has work) and, to show
 * where the gain comes from, with `--statements literal` (text statements
 * like the baseline's, but pipelined on 4 connections). Both rates are
 * per second, so the baseline can run fewer events to keep the bench short.
 *
 * Why this way: the machine has 2 cores shared by client and server, so
 * every client's CPU per event is taken from the server. Each run starts
 * from a fresh copy of one template database (identical rows, and a
 * checkpoint just before it, since copies use STRATEGY = FILE_COPY); tools
 * alternate their order from round to round so drift hits all alike; a
 * warm-up run of each comes first. `synchronous_commit = off` is set with
 * ALTER DATABASE on the copy, so every tool's sessions get it the same way
 * (no tool's own flag is used). pgbench runs a custom mix of the same shape
 * (3 scripts weighted 3:2:1: a 4-row INSERT ... RETURNING id, an UPDATE of
 * 2 rows chosen by TABLESAMPLE SYSTEM_ROWS(2), a DELETE of 1 order_items
 * row chosen by TABLESAMPLE SYSTEM_ROWS(1)) with -M prepared -c 4 -j 2: its
 * tps is about as fast as a client can make this server go here.
 *
 * Usage: deno task bench:events [--events N (quarry, default 120000)]
 *   [--baseline-events N (default 10000)] [--rounds N (default 3)]
 *   [--connections N (quarry, default 4)] [--pgbench-seconds N (default 10)]
 *   [--no-literal] [--json]
 *
 * The 1-minute load average before and after is printed: other work on the
 * machine skews every rate, the fsync-bound synchronous_commit = on runs most.
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (trust, user postgres), psql, pgbench
 * and /usr/bin/python3 with psycopg2. Every database it makes is named
 * evbench_* with a random part and dropped at the end, also on failure or
 * Ctrl+C.
 *
 * @module
 */

const SERVER = "postgres://postgres@127.0.0.1:5432";
const PYTHON = "/usr/bin/python3";
const root = new URL("../", import.meta.url).pathname;
const dec = new TextDecoder();

interface Options {
  events: number;
  baselineEvents: number;
  rounds: number;
  connections: number;
  pgbenchSeconds: number;
  literal: boolean;
  json: boolean;
}

const USAGE = "usage: deno task bench:events [--events N] [--baseline-events N] [--rounds N] " +
  "[--connections N] [--pgbench-seconds N] [--no-literal] [--json]";

function parseOptions(args: string[]): Options {
  const o: Options = {
    // About 10 s of quarry, as long as the pgbench ceiling runs: in 3 s (40,000 events) the
    // compilation of its hot code (~0.6 s of CPU, once per process) is a fifth of its CPU.
    events: 120_000,
    baselineEvents: 10_000,
    rounds: 3,
    connections: 4,
    pgbenchSeconds: 10,
    literal: true,
    json: false,
  };
  const numeric: Record<string, "events" | "baselineEvents" | "rounds" | "connections" | "pgbenchSeconds"> = {
    "--events": "events",
    "--baseline-events": "baselineEvents",
    "--rounds": "rounds",
    "--connections": "connections",
    "--pgbench-seconds": "pgbenchSeconds",
  };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    if (flag === "--json") o.json = true;
    else if (flag === "--no-literal") o.literal = false;
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      Deno.exit(0);
    } else if (flag in numeric) {
      const text = inline ?? args[++i];
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) {
        throw new UsageError(`${flag} needs a whole number above 0, got ${text}`);
      }
      o[numeric[flag]!] = n;
    } else throw new UsageError(`Unknown argument ${args[i]}; ${USAGE}`);
  }
  return o;
}

class UsageError extends Error {}
class Interrupted extends Error {}

// ---------------------------------------------------------------- processes

let interrupted = false;
let current: Deno.ChildProcess | undefined;

function onSignal(): void {
  interrupted = true;
  try {
    current?.kill("SIGTERM");
  } catch { /* already gone */ }
}

interface Output {
  ok: boolean;
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs one command to its end; only one runs at a time, so Ctrl+C can stop it. A `stoppable` command
 * (all but the clean-up) is not started, and its result not used, once Ctrl+C was pressed.
 */
async function exec(cmd: string, args: string[], stoppable = true): Promise<Output> {
  if (stoppable && interrupted) throw new Interrupted();
  const began = performance.now();
  const child = new Deno.Command(cmd, { args, cwd: root, stdin: "null", stdout: "piped", stderr: "piped" })
    .spawn();
  if (stoppable) current = child;
  try {
    const out = await child.output();
    if (stoppable && interrupted) throw new Interrupted();
    return {
      ok: out.success,
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    if (stoppable) current = undefined;
  }
}

/** Like exec, but a failure is an error that shows the command and what it printed. */
async function mustExec(cmd: string, args: string[], stoppable = true): Promise<Output> {
  const out = await exec(cmd, args, stoppable);
  if (!out.ok) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${out.code}\n--- stdout\n${out.stdout}--- stderr\n${out.stderr}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- databases

const token = crypto.randomUUID().replaceAll("-", "").slice(0, 10);
const created = new Set<string>();
let copies = 0;

const psqlArgs = (db: string) => ["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", `${SERVER}/${db}`];
const admin = (sql: string, stoppable = true) =>
  mustExec("psql", [...psqlArgs("postgres"), "-c", sql], stoppable);

/** A fresh copy of the template; every run gets its own, so all start from the same rows. */
async function copyDatabase(template: string, asyncCommit: boolean): Promise<string> {
  const name = `evbench_run_${token}_${++copies}`;
  created.add(name);
  // FILE_COPY checkpoints before and after the copy: every run starts right after a checkpoint.
  await admin(`CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY = FILE_COPY`);
  if (asyncCommit) await admin(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  return name;
}

async function dropDatabase(name: string): Promise<void> {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, false);
  created.delete(name);
}

async function withCopy<T>(template: string, asyncCommit: boolean, fn: (db: string) => Promise<T>) {
  const db = await copyDatabase(template, asyncCommit);
  try {
    return await fn(db);
  } finally {
    await dropDatabase(db);
  }
}

// ---------------------------------------------------------------- tools

/** One measured run of an events tool. */
interface Run {
  round: number;
  seed: number;
  events: number;
  succeeded: number;
  successPercent: number;
  seconds: number;
  eventsPerSecond: number;
  succeededPerSecond: number;
  errors: Record<string, number>;
}

type Tool = "baseline" | "quarry" | "quarry literal";

/** The pipeline depth quarry reported (its default for the connections given). */
let quarryPipeline: number | undefined;
/** Quarry runs below 99% success (or short of their count), with their command. */
const warnings: string[] = [];

const quarryArgs = (db: string, events: number, connections: number, seed: number, literal: boolean) => [
  "run",
  "--allow-read",
  "--allow-net=127.0.0.1:5432",
  "--allow-env",
  "--allow-write",
  "cli/main.ts",
  "events",
  "--db",
  `${SERVER}/${db}`,
  "--num-iterations",
  String(events),
  "-c",
  String(connections),
  "--random-seed",
  String(seed),
  "--faker-seed",
  String(seed),
  ...(literal ? ["--statements", "literal"] : []),
  "--json",
];

const baselineArgs = (db: string, events: number, seed: number) => [
  "bench/events_baseline.py",
  "--dsn",
  `${SERVER}/${db}`,
  "--iterations",
  String(events),
  "--seed",
  String(seed),
  "--json",
];

function parseJson(cmd: string, args: string[], out: Output): Record<string, unknown> {
  try {
    return JSON.parse(out.stdout);
  } catch {
    throw new Error(
      `${cmd} ${args.join(" ")} printed no JSON\n--- stdout\n${out.stdout}--- stderr\n${out.stderr}`,
    );
  }
}

async function runTool(tool: Tool, db: string, o: Options, round: number, seed: number): Promise<Run> {
  if (tool === "baseline") {
    const args = baselineArgs(db, o.baselineEvents, seed);
    const j = parseJson(PYTHON, args, await mustExec(PYTHON, args)) as {
      events: number;
      succeeded: number;
      seconds: number;
      events_per_second: number;
      errors: Record<string, number>;
    };
    return {
      round,
      seed,
      events: j.events,
      succeeded: j.succeeded,
      successPercent: percent(j.succeeded, j.events),
      seconds: j.seconds,
      eventsPerSecond: j.events_per_second,
      succeededPerSecond: Math.round((10 * j.succeeded) / j.seconds) / 10,
      errors: j.errors,
    };
  }
  const args = quarryArgs(db, o.events, o.connections, seed, tool === "quarry literal");
  const out = await mustExec("deno", args);
  const j = parseJson("deno", args, out) as {
    events: number;
    succeeded: number;
    successPercent: number;
    seconds: number;
    eventsPerSecond: number;
    pipeline: number;
    errors: { code: string; count: number }[];
  };
  quarryPipeline = j.pipeline;
  const run: Run = {
    round,
    seed,
    events: j.events,
    succeeded: j.succeeded,
    successPercent: j.successPercent,
    seconds: j.seconds,
    eventsPerSecond: j.eventsPerSecond,
    succeededPerSecond: Math.round((10 * j.succeeded) / j.seconds) / 10,
    errors: Object.fromEntries(j.errors.map((e) => [e.code, e.count])),
  };
  if (run.successPercent < 99 || run.events !== o.events) {
    warnings.push(
      `WARNING: ${tool} round ${round} (seed ${seed}): ${run.succeeded} of ${run.events} events succeeded ` +
        `(${run.successPercent}%, expected >= 99% of ${o.events}); errors ${JSON.stringify(run.errors)}; ` +
        `command: deno ${args.join(" ")}; stderr: ${out.stderr.trim().replaceAll("\n", " | ")}`,
    );
  }
  return run;
}

// ---------------------------------------------------------------- pgbench

/** The ceiling mix: the same 3:2:1 shape as an events run, written as pgbench scripts. */
const PGBENCH_SCRIPTS: [string, number, string][] = [
  [
    "insert.sql",
    3,
    "INSERT INTO customers (name, email, created) VALUES\n" +
    Array.from(
      { length: 4 },
      () => "  (md5(random()::text), gen_random_uuid()::text || '@example.com', now())",
    ).join(",\n") +
    "\nRETURNING id;\n",
  ],
  [
    "update.sql",
    2,
    "UPDATE customers SET name = md5(random()::text)\n" +
    "WHERE id IN (SELECT id FROM customers TABLESAMPLE SYSTEM_ROWS(2));\n",
  ],
  [
    "delete.sql",
    1,
    "DELETE FROM order_items WHERE (order_id, line_no) IN\n" +
    "  (SELECT order_id, line_no FROM order_items TABLESAMPLE SYSTEM_ROWS(1));\n",
  ],
];

interface Ceiling {
  tps: number;
  transactions: number;
  failed: number;
}

const pgbenchArgs = (dir: string, db: string, seconds: number) => [
  "-n",
  "-M",
  "prepared",
  "-c",
  "4",
  "-j",
  "2",
  "-T",
  String(seconds),
  ...PGBENCH_SCRIPTS.flatMap(([file, weight]) => ["-f", `${dir}/${file}@${weight}`]),
  "-h",
  "127.0.0.1",
  "-p",
  "5432",
  "-U",
  "postgres",
  db,
];

async function pgbench(dir: string, db: string, seconds: number): Promise<Ceiling> {
  const out = await mustExec("pgbench", pgbenchArgs(dir, db, seconds));
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out.stdout);
  const done = /number of transactions actually processed: (\d+)/.exec(out.stdout);
  if (!tps || !done) throw new Error(`no tps in pgbench output:\n${out.stdout}${out.stderr}`);
  const failed = /number of failed transactions: (\d+)/.exec(out.stdout);
  return { tps: Number(tps[1]), transactions: Number(done[1]), failed: Number(failed?.[1] ?? 0) };
}

// ---------------------------------------------------------------- report

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const percent = (part: number, whole: number) => whole === 0 ? 100 : Math.round((10000 * part) / whole) / 100;
const round2 = (x: number) => Math.round(x * 100) / 100;

const LABELS: Record<Tool, string> = {
  "baseline": "baseline (Python + psycopg2, 1 connection)",
  "quarry": "quarry events (defaults: prepared)",
  "quarry literal": "quarry events --statements literal",
};

interface Setting {
  name: "sync" | "async";
  synchronousCommit: "on" | "off";
  tools: Partial<
    Record<Tool, { runs: Run[]; medianEventsPerSecond: number; medianSucceededPerSecond: number }>
  >;
  pgbench?: Ceiling;
  ratios: Record<string, number>;
}

/** Medians per tool; ratios to the baseline (median of per-round ratios) and to pgbench. */
function summarize(s: Setting): void {
  for (const t of Object.values(s.tools)) {
    t.medianEventsPerSecond = median(t.runs.map((r) => r.eventsPerSecond));
    t.medianSucceededPerSecond = median(t.runs.map((r) => r.succeededPerSecond));
    t.medianEventsPerSecond = round2(t.medianEventsPerSecond);
    t.medianSucceededPerSecond = round2(t.medianSucceededPerSecond);
  }
  const base = s.tools.baseline!;
  for (const tool of ["quarry", "quarry literal"] as const) {
    const t = s.tools[tool];
    if (!t) continue;
    const perRound = t.runs.map((r) =>
      r.eventsPerSecond / base.runs.find((b) => b.round === r.round)!.eventsPerSecond
    );
    s.ratios[`${tool} / baseline`] = round2(median(perRound));
  }
  if (s.pgbench) {
    for (const tool of ["quarry", "quarry literal", "baseline"] as const) {
      const t = s.tools[tool];
      if (t) s.ratios[`${tool} / pgbench`] = round2(t.medianEventsPerSecond / s.pgbench.tps);
    }
  }
}

function table(s: Setting, o: Options): string {
  const lines = [
    `synchronous_commit = ${s.synchronousCommit}${
      s.synchronousCommit === "off"
        ? " (ALTER DATABASE on each copy: every tool's sessions get it alike)"
        : ""
    }`,
    "",
    "| tool | median events/s | per round (events/s) | success % | median succeeded/s |",
    "|---|---:|---|---:|---:|",
  ];
  for (const [tool, t] of Object.entries(s.tools) as [Tool, NonNullable<Setting["tools"][Tool]>][]) {
    const label = tool === "baseline"
      ? LABELS.baseline
      : `${LABELS[tool]}, ${o.connections} connections, pipeline ${quarryPipeline ?? "?"}`;
    lines.push(
      `| ${label} | ${Math.round(t.medianEventsPerSecond)} | ${
        t.runs.map((r) => Math.round(r.eventsPerSecond)).join(", ")
      } | ${t.runs.map((r) => r.successPercent).join(", ")} | ${Math.round(t.medianSucceededPerSecond)} |`,
    );
  }
  if (s.pgbench) {
    const p = s.pgbench;
    lines.push(
      `| pgbench ceiling (-M prepared -c 4 -j 2, ${o.pgbenchSeconds} s, 1 run) | ${Math.round(p.tps)} | - | ${
        percent(p.transactions, p.transactions + p.failed)
      } | - |`,
    );
  }
  lines.push("");
  for (const [k, v] of Object.entries(s.ratios)) {
    const how = k.endsWith("/ baseline")
      ? " (median of per-round ratios)"
      : " (median events/s over pgbench tps)";
    lines.push(`${k}: ${v.toFixed(2)}x${how}`);
  }
  return lines.join("\n");
}

// ---------------------------------------------------------------- main

async function bench(o: Options, dir: string): Promise<Setting[]> {
  const template = `evbench_tpl_${token}`;
  const log = (s: string) => console.error(s);
  created.add(template);
  await admin(`CREATE DATABASE ${template}`);
  await mustExec("psql", [...psqlArgs(template), "-f", "bench/specs/events_bench.sql"]);
  // VACUUM sets hint bits and the visibility map once, so no run pays for them on the first touch.
  await mustExec("psql", [
    ...psqlArgs(template),
    "-c",
    "CREATE EXTENSION IF NOT EXISTS tsm_system_rows",
    "-c",
    "VACUUM (ANALYZE)",
  ]);
  log(`template ${template} loaded from bench/specs/events_bench.sql`);

  await withCopy(template, false, async (db) => {
    log("warm-up (discarded): quarry, baseline, pgbench");
    await runTool("quarry", db, { ...o, events: Math.min(o.events, 4000) }, 0, 1);
    await runTool("baseline", db, { ...o, baselineEvents: Math.min(o.baselineEvents, 1000) }, 0, 1);
    await pgbench(dir, db, 2);
  });

  const tools: Tool[] = o.literal ? ["baseline", "quarry", "quarry literal"] : ["baseline", "quarry"];
  const settings: Setting[] = (["sync", "async"] as const).map((name) => ({
    name,
    synchronousCommit: name === "sync" ? "on" : "off",
    tools: Object.fromEntries(
      tools.map((t) => [t, { runs: [], medianEventsPerSecond: 0, medianSucceededPerSecond: 0 }]),
    ),
    ratios: {},
  }));
  for (let round = 1; round <= o.rounds; round++) {
    const order = round % 2 === 1 ? tools : [...tools].reverse();
    for (const s of settings) {
      for (const tool of order) {
        const seed = 1000 + round;
        const run = await withCopy(template, s.name === "async", (db) => runTool(tool, db, o, round, seed));
        s.tools[tool]!.runs.push(run);
        log(
          `round ${round} ${s.name} ${tool}: ${Math.round(run.eventsPerSecond)} events/s, ` +
            `${run.successPercent}% succeeded (${run.events} events in ${run.seconds} s)`,
        );
      }
    }
  }
  for (const s of settings) {
    s.pgbench = await withCopy(template, s.name === "async", (db) => pgbench(dir, db, o.pgbenchSeconds));
    log(`pgbench ${s.name}: ${Math.round(s.pgbench.tps)} tps, ${s.pgbench.failed} failed`);
    summarize(s);
  }
  return settings;
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(Deno.args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    return 2;
  }
  const command = ["deno task bench:events", ...Deno.args].join(" ");
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "evbench_" });
  const began = performance.now();
  // Other work on these 2 cores skews every rate; the load average says whether there was any.
  const loadBefore = round2(Deno.loadavg()[0]!);
  try {
    for (const [file, , text] of PGBENCH_SCRIPTS) await Deno.writeTextFile(`${dir}/${file}`, text);
    const settings = await bench(o, dir);
    const minutes = (performance.now() - began) / 60_000;
    const load = {
      before: loadBefore,
      after: round2(Deno.loadavg()[0]!),
      cores: navigator.hardwareConcurrency,
    };
    const commands = {
      quarry: `deno ${quarryArgs("<copy>", o.events, o.connections, 1001, false).join(" ")}`,
      baseline: `${PYTHON} ${baselineArgs("<copy>", o.baselineEvents, 1001).join(" ")}`,
      pgbench: `pgbench ${pgbenchArgs("<scripts>", "<copy>", o.pgbenchSeconds).join(" ")}`,
    };
    if (o.json) {
      console.log(
        JSON.stringify(
          {
            command,
            options: o,
            quarryPipeline,
            commands,
            settings,
            warnings,
            load,
            minutes: round2(minutes),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    const out = [
      `command: ${command}`,
      `quarry events: ${o.events} per run; baseline: ${o.baselineEvents} per run; ${o.rounds} rounds; ` +
      `seeds 1001..${1000 + o.rounds} (round r uses 1000 + r for both tools); ${minutes.toFixed(1)} min`,
      "each run starts from a fresh copy of one template database (bench/specs/events_bench.sql); " +
      "tools alternate their order each round",
      `1-minute load average: ${load.before} before the bench, ${load.after} after (${load.cores} cores)` +
      (load.before >= 1 ? "; other processes were busy before it started, so rates are noisy" : ""),
      `  quarry:   ${commands.quarry}`,
      `            (quarry literal adds --statements literal)`,
      `  baseline: ${commands.baseline}`,
      `  pgbench:  ${commands.pgbench}`,
      "",
      ...settings.map((s) => table(s, o) + "\n"),
      ...warnings,
    ];
    console.log(out.join("\n"));
    return 0;
  } catch (e) {
    if (e instanceof Interrupted) {
      console.error("interrupted: dropping the bench databases");
      return 130;
    }
    throw e;
  } finally {
    for (const db of [...created].reverse()) {
      await dropDatabase(db).catch((e) => console.error(`could not drop ${db}: ${e.message}`));
    }
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

if (import.meta.main) Deno.exit(await main());
