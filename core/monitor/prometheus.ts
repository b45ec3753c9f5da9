/**
 * `generate --metrics-port`: the monitoring figures of a running generation
 * on `GET /metrics` in Prometheus' text format, names prefixed
 * `quarry_generate_`. Every scrape reads the latest interval sample (so
 * counters move once an interval) and the alerts fired so far.
 *
 * @module
 */
import { type MetricSpec, type MetricsServer, serveExposition } from "./exposition.ts";
import type { MonitorSample } from "./sample.ts";

/** Every metric's name starts with this. */
export const GENERATE_METRIC_PREFIX = "quarry_generate_";

/** What a scrape reads. */
export interface GenerateSnapshot {
  sample: MonitorSample;
  /** Alerts fired so far, by kind and severity. */
  alertsFired: readonly { alert: string; severity: "warning" | "fatal"; count: number }[];
}

const SPECS: MetricSpec<GenerateSnapshot>[] = [
  {
    name: "statements_total",
    help: "Statements written so far (a resumed run counts those before the resume too).",
    type: "counter",
    samples: ({ sample }) => [[{}, sample.statements]],
  },
  {
    name: "sql_bytes_total",
    help: "Bytes of SQL written so far, before any compression.",
    type: "counter",
    samples: ({ sample }) => [[{}, sample.bytes]],
  },
  {
    name: "planned_statements",
    help: "Statements the run (or shard) is to write.",
    type: "gauge",
    samples: ({ sample }) => [[{}, sample.planned]],
  },
  {
    name: "statements_per_second",
    help: "Statements written per second over the last interval (--metrics-interval).",
    type: "gauge",
    samples: ({ sample }) => [[{}, sample.statements_per_s]],
  },
  {
    name: "sql_bytes_per_second",
    help: "Bytes of SQL written per second over the last interval.",
    type: "gauge",
    samples: ({ sample }) => [[{}, Math.round(sample.mb_per_s * 1e6)]],
  },
  {
    name: "resident_memory_bytes",
    help: "Resident set size of the generating process at the last interval.",
    type: "gauge",
    samples: ({ sample }) => [[{}, sample.rss_bytes]],
  },
  {
    name: "elapsed_seconds",
    help: "Seconds since this process began generating, at the last interval.",
    type: "gauge",
    samples: ({ sample }) => [[{}, sample.elapsed_s]],
  },
  {
    name: "replaced_total",
    help: "Attempts the uniqueness filter rejected as seen before and replaced by a fresh attempt.",
    type: "counter",
    labelNames: ["mode"],
    samples: ({ sample }) => [[{ mode: sample.unique.mode }, sample.unique.replaced]],
  },
  {
    name: "exhausted_total",
    help: "Statement indices given up on after the filter rejected every attempt.",
    type: "counter",
    labelNames: ["mode"],
    samples: ({ sample }) => [[{ mode: sample.unique.mode }, sample.unique.exhausted]],
  },
  {
    name: "replaced_ratio",
    help: "Rejected attempts over all attempts in the last interval.",
    type: "gauge",
    samples: ({ sample }) => [[{}, sample.unique.replaced_ratio]],
  },
  {
    name: "filter_fill_ratio",
    help: "Estimated share of the uniqueness filter in use (only with --unique bloom or exact).",
    type: "gauge",
    samples: ({ sample }) => sample.unique.filter_fill === null ? [] : [[{}, sample.unique.filter_fill]],
  },
  {
    name: "filter_false_positive_rate",
    help: "The false-positive rate a new statement meets in the Bloom filter (only with --unique bloom).",
    type: "gauge",
    samples: ({ sample }) =>
      sample.unique.false_positive_rate === null ? [] : [[{}, sample.unique.false_positive_rate]],
  },
  {
    name: "worker_statements_total",
    help: "Statements of each worker's blocks written so far by this process.",
    type: "counter",
    labelNames: ["worker"],
    samples: ({ sample }) => sample.workers.map((w) => [{ worker: String(w.worker) }, w.statements]),
  },
  {
    name: "worker_statements_per_second",
    help: "Statements of each worker's blocks written per second over the last interval.",
    type: "gauge",
    labelNames: ["worker"],
    samples: ({ sample }) => sample.workers.map((w) => [{ worker: String(w.worker) }, w.statements_per_s]),
  },
  {
    name: "alerts_total",
    help: "Alerts of the config's monitoring block fired so far, by alert and severity.",
    type: "counter",
    labelNames: ["alert", "severity"],
    samples: ({ alertsFired }) => alertsFired.map((a) => [{ alert: a.alert, severity: a.severity }, a.count]),
  },
];

/**
 * Serves a generation's figures on `GET /metrics`. Requires `--allow-net`
 * for the address (127.0.0.1 by default).
 *
 * @param o The port (0 picks a free one), the address, and the snapshot each scrape reads.
 * @returns The server, with the port it listens on.
 * @throws {RangeError} When the port is not 0 to 65535.
 *
 * @example
 * ```ts
 * import { serveGenerateMetrics } from "./prometheus.ts";
 * import { RunMeter } from "./meter.ts";
 * import { planNone } from "../engine/uniqueness.ts";
 * const meter = new RunMeter({ filter: planNone("structural"), planned: 10, workers: 1, startMs: 0 });
 * meter.record(10, 300, 0, 0, 0);
 * const sample = meter.sample(1000, 1, "final");
 * const server = serveGenerateMetrics({ port: 0, snapshot: () => ({ sample, alertsFired: [] }) });
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
 * await server.close();
 * if (!text.includes("quarry_generate_statements_total 10")) throw new Error(text);
 * ```
 */
export function serveGenerateMetrics(
  o: { port: number; hostname?: string; snapshot: () => GenerateSnapshot },
): MetricsServer {
  return serveExposition({
    port: o.port,
    ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
    prefix: GENERATE_METRIC_PREFIX,
    specs: SPECS,
    snapshot: o.snapshot,
    title: "Quarry generate metrics",
  });
}
