/**
 * `quarry workload run`: a pattern or a custom workload at a target rate (or
 * flat out), with the live view, the summary, `--json`, `--result` and
 * `--report`.
 *
 * @module
 */
import process from "node:process";
import { PGlite } from "@electric-sql/pglite";
import { Interrupted, RuntimeFailure, UsageError } from "../errors.ts";
import { connectSessions, parseDatabaseUrl } from "../database.ts";
import { readSeed } from "../args.ts";
import { SpecError } from "../../core/data/parse_spec.ts";
import { LoadError } from "../../core/data/load.ts";
import { CopyError } from "../../core/exec/copy.ts";
import { pgliteTarget, type TransactingTarget } from "../../core/exec/targets.ts";
import { wireOptions, WireSession } from "../../core/exec/wire.ts";
import { quoteIdent } from "../../core/dialect/quote.ts";
import { formatSeed } from "../../core/seed.ts";
import { GenerationError } from "../../core/engine/errors.ts";
import { QUARRY_VERSION } from "../../core/version.ts";
import { resolveParams } from "../../core/workload/parse.ts";
import { WorkloadProgram } from "../../core/workload/program.ts";
import { refreshExisting } from "../../core/workload/existing_keys.ts";
import { prepareTables, WorkloadSetupError } from "../../core/workload/setup.ts";
import { WorkloadRecorder } from "../../core/workload/recorder.ts";
import { runWorkload, type WorkloadRunEnd } from "../../core/workload/runner.ts";
import {
  certainMiss,
  type EarlyVerdict,
  earlyVerdict,
  findMax,
  type FindMaxStep,
  parseSlo,
  type Slo,
} from "../../core/workload/find_max.ts";
import { settleAfterMiss } from "../../core/workload/settle.ts";
import type { RunMeta, WorkloadResult } from "../../core/workload/result.ts";
import { formatSummary } from "../../core/workload/summary_text.ts";
import { renderReport } from "../../core/workload/report_html.ts";
import { serveMetrics } from "../../core/workload/prometheus.ts";
import { type Flags, loadWorkload, resolveSettings } from "./workload_settings.ts";
import { LiveView } from "./workload_view.ts";

