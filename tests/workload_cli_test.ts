/**
 * `quarry workload` as a user drives it: list and show, runs on PGlite and on
 * PostgreSQL (open and closed loop, rows reused, results merged and
 * diffed), custom files in YAML and TOML, Ctrl+C, and bad input — each a
 * clear line and the documented exit code.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { withTempDatabase } from "./_database.ts";
import { scalar, withDir } from "./_events.ts";
import { patternNames } from "../core/workload/patterns.ts";
import type { WorkloadResult } from "../core/workload/result.ts";
import { main } from "./_cli.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];
const workload = (args: readonly string[]) => runCli(["workload", ...args], { permissions: PERMISSIONS });

/**
 * `quarry workload run ARGS` in the background; `waitFor(re)` reads its
 * stderr until `re` matches (or it ends) and returns all read so far.
 */
function spawnWorkload(args: readonly string[], stdout: "piped" | "null" = "piped") {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, main, "workload", "run", ...args],
    stdout,
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.getReader();
  let err = "";
  const waitFor = async (re: RegExp | undefined, deadlineMs = 60_000): Promise<string> => {
    const started = Date.now();
    while (re === undefined || !re.test(err)) {
      const { value, done } = await reader.read();
      if (done || Date.now() - started > deadlineMs) break;
      err += new TextDecoder().decode(value);
    }
    return err;
  };
  return { child, waitFor };
}

function resultOf(stdout: string): WorkloadResult {
  const r = JSON.parse(stdout) as WorkloadResult;
  deepStrictEqual(r.format, "quarry-workload/1");
  return r;
}

Deno.test("workload list and show: every pattern, its tables and its mix", async () => {
  const list = await workload(["list"]);
  deepStrictEqual(list.code, 0, list.stderr);
  for (const name of patternNames()) match(list.stdout, new RegExp(`^${name} +\\S`, "m"));
  const show = await workload(["show", "oltp"]);
  deepStrictEqual(show.code, 0, show.stderr);
  match(show.stdout, /accounts +100,000/);
  match(show.stdout, /transfer 20\.0%/);
  match(show.stdout, /UPDATE accounts SET abalance = abalance \+ :delta WHERE aid = :aid/);
});

Deno.test({
  name: "workload run on PGlite (the default): the oltp mix runs and prints its summary",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const r = await workload([
      "run",
      "--pattern",
      "oltp",
      "--scale",
      "0.02",
      "--transactions",
      "400",
      "--json",
    ]);
    deepStrictEqual(r.code, 0, r.stderr);
    const result = resultOf(r.stdout);
    deepStrictEqual([result.meta.target, result.meta.mode, result.totals.failed], ["pglite", "closed", 0]);
    deepStrictEqual(result.totals.succeeded, 400);
    deepStrictEqual(result.operations.map((o) => o.name), [
      "read_balance",
      "transfer",
      "account_range",
      "recent_history",
    ]);
    ok(result.operations.every((o) => o.succeeded > 0), "every kind ran");
    // The weights hold: read_balance is 60 % of the mix.
    const share = result.operations[0]!.succeeded / 400;
    ok(share > 0.5 && share < 0.7, `read_balance share ${share}`);
  },
});

