/**
 * `quarry workload run --metrics-port`: the live numbers of a running
 * workload on `GET /metrics`, in Prometheus' text exposition format, so a
 * Prometheus (or Grafana Agent, VictoriaMetrics …) scraping the client sees
 * the run beside the database's own metrics. Every metric reads one
 * {@link LiveSnapshot}, taken once per scrape, so the numbers of one scrape
 * agree with each other.
 *
 * @module
 */
import { type MetricSpec, type MetricsServer, type Sample, serveExposition } from "../monitor/exposition.ts";
import type { LiveSnapshot } from "./result.ts";

export type { MetricsServer };

/** Options of {@link serveMetrics}. */
export interface MetricsOptions {
  /** TCP port; 0 picks a free one (read it from the returned server). */
  port: number;
  /** Address to listen on [default: "127.0.0.1", so the run's numbers stay on the machine unless asked]. */
  hostname?: string;
  /** Called once per scrape. */
  snapshot: () => LiveSnapshot;
  /** Transaction kinds, in the pattern's order: each has its series from the first scrape on, at 0. */
  operations: readonly string[];
}

/** Every metric's name starts with this. */
export const METRIC_PREFIX = "quarry_workload_";

/**
 * The percentiles exported, as label values. The label is `percentile`, not `quantile`: Prometheus keeps
 * `quantile` for summaries (promtool rejects it on a gauge), and these are gauges, since a summary's
 * quantiles would have to be computed by prom-client from every observation the recorder already has.
 */
const PERCENTILES: [string, "p50_us" | "p95_us" | "p99_us" | "max_us"][] = [
  ["50", "p50_us"],
  ["95", "p95_us"],
  ["99", "p99_us"],
  ["100", "max_us"],
];

/** One metric: its samples read from the snapshot and the pattern's transaction kinds. */
type Spec = Omit<MetricSpec<LiveSnapshot>, "samples"> & {
  samples(s: LiveSnapshot, operations: readonly string[]): Sample[];
};

const seconds = (us: number) => us / 1e6;

const SPECS: Spec[] = [
  {
    name: "transactions_total",
    help: "Transactions finished since the measured part began, by outcome (after every try).",
    type: "counter",
    labelNames: ["outcome"],
    samples: (
      s,
    ) => [[{ outcome: "succeeded" }, s.totals.succeeded], [{ outcome: "failed" }, s.totals.failed]],
  },
  {
    name: "operation_transactions_total",
    help: "Transactions finished since the start, by transaction kind (the mix).",
    type: "counter",
    labelNames: ["operation"],
    samples: (s, ops) => {
      const names = [...ops, ...Object.keys(s.mix).filter((k) => !ops.includes(k))];
      return names.map((operation) => [{ operation }, s.mix[operation] ?? 0]);
    },
  },
  {
    name: "retries_total",
    help: "Tries beyond the first (serialization failures and deadlocks retried).",
    type: "counter",
    samples: (s) => [[{}, s.totals.retries]],
  },
  {
    name: "reconnects_total",
    help: "Connections lost and opened again.",
    type: "counter",
    samples: (s) => [[{}, s.totals.reconnects]],
  },
  {
    name: "skipped_total",
    help: "Transactions not sent because they were already later than --latency-limit when their turn came.",
    type: "counter",
    samples: (s) => [[{}, s.totals.skipped]],
  },
  {
    name: "late_total",
    help: "Transactions that finished with a response time above --latency-limit.",
    type: "counter",
    samples: (s) => [[{}, s.totals.late]],
  },
  {
    name: "tps",
    help: "Transactions finished in the last full second.",
    type: "gauge",
    samples: (s) => s.last ? [[{}, s.last.tps]] : [],
  },
  {
    name: "target_tps",
    help: "The target rate in the last full second (absent in a closed loop).",
    type: "gauge",
    samples: (s) => s.last?.target !== undefined ? [[{}, s.last.target]] : [],
  },
  {
    name: "response_time_seconds",
    help: "Response time (from the scheduled start to the end) percentiles: of the last full second " +
      '(window="1s") and of the whole measured part (window="run"); percentile="100" is the maximum.',
    type: "gauge",
    labelNames: ["window", "percentile"],
    samples: (s) => {
      const out: Sample[] = [];
      const last = s.last;
      if (last && last.tps > 0) {
        for (const [percentile, k] of PERCENTILES) out.push([{ window: "1s", percentile }, seconds(last[k])]);
      }
      if (s.totals.attempted > 0) {
        for (const [percentile, k] of PERCENTILES) {
          out.push([{ window: "run", percentile }, seconds(s.overall[k])]);
        }
      }
      return out;
    },
  },
  {
    name: "lag_seconds",
    help: "Schedule lag (from the scheduled start to sending) in the last full second, 99th percentile.",
    type: "gauge",
    labelNames: ["percentile"],
    samples: (s) => s.last ? [[{ percentile: "99" }, seconds(s.last.lag_p99_us)]] : [],
  },
  {
    name: "elapsed_seconds",
    help: "Seconds since the measured part began (negative during warm-up).",
    type: "gauge",
    samples: (s) => [[{}, s.elapsed_s]],
  },
  {
    name: "warming_up",
    help: "1 during warm-up, else 0.",
    type: "gauge",
    samples: (s) => [[{}, s.warming_up ? 1 : 0]],
  },
  {
    name: "planned_seconds",
    help: "The run's planned length in seconds (--duration), when it has one.",
    type: "gauge",
    samples: (s) => s.planned && "seconds" in s.planned ? [[{}, s.planned.seconds]] : [],
  },
  {
    name: "planned_transactions",
    help: "The run's planned length in transactions (--transactions), when it has one.",
    type: "gauge",
    samples: (s) => s.planned && "transactions" in s.planned ? [[{}, s.planned.transactions]] : [],
  },
];

/**
 * Serves the live numbers of a workload run on `GET /metrics` in Prometheus' text format, metric names
 * prefixed `quarry_workload_`: transactions by outcome and by kind, retries, reconnects, skipped and late
 * transactions (counters), the last second's rate and target, response-time percentiles of the last second
 * and of the run, schedule lag (gauges). Requires `--allow-net` for the address.
 *
 * @param o See {@link MetricsOptions}.
 * @returns The server, with the port it listens on.
 * @throws {RangeError} When the port is not 0 to 65535.
 *
 * @example Scrape once
 * ```ts
 * import { serveMetrics } from "./prometheus.ts";
 *
 * const totals = { attempted: 3, succeeded: 2, failed: 1, skipped: 0, late: 0, retries: 0, reconnects: 0 };
 * const server = serveMetrics({
 *   port: 0,
 *   operations: ["read"],
 *   snapshot: () => ({
 *     elapsed_s: 1.5, warming_up: false, last: undefined, totals, mix: { read: 3 }, recent_errors: [],
 *     overall: { p50_us: 900, p95_us: 1500, p99_us: 2000, max_us: 2100 },
 *   }),
 * });
 * const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
 * await server.close();
 * if (!text.includes('quarry_workload_transactions_total{outcome="failed"} 1')) throw new Error(text);
 * ```
 */
export function serveMetrics(o: MetricsOptions): MetricsServer {
  return serveExposition({
    port: o.port,
    ...(o.hostname !== undefined ? { hostname: o.hostname } : {}),
    prefix: METRIC_PREFIX,
    specs: SPECS.map((spec) => ({ ...spec, samples: (s: LiveSnapshot) => spec.samples(s, o.operations) })),
    snapshot: o.snapshot,
    title: "Quarry workload metrics",
  });
}
