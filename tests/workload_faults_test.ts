/**
 * `quarry workload run` when the server goes away: a private server
 * (tests/_private_server.ts) restarted in the middle of an open-loop run of
 * INSERTs (bench/workloads/faults.yaml), and one stopped for good.
 *
 * The INSERT-only workload makes the table's row count a ledger of what
 * committed: a transaction counted as succeeded is a row, a transaction
 * whose answer was lost when the connection dropped may or may not be one,
 * and nothing may be a row twice. The outage's slots are not dropped: they
 * run late once the lanes reconnect, and their lateness is in the response
 * time.
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { main, root, type Run } from "./_cli.ts";
import { scalar, sibling } from "./_events.ts";
import { withTempDatabase } from "./_database.ts";
import { withPrivateServer } from "./_private_server.ts";
import type { WorkloadResult } from "../core/workload/result.ts";

const PERMISSIONS = ["--allow-read", "--allow-write", "--allow-net", "--allow-env"];
const WORKLOAD = "bench/workloads/faults.yaml";
const dec = new TextDecoder();

/**
 * `quarry workload run ARGS` started in the background; `started` resolves
 * when the measured run begins (its "faults: …" line on stderr), `done` when
 * the process has exited. A run still going `deadlineMs` after it started
 * hangs: it is killed, and `done` rejects with what it printed.
 */
function spawnRun(
  args: readonly string[],
  deadlineMs: number,
): { started: Promise<void>; done: Promise<Run> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSIONS, main, "workload", "run", ...args],
    cwd: root.pathname,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let hung = false;
  const watchdog = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, deadlineMs);
  let stderr = "";
  let began!: () => void;
  let failed!: (e: Error) => void;
  const started = new Promise<void>((resolve, reject) => [began, failed] = [resolve, reject]);
  const readErr = (async () => {
    for await (const chunk of child.stderr) {
      stderr += dec.decode(chunk, { stream: true });
      if (/^quarry: faults: /m.test(stderr)) began();
    }
  })();
  const stdout = new Response(child.stdout).text();
  const done = (async () => {
    const [status, out] = await Promise.all([child.status, stdout, readErr]);
    clearTimeout(watchdog);
    failed(new Error(`the run ended before it began (exit ${status.code}):\n${stderr}`));
    if (hung) {
      throw new Error(
        `the run hung: killed after ${deadlineMs / 1000} s; its last lines:\n${
          stderr.trim().split("\n").slice(-8).join("\n")
        }`,
      );
    }
    return { code: status.code, stdout: out, stderr };
  })();
  // Whichever the test awaits first, the other's rejection is not left unhandled.
  started.catch(() => {});
  done.catch(() => {});
  return { started, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a SQLSTATE says the connection went away (08xxx, or 57P0x: the server shut down). */
const connectionCode = (code: string) => /^08|^57P0[123]$/.test(code);

/** Whether a run printed the password, as given or URL-encoded. */
const leaks = (r: Run, password: string) =>
  [password, encodeURIComponent(password)].some((p) => r.stdout.includes(p) || r.stderr.includes(p));

Deno.test({
  name: "workload run through a server restart: the rate holds, reconnects counted, nothing run twice",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withPrivateServer(async (server) => {
      const tps = 200, seconds = 8;
      const run = spawnRun([
        "--config",
        WORKLOAD,
        "--db",
        server.url,
        "--tps",
        String(tps),
        "--duration",
        String(seconds),
        "-c",
        "4",
        "--json",
      ], 20_000);
      await run.started;
      await sleep(3000);
      const downAt = performance.now();
      await server.restart({ mode: "fast", downMs: 1000 });
      const outageMs = performance.now() - downAt;
      const r = await run.done;
      deepStrictEqual(r.code, 0, r.stderr);
      ok(!leaks(r, server.password), "password printed");
      const result = JSON.parse(r.stdout) as WorkloadResult;
      const t = result.totals;
      const about = `totals ${JSON.stringify(t)}, errors ${JSON.stringify(result.errors_by_class)}`;

      ok(t.reconnects >= 1, `no reconnect counted: ${about}`);
      ok(t.failed >= 1, `the restart failed no transaction: ${about}`);
      for (const [code, e] of Object.entries(result.overall.errors)) {
        ok(connectionCode(code), `failure ${code} (${e.message}) is not a lost connection`);
      }
      ok(Object.keys(result.errors_by_class).every((c) => c === "08" || c === "57"), about);
      // Every slot of the schedule ran once: succeeded, or failed with its connection.
      deepStrictEqual(t.attempted, t.succeeded + t.failed);
      ok(Math.abs(t.attempted - tps * seconds) <= tps * seconds * 0.02, `slots lost: ${about}`);
      ok(t.failed < tps * seconds * 0.1, `too many failed for a ${outageMs.toFixed(0)} ms outage: ${about}`);

      // The table's rows: every success, plus at most the failures whose commit was not answered.
      const rows = await scalar(server.url, "SELECT count(*) FROM quarry_faults.events");
      ok(rows >= t.succeeded, `${rows} rows for ${t.succeeded} successes: a success did not commit`);
      ok(rows <= t.succeeded + t.failed, `${rows} rows for ${about}: a transaction ran twice`);

      // The slots due while the server was down waited for it: the wait is in the response time.
      const maxMs = result.overall.response.max_us / 1000;
      ok(maxMs >= 1000, `response max ${maxMs} ms, below the 1000 ms the server was down`);
      ok(maxMs < outageMs + 2000, `response max ${maxMs} ms for an outage of ${outageMs.toFixed(0)} ms`);
    });
  },
});