Deno.test({
  name: "workload run on PostgreSQL: the target rate is held, rows are reused, results merge and diff",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await withDir(async (dir) => {
        const first = await workload([
          "run",
          "--pattern",
          "oltp",
          "--db",
          url,
          "--scale",
          "0.05",
          "--tps",
          "300",
          "--duration",
          "3",
          "--json",
          "--result",
          `${dir}/a.json`,
        ]);
        deepStrictEqual(first.code, 0, first.stderr);
        match(first.stderr, /loading 5,0\d\d rows into 4 tables of "quarry_oltp"/);
        const a = resultOf(first.stdout);
        deepStrictEqual([a.meta.mode, a.meta.target_tps, a.totals.failed], ["open", 300, 0]);
        ok(Math.abs(a.tps - 300) / 300 < 0.02, `achieved ${a.tps} tps of 300`);
        ok(a.overall.response.p50_us >= a.overall.service.p50_us, "response counts from the intended start");
        deepStrictEqual(JSON.parse(await Deno.readTextFile(`${dir}/a.json`)).totals, a.totals);
        // The accounts table holds the loaded rows plus nothing else; history grew by the transfers.
        deepStrictEqual(await scalar(url, "SELECT count(*) FROM quarry_oltp.accounts"), 5000);
        const transfers = a.operations.find((o) => o.name === "transfer")!.succeeded;
        deepStrictEqual(await scalar(url, "SELECT count(*) - 1 FROM quarry_oltp.history"), transfers);

        const second = await workload([
          "run",
          "--pattern",
          "oltp",
          "--db",
          url,
          "--scale",
          "0.05",
          "--duration",
          "2",
          "-c",
          "2",
          "--result",
          `${dir}/b.json`,
        ]);
        deepStrictEqual(second.code, 0, second.stderr);
        match(second.stderr, /reusing the rows in schema "quarry_oltp"/);
        match(second.stdout, /^Workload oltp: 2 s measured on postgres:\/\/postgres@127\.0\.0\.1/m);
        match(second.stdout, /closed loop, 2 connections, scale 0\.05/);

        const merged = await workload(["merge", `${dir}/a.json`, `${dir}/b.json`, "--json"]);
        deepStrictEqual(merged.code, 0, merged.stderr);
        const m = resultOf(merged.stdout);
        const b = JSON.parse(await Deno.readTextFile(`${dir}/b.json`)) as WorkloadResult;
        deepStrictEqual(m.totals.succeeded, a.totals.succeeded + b.totals.succeeded);
        deepStrictEqual(m.merged_from, 2);

        const diff = await workload(["diff", `${dir}/a.json`, `${dir}/b.json`]);
        deepStrictEqual(diff.code, 0, diff.stderr);
        match(diff.stdout, /read_balance/);
        match(diff.stdout, /transfer/);

        // A scale that differs reloads the pattern's own schema.
        const third = await workload([
          "run",
          "--pattern",
          "oltp",
          "--db",
          url,
          "--scale",
          "0.01",
          "--transactions",
          "50",
        ]);
        deepStrictEqual(third.code, 0, third.stderr);
        match(third.stderr, /holds other rows .*; reloading/);
        deepStrictEqual(await scalar(url, "SELECT count(*) FROM quarry_oltp.accounts"), 1000);
      });
    });
  },
});

Deno.test({
  name: "workload run --config: a file overriding a pattern (YAML) and a workload of its own (TOML)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withDir(async (dir) => {
      await Deno.writeTextFile(
        `${dir}/mine.yaml`,
        "pattern: oltp\nrun: { scale: 0.01, transactions: 120 }\ntransactions:\n" +
          "  - name: only_reads\n    sql: SELECT abalance FROM accounts WHERE aid = :aid\n" +
          "    params: { aid: { method: integers, min: 1, max: rows(accounts) } }\n",
      );
      const y = await workload(["run", "--config", `${dir}/mine.yaml`, "--transactions", "80", "--json"]);
      deepStrictEqual(y.code, 0, y.stderr);
      const ry = resultOf(y.stdout);
      deepStrictEqual([ry.operations.map((o) => o.name), ry.totals.succeeded], [["only_reads"], 80]);
      await Deno.writeTextFile(
        `${dir}/kv.toml`,
        `name = "kv"
description = "a key-value table"

[data.tables.kv]
rows = 200
primary_key = ["k"]
[data.tables.kv.columns.k]
method = "unique_ids"
kind = "sequential"
[data.tables.kv.columns.v]
method = "word"

[[transactions]]
name = "get"
weight = 3
sql = "SELECT v FROM kv WHERE k = :k"
[transactions.params.k]
method = "integers"
min = 1
max = "rows(kv)"

[[transactions]]
name = "put"
sql = ["UPDATE kv SET v = :v WHERE k = :k"]
[transactions.params.k]
method = "integers"
min = 1
max = 200
[transactions.params.v]
method = "word"

[run]
transactions = 200
`,
      );
      const t = await workload(["run", "--config", `${dir}/kv.toml`, "--json"]);
      deepStrictEqual(t.code, 0, t.stderr);
      const rt = resultOf(t.stdout);
      deepStrictEqual([rt.meta.pattern, rt.totals.succeeded, rt.totals.failed], ["kv", 200, 0]);
    });
  },
});