/** Runs `quarry workload run` with parsed flags; returns the exit code. */
export async function workloadRun(flags: Flags): Promise<number> {
  let loaded;
  try {
    loaded = loadWorkload(flags);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(e.message);
    throw e;
  }
  const { def } = loaded;
  const dbText = (flags.db as string | undefined) ?? "pglite";
  const pglite = dbText === "pglite";
  const url = pglite ? undefined : parseDatabaseUrl(dbText);
  if (url && !url.password && Deno.env.get("PGPASSWORD")) url.password = Deno.env.get("PGPASSWORD")!;
  const s = resolveSettings(flags, def, pglite);
  const seed = readSeed(s.seed);
  const where = pglite ? "pglite" : `postgres://${url!.username || "postgres"}@${url!.host}${url!.pathname}`;
  const progressS = flags.progress === undefined ? 1 : Number(flags.progress);
  if (!(progressS > 0)) throw new UsageError(`--progress must be seconds above 0 (got "${flags.progress}")`);
  const metricsPort = flags["metrics-port"] === undefined ? undefined : Number(flags["metrics-port"]);
  if (
    metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort < 65536)
  ) {
    throw new UsageError(`--metrics-port must be a port number (got "${flags["metrics-port"]}")`);
  }
  const log = (line: string) => console.error(`quarry: ${line}`);
  let slo: Slo | undefined;
  if (flags["find-max"] === true) {
    if (typeof flags.slo !== "string") {
      throw new UsageError("--find-max needs an objective: --slo 'p99<10ms'");
    }
    if (flags.tps !== undefined) throw new UsageError("--find-max chooses the rates itself; leave out --tps");
    try {
      slo = parseSlo(flags.slo);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  } else if (flags.slo !== undefined) throw new UsageError("--slo goes with --find-max");
  let tolerance = 0.02;
  if (flags.tolerance !== undefined) {
    const m = /^(\d+(?:\.\d+)?)%$/.exec(String(flags.tolerance));
    tolerance = m ? Number(m[1]) / 100 : NaN;
    if (!(tolerance >= 0.005 && tolerance <= 0.5)) {
      throw new UsageError(
        `--tolerance must be a percentage from 0.5% to 50%, e.g. 5% (got "${flags.tolerance}")`,
      );
    }
    if (slo === undefined) throw new UsageError("--tolerance goes with --find-max");
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const sig of signals) Deno.addSignalListener(sig, onSignal);
  const sessions: TransactingTarget[] = [];
  let db: PGlite | undefined;
  let server: { close(): Promise<void> } | undefined;
  const refreshers: ReturnType<typeof setInterval>[] = [];
  try {
    if (pglite) {
      db = await PGlite.create();
      sessions.push(await pgliteTarget(db));
    } else {
      const options = wireOptions(url!, 60_000);
      // UTC: parameters like now-1h are written as UTC times without a zone.
      options.settings = { search_path: s.schema, TimeZone: "UTC" };
      for (let i = 0; i < s.connections; i++) sessions.push(new WireSession(options));
      await connectSessions(sessions as WireSession[], where);
    }
    const first = sessions[0]!;
    const version = await first.query("SHOW server_version");
    const tables = await prepareTables(def, {
      query: (sql) => first.query(sql),
      db: pglite ? "pglite" : url!.href,
      ...(db ? { pglite: db } : {}),
      scale: s.scale,
      schema: s.schema,
      reload: flags.reload === true,
      log,
      signal: controller.signal,
    });
    if (tables.reused) log(`reusing the rows in schema "${s.schema}" (--reload loads them again)`);
    else log(`loaded in ${tables.seconds.toFixed(1)} s`);
    if (pglite) {
      await first.run(`SET search_path TO ${quoteIdent(s.schema)}`);
      await first.run("SET TimeZone TO 'UTC'");
    }
    if (controller.signal.aborted) throw new Interrupted();

    let params;
    try {
      params = resolveParams(def, {
        rowsOf: (t) => tables.rows.get(t),
        now: new Date(),
        positions: loaded.positions,
      });
    } catch (e) {
      if (e instanceof SpecError) throw new UsageError(e.message);
      throw e;
    }
    const program = new WorkloadProgram(def.transactions, params, seed);
    for (const keys of program.existing) {
      const r = await refreshExisting(keys, (sql) => first.query(sql));
      if ("error" in r) {
        throw new UsageError(
          `a parameter draws keys of ${keys.table}.${keys.column}, which cannot be read: ${r.error}`,
        );
      }
      if (r.held === 0) {
        log(`warning: ${keys.table}.${keys.column} holds no keys yet; its parameters are NULL until it does`);
      }
      refreshers.push(setInterval(() => {
        refreshExisting(keys, (sql) => first.query(sql)).catch(() => {});
      }, keys.refreshS * 1000));
    }
    const operations = def.transactions.map((t) => t.name);
    let recorder: WorkloadRecorder | undefined;
    if (metricsPort !== undefined) {
      const m = serveMetrics({
        port: metricsPort,
        snapshot: () => (recorder ?? idle).live(performance.now()),
        operations,
      });
      server = m;
      log(`metrics at http://127.0.0.1:${m.port}/metrics`);
    }
    const idle = new WorkloadRecorder({ operations, startMs: performance.now() });

    /** One run at `tps` (undefined: closed loop): its result and how it ended. */
    const once = async (
      tps: number | undefined,
      o: { durationS?: number; transactions?: number; warmupS: number; verdict?: EarlyVerdict },
    ) => {
      const startMs = performance.now();
      const planned = o.durationS !== undefined
        ? { seconds: o.durationS }
        : { transactions: o.transactions! };
      const rec = new WorkloadRecorder({
        operations,
        startMs,
        ...(tps !== undefined ? { targetTps: tps } : {}),
        ...(s.latencyLimitMs !== undefined ? { latencyLimitUs: s.latencyLimitMs * 1000 } : {}),
        warmupUntilMs: startMs + o.warmupS * 1000,
        planned,
        ...(o.verdict ? { overUs: o.verdict.limitUs } : {}),
      });
      // --find-max: a step whose miss is already certain stops (see core/workload/find_max.ts).
      const decided = new AbortController();
      // Poisson arrivals may bring a few more than rate × duration: the verdict allows four deviations.
      const expected = (tps ?? 0) * (o.durationS ?? 0);
      const plannedTransactions = s.arrival === "poisson" ? expected + 4 * Math.sqrt(expected) : expected;
      const signal = o.verdict ? AbortSignal.any([controller.signal, decided.signal]) : controller.signal;
      recorder = rec;
      const view = new LiveView({
        terminal: Deno.stderr.isTerminal() && flags.json !== true,
        everyS: progressS,
        targetTps: tps,
        operations,
      });
      const cpuBefore = process.cpuUsage();
      let end;
      try {
        end = await runWorkload({
          sessions,
          program,
          recorder: rec,
          seed: seed[0] ^ seed[2],
          pipeline: s.pipeline,
          ...(tps !== undefined ? { tps } : {}),
          arrival: s.arrival,
          warmupS: o.warmupS,
          ...(o.durationS !== undefined ? { durationS: o.durationS } : {}),
          ...(o.transactions !== undefined ? { transactions: o.transactions } : {}),
          ...(s.latencyLimitMs !== undefined ? { latencyLimitMs: s.latencyLimitMs } : {}),
          skipLate: s.skipLate,
          maxTries: s.maxTries,
          signal,
          startMs,
          onTick: (now) => {
            if (o.verdict && certainMiss(o.verdict, rec.over, plannedTransactions)) decided.abort();
            view.update(rec.live(now));
          },
        });
      } finally {
        view.close();
      }
      const cpu = process.cpuUsage(cpuBefore);
      const wallMs = performance.now() - startMs;
      const meta: RunMeta = {
        pattern: def.name,
        target: where,
        server_version: version.ok ? String(version.rows[0]?.[0] ?? "") : "",
        connections: s.connections,
        scale: s.scale,
        seed: formatSeed(seed),
        mode: tps !== undefined ? "open" : "closed",
        ...(tps !== undefined ? { arrival: s.arrival, target_tps: tps } : {}),
        ...(s.latencyLimitMs !== undefined ? { latency_limit_us: s.latencyLimitMs * 1000 } : {}),
        warmup_s: o.warmupS,
        started_at: new Date(Date.now() - (performance.now() - end.measuredStartMs)).toISOString(),
        quarry_version: QUARRY_VERSION,
      };
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
      const result = rec.result(meta, end.endMs, selfCheck(cpuPercent, pglite));
      if (recorder === rec) recorder = idle;
      rec.dispose();
      addLagWarning(result);
      return { result, end, decidedEarly: decided.signal.aborted };
    };

    const ending = s.durationS !== undefined ? { durationS: s.durationS } : { transactions: s.transactions! };
    if (slo !== undefined) {
      log(
        `searching for the highest rate with ${slo.text}: steps of ${
          s.durationS ?? 10
        } s after 1 s of warm-up`,
      );
      let stopped: WorkloadRunEnd | undefined;
      const verdict = earlyVerdict(slo);
      let early = false;
      const found = await findMax(slo, async (rate) => {
        if (controller.signal.aborted) throw new Interrupted();
        const { result, end, decidedEarly } = await once(rate, {
          durationS: s.durationS ?? 10,
          warmupS: 1,
          ...(verdict ? { verdict } : {}),
        });
        early = decidedEarly;
        if (end.stoppedBy === "unreachable") stopped = end;
        if (stopped || controller.signal.aborted) throw new Interrupted();
        return result;
      }, {
        tolerance,
        onStep: (step) =>
          log(describeStep(step) + (early ? ` (stopped after ${step.seconds.toFixed(1)} s: certain)` : "")),
        // A step of fewer than 100 transactions cannot judge a p99.
        minRate: Math.ceil(100 / (s.durationS ?? 10)),
        settle: async () => {
          // At least half a step (3 s at most): an overload cut short by its verdict leaves little behind.
          const minMs = Math.min(3000, ((s.durationS ?? 10) * 1000) / 2);
          const r = await settleAfterMiss((sql) => first.query(sql), {
            pglite,
            minMs,
            signal: controller.signal,
          });
          if (r.stillBusy) {
            log(`  the database was still busy after ${(r.restedMs / 1000).toFixed(0)} s of rest`);
          }
        },
      });
      if (stopped) throw new RuntimeFailure(`${where}: ${stopped.reason}`);
      console.error(
        `quarry: highest rate meeting ${slo.text}: ${found.rate} tps (${
          Number.isFinite(found.failing) ? `${found.failing} tps failed` : "no rate above it failed"
        }; ${found.steps.length} steps)`,
      );
      if (found.best) {
        found.best.client.warnings.push(
          `--find-max: ${found.rate} tps is the highest rate found meeting ${slo.text}`,
        );
        const { rate, failing, steps } = found;
        await writeOutputs(flags, {
          ...found.best,
          find_max: { slo: slo.text, rate, failing, steps },
        });
      } else console.log(`no rate met ${slo.text}; the lowest tried was ${found.failing} tps`);
      return found.best ? 0 : 3;
    }
    log(
      `${def.name}: ${
        s.tps !== undefined ? `${s.tps} tps (${s.arrival})` : "closed loop"
      }, ${s.connections} ` +
        `connection${s.connections === 1 ? "" : "s"}, ${
          s.durationS !== undefined ? `${s.durationS} s` : `${s.transactions} transactions`
        }${s.warmupS > 0 ? ` after ${s.warmupS} s of warm-up` : ""}, seed ${formatSeed(seed)}`,
    );
    const { result, end } = await once(s.tps, { ...ending, warmupS: s.warmupS });
    await writeOutputs(flags, result);
    if (end.stoppedBy === "unreachable") {
      throw new RuntimeFailure(`${where}: ${end.reason}; the summary above is the run so far`);
    }
    if (controller.signal.aborted) throw new Interrupted();
    return 0;
  } catch (e) {
    if (controller.signal.aborted && !(e instanceof Interrupted)) throw new Interrupted();
    if (e instanceof WorkloadSetupError) throw new RuntimeFailure(`${where}: ${e.message}`);
    if (e instanceof LoadError || e instanceof CopyError) {
      throw new RuntimeFailure(`loading into ${where}: ${e.message}`);
    }
    if (e instanceof GenerationError) throw new RuntimeFailure(e.message);
    throw e;
  } finally {
    for (const sig of signals) Deno.removeSignalListener(sig, onSignal);
    for (const r of refreshers) clearInterval(r);
    await server?.close();
    await Promise.all(sessions.map((x) => x.close().catch(() => {})));
  }
}

