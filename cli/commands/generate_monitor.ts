/**
 * `generate`'s monitoring flags (`--metrics-interval`, `--metrics-file`,
 * `--metrics-port`, `--metrics-host`, `--progress`) and the config's alert
 * rules, wired to a {@link Monitor}: the terminal line on stderr, the JSON
 * lines file and the Prometheus endpoint, and a fatal alert turned into a
 * stop request (the same one SIGINT makes, so a run with a checkpoint
 * directory stops at a checkpoint). Requires `--allow-write` for the
 * metrics file and `--allow-net` for the port.
 *
 * @module
 */
import { AlertStop, RuntimeFailure, UsageError } from "../errors.ts";
import type { AlertRule } from "../../core/monitor/alerts.ts";
import { Monitor } from "../../core/monitor/monitor.ts";
import type { MonitorSample } from "../../core/monitor/sample.ts";
import { metricsLine } from "../../core/monitor/metrics_schema.ts";
import { progressLine } from "../../core/monitor/progress_line.ts";
import { parseDuration } from "../../core/monitor/units.ts";
import type { FilterPlan } from "../../core/engine/uniqueness.ts";

/** The flags of monitoring, for generate's flag table. */
export const MONITOR_OPTIONS = {
  "metrics-interval": { type: "string" },
  "metrics-file": { type: "string" },
  "metrics-port": { type: "string" },
  "metrics-host": { type: "string" },
  progress: { type: "boolean" },
} as const;

/** Seconds between samples without --metrics-interval. */
export const DEFAULT_INTERVAL_S = 1;

/** Flags as parseArgs gives them. */
type Flags = Record<string, string | boolean | undefined>;

/** The monitoring flags, read and checked. */
export interface MonitorSettings {
  intervalS: number;
  file: string | undefined;
  port: number | undefined;
  host: string;
  /** Draw the line on a terminal ("auto"), or print a line each interval (true). */
  progress: "auto" | true;
  rules: readonly AlertRule[];
}

/**
 * Reads the monitoring flags (a config's `monitoring:` keys arrive as these
 * flags). `located` names the config line of a value the config set.
 *
 * @returns The settings, or undefined when nothing would watch the run (no
 *   file, port, alert or --progress, and stderr is no terminal).
 * @throws {UsageError} for a bad value, or --metrics-port without network permission.
 */
export function readMonitorSettings(
  v: Flags,
  rules: readonly AlertRule[],
  located: <T>(flag: string, read: () => T) => T,
): MonitorSettings | undefined {
  const intervalS = located("metrics-interval", () => {
    if (v["metrics-interval"] === undefined) return DEFAULT_INTERVAL_S;
    const s = parseDuration(v["metrics-interval"] as string);
    if (typeof s === "string") throw new UsageError(`--metrics-interval must be ${s}`);
    return s;
  });
  const host = (v["metrics-host"] as string | undefined) ?? "127.0.0.1";
  const port = located("metrics-port", () => {
    if (v["metrics-port"] === undefined) return undefined;
    const text = v["metrics-port"] as string;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) {
      throw new UsageError(`--metrics-port must be a TCP port from 0 to 65535 (got "${text}")`);
    }
    return n;
  });
  if (port !== undefined) {
    const wanted = port === 0 ? host : `${host}:${port}`;
    if (Deno.permissions.querySync({ name: "net", host: wanted }).state !== "granted") {
      throw new UsageError(
        `--metrics-port needs network access to ${wanted}, which generate otherwise never uses`,
        `run with --allow-net=${host}, e.g. deno run --allow-read --allow-write --allow-net=${host} ` +
          "cli/main.ts generate ...",
      );
    }
  }
  const file = v["metrics-file"] as string | undefined;
  // Nothing to show, write, serve or check: no monitor, so an unwatched run pays nothing for one.
  if (
    file === undefined && port === undefined && rules.length === 0 && v.progress !== true &&
    !Deno.stderr.isTerminal()
  ) {
    return undefined;
  }
  return {
    intervalS,
    file,
    port,
    host,
    progress: v.progress === true ? true : "auto",
    rules,
  };
}