Deno.test({
  name: "workload run: Ctrl+C ends the run with its summary and exit 130",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { child, waitFor } = spawnWorkload(["--pattern", "oltp", "--scale", "0.01", "--duration", "600"]);
    // Running once the first progress line is out.
    await waitFor(/ tps, \d+ done/);
    child.kill("SIGINT");
    const err = await waitFor(undefined);
    const [status, stdout] = await Promise.all([child.status, new Response(child.stdout).text()]);
    deepStrictEqual(status.code, 130, err);
    match(stdout, /^Transactions +[\d,]+ succeeded, 0 failed/m);
    match(err, /^quarry: interrupted$/m);
  },
});

Deno.test({
  name: "workload: bad input is one clear line with exit 2, an unreachable server exit 3",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const cases: [string[], number, RegExp][] = [
      [
        ["run", "--pattern", "oltpp"],
        2,
        /unknown pattern "oltpp"; did you mean "oltp"\?; the patterns are oltp, /,
      ],
      [["run"], 2, /--pattern or --config is required; the patterns are oltp, /],
      [["run", "--pattern", "oltp", "--tps", "0"], 2, /--tps must be a rate above 0/],
      [["run", "--pattern", "oltp", "--tps", "fast"], 2, /--tps must be a rate above 0/],
      [["run", "--pattern", "oltp", "--find-max"], 2, /--find-max needs an objective: --slo 'p99<10ms'/],
      [["run", "--pattern", "oltp", "--find-max", "--slo", "p99>3"], 2, /is not an objective/],
      [
        ["run", "--pattern", "oltp", "--find-max", "--slo", "p99<9ms", "--tolerance", "0.1"],
        2,
        /--tolerance must be a percentage from 0.5% to 50%, e.g. 5% \(got "0.1"\)/,
      ],
      [["run", "--pattern", "oltp", "--tolerance", "5%"], 2, /--tolerance goes with --find-max/],
      [["run", "--pattern", "oltp", "-c", "4"], 2, /PGlite takes one connection/],
      [
        ["run", "--config", "/nonexistent/w.yaml"],
        2,
        /cannot read --config "\/nonexistent\/w\.yaml": no such file/,
      ],
      [["run", "--pattern", "oltp", "--db", "mysql://x"], 2, /--db must be "pglite" or a URL/],
      [["show", "nope"], 2, /unknown pattern "nope"/],
      [["frobnicate"], 2, /unknown workload subcommand "frobnicate"/],
      [
        ["run", "--pattern", "oltp", "--db", "postgres://postgres@127.0.0.1:1/x"],
        3,
        /cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/x: /,
      ],
    ];
    for (const [args, code, pattern] of cases) {
      const r = await workload(args);
      deepStrictEqual(r.code, code, `${args.join(" ")}: ${r.stderr}`);
      const lines = r.stderr.trim().split("\n");
      deepStrictEqual(lines.length, 1, `${args.join(" ")}: ${r.stderr}`);
      match(lines[0]!, pattern);
    }
    await withDir(async (dir) => {
      await Deno.writeTextFile(
        `${dir}/bad.yaml`,
        "pattern: oltp\ntransactions:\n  - name: x\n    sql: SELECT :a\n    params:\n      a: { method: intgers, min: 1, max: 2 }\n",
      );
      const r = await workload(["run", "--config", `${dir}/bad.yaml`]);
      deepStrictEqual(r.code, 2, r.stderr);
      match(r.stderr, /bad\.yaml:6:\d+: transactions\[0\]\.params\.a\.method: unknown method "intgers"/);
    });
  },
});