Deno.test({
  name: "workload run against a server that stops for good: exit 3, the summary so far, one error line",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withPrivateServer(async (server) => {
      const run = spawnRun([
        "--config",
        WORKLOAD,
        "--db",
        server.url,
        "--tps",
        "100",
        "--duration",
        "60",
        "-c",
        "2",
      ], 20_000);
      await run.started;
      await sleep(1500);
      await server.stop({ mode: "fast" });
      const r = await run.done;
      deepStrictEqual(r.code, 3, r.stderr);
      // The summary of the run so far, with the transactions that made it.
      const succeeded = /^Transactions +([\d,]+) succeeded, ([\d,]+) failed/m.exec(r.stdout);
      ok(succeeded, `no summary on stdout:\n${r.stdout}`);
      ok(Number(succeeded[1]!.replaceAll(",", "")) > 0, `nothing succeeded before the stop:\n${r.stdout}`);
      ok(Number(succeeded[2]!.replaceAll(",", "")) > 0, `no failure counted:\n${r.stdout}`);
      const errors = r.stderr.split("\n").filter((l) => /error/i.test(l));
      deepStrictEqual(errors.length, 1, r.stderr);
      match(
        errors[0]!,
        new RegExp(
          `^quarry: error: postgres://postgres@127\\.0\\.0\\.1:${server.port}/postgres: ` +
            "the database stayed unreachable",
        ),
      );
      ok(!leaks(r, server.password), "password printed");
      ok(!/^\s+at /m.test(r.stderr), `stack trace printed:\n${r.stderr}`);
    });
  },
});

Deno.test({
  name: "workload run: connections lost while idle are counted as reconnects, and nothing fails for it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withTempDatabase(async (url) => {
      const database = new URL(url).pathname.slice(1);
      const run = spawnRun([
        "--config",
        WORKLOAD,
        "--db",
        url,
        "--tps",
        "20",
        "-c",
        "3",
        "--duration",
        "4",
        "--json",
      ], 30_000);
      await run.started;
      await new Promise((r) => setTimeout(r, 1500));
      // Quarry's sessions in this test's own database, between transactions most of the time.
      const killed = await scalar(
        sibling(url, "postgres"),
        `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${database}' AND pid <> pg_backend_pid() AND application_name = 'quarry'`,
      );
      deepStrictEqual(killed, 3);
      const r = await run.done;
      deepStrictEqual(r.code, 0, r.stderr);
      const result = JSON.parse(r.stdout) as WorkloadResult;
      deepStrictEqual(result.totals.reconnects, 3, JSON.stringify(result.totals));
      // A transaction in flight at that moment may fail with the connection; none other does.
      ok(result.totals.failed <= 3, JSON.stringify(result.overall.errors));
      deepStrictEqual(result.totals.attempted, 80);
    });
  },
});