/** What the run tells the monitor. */
export interface MonitoredRun {
  filter: FilterPlan;
  /** Statements the run (or shard) writes in all. */
  planned: number;
  workers: number;
  /** Statements and bytes written before a resume. */
  before?: { statements: number; bytes: number };
  /** A resumed run appends to its metrics file. */
  resumed: boolean;
  /** Asks the run to stop (as SIGINT does), for a fatal alert. */
  stop: (reason: Error) => void;
}

/** A started monitor: the engine's progress callback, and the end of the run. */
export interface RunMonitor {
  progress: Monitor["progress"];
  /** The fatal alert that stopped the run, if one did. */
  readonly fatal: boolean;
  /** Emits the final sample and closes the file and the endpoint. */
  finish(outcome: "completed" | "interrupted" | "failed"): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Starts monitoring a run.
 *
 * @throws {RuntimeFailure} when the metrics file cannot be opened or the port is taken.
 */
export async function startMonitor(s: MonitorSettings, run: MonitoredRun): Promise<RunMonitor> {
  const sinks: ((sample: MonitorSample) => void)[] = [];
  const terminal = Deno.stderr.isTerminal();
  let drawn = false;
  if (s.progress === true || terminal) {
    sinks.push((sample) => {
      // On a terminal the line is redrawn in place (and cleared at the end); elsewhere one line each.
      if (terminal) {
        if (sample.kind === "final") return;
        Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${progressLine(sample)}`));
        drawn = true;
      } else {
        Deno.stderr.writeSync(encoder.encode(
          `quarry: ${sample.kind === "final" ? "done: " : ""}` +
            `${progressLine(sample)}\n`,
        ));
      }
    });
  }
  let file: Deno.FsFile | undefined;
  if (s.file !== undefined) {
    const path = s.file;
    try {
      file = Deno.openSync(path, { write: true, create: true, append: run.resumed, truncate: !run.resumed });
    } catch (e) {
      throw new RuntimeFailure(`cannot write metrics file "${path}": ${(e as Error).message.split("\n")[0]}`);
    }
    const f = file;
    sinks.push((sample) => {
      const bytes = encoder.encode(metricsLine(sample));
      try {
        for (let off = 0; off < bytes.length;) off += f.writeSync(bytes.subarray(off));
      } catch (e) {
        throw new RuntimeFailure(
          `cannot write metrics file "${path}": ${(e as Error).message.split("\n")[0]}`,
        );
      }
    });
  }
  const clearLine = () => {
    if (drawn) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    drawn = false;
  };
  const monitor = new Monitor({
    filter: run.filter,
    planned: run.planned,
    workers: run.workers,
    ...(run.before ? { before: run.before } : {}),
    intervalMs: s.intervalS * 1000,
    rss: () => Deno.memoryUsage().rss,
    rules: s.rules,
    sinks,
    onAlert(a) {
      clearLine();
      console.error(
        `quarry: ${a.fatal ? "fatal alert" : "alert"}: ${a.message}${a.fatal ? "; stopping" : ""}`,
      );
    },
    onFatal: (a) => run.stop(new AlertStop(`stopped by a fatal alert: ${a.message}`)),
    onError: (e) => run.stop(e instanceof Error ? e : new RuntimeFailure(String(e))),
  });
  let server: { port: number; close(): Promise<void> } | undefined;
  if (s.port !== undefined) {
    // Loaded only when asked for: a run without a port never loads prom-client.
    const { serveGenerateMetrics } = await import("../../core/monitor/prometheus.ts");
    try {
      server = serveGenerateMetrics({ port: s.port, hostname: s.host, snapshot: () => monitor.snapshot() });
    } catch (e) {
      file?.close();
      throw new RuntimeFailure(
        `cannot serve metrics on ${s.host}:${s.port}: ${(e as Error).message.split("\n")[0]}`,
      );
    }
    console.error(`quarry: metrics at http://${s.host}:${server.port}/metrics`);
  }
  monitor.start();
  return {
    progress: monitor.progress,
    get fatal() {
      return monitor.fatal !== undefined;
    },
    async finish(outcome) {
      clearLine();
      try {
        monitor.finish(monitor.fatal ? "alert" : outcome);
      } finally {
        file?.close();
        await server?.close();
      }
    },
  };
}