Deno.test({
  name: "workload: an `existing` parameter draws keys the table holds now, new ones included after a refresh",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      await withDir(async (dir) => {
        await Deno.writeTextFile(
          `${dir}/live.yaml`,
          `name: live
data:
  tables:
    items:
      rows: 3
      primary_key: [k]
      columns:
        k: { method: unique_ids, kind: sequential, start: 7000 }
        hits: { method: integers, min: 0, max: 0 }
setup:
  - ALTER TABLE items ALTER COLUMN k ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 9000)
transactions:
  - name: add
    sql: INSERT INTO items (hits) VALUES (0)
  - name: touch
    weight: 4
    sql: UPDATE items SET hits = hits + 1 WHERE k = :k
    params:
      k: { method: existing, table: items, column: k, refresh_s: 0.2 }
`,
        );
        const r = await workload([
          "run",
          "--config",
          `${dir}/live.yaml`,
          "--db",
          url,
          "--tps",
          "250",
          "--duration",
          "3",
          "--json",
        ]);
        deepStrictEqual(r.code, 0, r.stderr);
        const result = resultOf(r.stdout);
        deepStrictEqual(result.totals.failed, 0);
        const touched = result.operations.find((o) => o.name === "touch")!.succeeded;
        // Every UPDATE found its row: the keys were real, never NULL.
        deepStrictEqual(await scalar(url, "SELECT sum(hits) FROM quarry_live.items"), touched);
        // Rows inserted during the run were drawn too, once a refresh had read them.
        ok(await scalar(url, "SELECT count(*) FROM quarry_live.items WHERE k >= 9000 AND hits > 0") > 5);
      });
    });
  },
});

Deno.test({
  name: "workload run: --latency-limit counts late transactions, --skip-late skips those already late",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // oltp on PGlite at `tps` for 2 s, late above `limitMs`.
    const limited = (tps: number, limitMs: string, ...more: string[]) =>
      workload([
        "run",
        "--pattern",
        "oltp",
        "--scale",
        "0.01",
        "--tps",
        String(tps),
        "--duration",
        "2",
        "--latency-limit",
        limitMs,
        ...more,
        "--json",
      ]);
    // Every transaction takes longer than a microsecond: all are late, none skipped.
    const late = await limited(100, "0.001");
    deepStrictEqual(late.code, 0, late.stderr);
    const a = resultOf(late.stdout);
    deepStrictEqual([a.totals.late, a.totals.skipped], [a.totals.succeeded, 0]);
    // A rate one PGlite connection cannot keep: slots fall behind, and those already late are skipped.
    const skip = await limited(50000, "5", "--skip-late");
    deepStrictEqual(skip.code, 0, skip.stderr);
    const b = resultOf(skip.stdout);
    ok(b.totals.skipped > 0 && b.totals.succeeded > 0, JSON.stringify(b.totals));
    // Skipped slots never ran: they are in no latency histogram.
    deepStrictEqual(b.overall.response.count, b.totals.succeeded + b.totals.failed);
  },
});

Deno.test({
  name: "workload run --metrics-port: Prometheus text while the run goes on",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { child, waitFor } = spawnWorkload(
      ["--pattern", "oltp", "--scale", "0.01", "--tps", "200", "--duration", "4", "--metrics-port", "0"],
      "null",
    );
    const err = await waitFor(/metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const port = /metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(err)?.[1];
    ok(port, err);
    await new Promise((r) => setTimeout(r, 2000));
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const done = /^quarry_workload_transactions_total\{outcome="succeeded"\} (\d+)/m.exec(text);
    ok(done && Number(done[1]) > 0, text.slice(0, 500));
    match(text, /^# TYPE quarry_workload_target_tps gauge$/m);
    await waitFor(undefined);
    deepStrictEqual((await child.status).code, 0);
  },
});
