import { deepStrictEqual, ok } from "node:assert/strict";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { planExact } from "../engine/uniqueness.ts";
import { Monitor } from "./monitor.ts";
import { GENERATE_METRIC_PREFIX, serveGenerateMetrics } from "./prometheus.ts";

/** A metric family as parse-prometheus-text-format gives it. */
interface Family {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}

async function scrape(port: number): Promise<{ families: Map<string, Family>; type: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  deepStrictEqual(res.status, 200);
  const text = await res.text();
  const families = (parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f] as const);
  return { families: new Map(families), type: res.headers.get("content-type") };
}

Deno.test("generate metrics: a scrape parsed by a Prometheus text-format parser holds each figure", async () => {
  let t = 0;
  const filter = planExact(1000);
  const m = new Monitor({
    filter,
    planned: 10_000,
    workers: 2,
    intervalMs: 1000,
    now: () => t,
    rss: () => 123_456_789,
    rules: [{ kind: "rss_above", threshold: 1e6, forSeconds: 0, fatal: false }],
    sinks: [],
  });
  const server = serveGenerateMetrics({ port: 0, snapshot: () => m.snapshot() });
  try {
    // Before the first interval: every series is there, at 0.
    const before = await scrape(server.port);
    deepStrictEqual(before.families.get(`${GENERATE_METRIC_PREFIX}statements_total`)?.metrics[0]?.value, "0");
    ok(before.type?.startsWith("text/plain; version=0.0.4"), before.type ?? "");

    m.progress(600, 60_000, 30, 1, 0);
    m.progress(900, 90_000, 40, 1, 1);
    t = 2000;
    m.tick();
    const { families } = await scrape(server.port);
    const value = (name: string, labels: Record<string, string> = {}) => {
      const f = families.get(GENERATE_METRIC_PREFIX + name);
      ok(f, `${name} missing`);
      const sample = f.metrics.find((s) =>
        Object.entries(labels).every(([k, v]) => s.labels?.[k] === v) &&
        Object.keys(s.labels ?? {}).length === Object.keys(labels).length
      );
      ok(sample, `${name}${JSON.stringify(labels)} missing`);
      return Number(sample.value);
    };
    const type = (name: string) => families.get(GENERATE_METRIC_PREFIX + name)?.type;
    deepStrictEqual(value("statements_total"), 900);
    deepStrictEqual(type("statements_total"), "COUNTER");
    deepStrictEqual(value("sql_bytes_total"), 90_000);
    deepStrictEqual(value("planned_statements"), 10_000);
    deepStrictEqual(value("statements_per_second"), 450);
    deepStrictEqual(type("statements_per_second"), "GAUGE");
    deepStrictEqual(value("sql_bytes_per_second"), 45_000);
    deepStrictEqual(value("resident_memory_bytes"), 123_456_789);
    deepStrictEqual(value("replaced_total", { mode: "exact" }), 40);
    deepStrictEqual(value("exhausted_total", { mode: "exact" }), 1);
    deepStrictEqual(value("replaced_ratio"), Math.round((40 / 940) * 1e6) / 1e6);
    deepStrictEqual(value("filter_fill_ratio"), Math.round((900 / filter.slots) * 1e6) / 1e6);
    deepStrictEqual(families.get(`${GENERATE_METRIC_PREFIX}filter_false_positive_rate`)?.metrics, []);
    deepStrictEqual(value("worker_statements_total", { worker: "0" }), 600);
    deepStrictEqual(value("worker_statements_total", { worker: "1" }), 300);
    deepStrictEqual(value("worker_statements_per_second", { worker: "1" }), 150);
    deepStrictEqual(value("alerts_total", { alert: "rss_above", severity: "warning" }), 1);
    for (const f of families.values()) {
      ok(f.help.length > 10, `${f.name} has help`);
      if (f.type === "COUNTER") ok(f.name.endsWith("_total"), f.name);
    }
  } finally {
    await server.close();
  }
});

Deno.test("generate metrics: / says where the metrics are; other paths and methods are refused", async () => {
  const m = new Monitor({
    filter: planExact(10),
    planned: 1,
    workers: 1,
    intervalMs: 1000,
    rss: () => 1,
    sinks: [],
  });
  const server = serveGenerateMetrics({ port: 0, snapshot: () => m.snapshot() });
  try {
    const root = await fetch(`http://127.0.0.1:${server.port}/`);
    deepStrictEqual(await root.text(), "Quarry generate metrics: GET /metrics\n");
    const other = await fetch(`http://127.0.0.1:${server.port}/other`);
    deepStrictEqual(other.status, 404);
    await other.body?.cancel();
    const post = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: "POST" });
    deepStrictEqual(post.status, 405);
    await post.body?.cancel();
  } finally {
    await server.close();
  }
});