/** The client's own CPU: one JavaScript thread runs every lane, so near one core it is the limit. */
function selfCheck(cpuPercent: number, pglite: boolean): WorkloadResult["client"] {
  const warnings: string[] = [];
  if (pglite) {
    // The database runs on the client's thread: its CPU is the database's work too.
    warnings.push("PGlite runs inside this process: the client's CPU includes the database's work");
    return { cpu_percent: Math.round(cpuPercent * 10) / 10, saturated: false, warnings };
  }
  const saturated = cpuPercent >= 90;
  if (saturated) {
    warnings.push(
      `the client used ${cpuPercent.toFixed(0)}% of a core: it may be the limit, not the database ` +
        "(run clients on more machines and combine them with 'quarry workload merge')",
    );
  }
  return { cpu_percent: Math.round(cpuPercent * 10) / 10, saturated, warnings };
}

/** A schedule the client could not keep is a client (or database) limit: said, not hidden. */
function addLagWarning(r: WorkloadResult): void {
  if (r.meta.mode !== "open") return;
  const lag = r.overall.lag.p99_us;
  const service = r.overall.service.p99_us;
  if (lag <= 10_000 || lag <= service) return;
  const lost = Object.entries(r.errors_by_class).some(([c, n]) => (c === "08" || c === "57") && n > 0);
  if (r.totals.reconnects > 0 || lost) {
    // An outage delays everything scheduled during it: that is the point of measuring from the schedule.
    r.client.warnings.push(
      `transactions started late (schedule lag p99 ${(lag / 1000).toFixed(1)} ms) while connections were ` +
        `lost and opened again (${r.totals.reconnects} reconnects): the outage is in the latency`,
    );
    return;
  }
  r.client.warnings.push(
    `transactions started late (schedule lag p99 ${(lag / 1000).toFixed(1)} ms, above the service time's ` +
      `${(service / 1000).toFixed(1)} ms): every connection was busy when they fell due, because the ` +
      "database stalled or answered slowly, or because there are too few --connections for the rate",
  );
  const last = r.series.slice(-5);
  const first = r.series.slice(0, 5);
  const avg = (xs: typeof last) => xs.reduce((a, x) => a + x.lag_p99_us, 0) / Math.max(1, xs.length);
  if (last.length > 0 && avg(last) > 2 * avg(first) + 1000) {
    r.client.saturated = true;
    r.client.warnings.push("the lag grew during the run: the target rate is above what this setup sustains");
  }
}

function describeStep(s: FindMaxStep): string {
  return `  ${s.rate.toFixed(0)} tps: achieved ${s.achieved.toFixed(0)} tps, p99 ${
    (s.p99_us / 1000).toFixed(2)
  } ms` +
    (s.miss === undefined ? ": meets it" : `: misses it (${s.miss})`);
}

async function writeOutputs(flags: Flags, result: WorkloadResult): Promise<void> {
  const write = (path: string, text: string, flag: string) => {
    try {
      Deno.writeTextFileSync(path, text);
    } catch (e) {
      throw new RuntimeFailure(`cannot write ${flag} "${path}": ${(e as Error).message.split("\n")[0]}`);
    }
  };
  if (flags.json === true) console.log(JSON.stringify(result));
  else console.log(formatSummary(result));
  if (typeof flags.result === "string") {
    write(flags.result, JSON.stringify(result, null, 2) + "\n", "--result");
  }
  if (typeof flags.report === "string") write(flags.report, await renderReport(result), "--report");
}
