import { deepStrictEqual, ok, rejects, throws } from "node:assert/strict";
import { METRIC_PREFIX, serveMetrics } from "./prometheus.ts";
import { WorkloadRecorder } from "./recorder.ts";
import type { LiveSnapshot } from "./result.ts";

interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  /** `name{labels}` (labels sorted) → value. */
  samples: Map<string, number>;
}

/**
 * A strict reader of Prometheus' text format 0.0.4, enough to reject what a Prometheus server would: every
 * line is a HELP, a TYPE or a sample `name{label="value",…} value`; a sample's family has its TYPE (and
 * HELP) first; names and label names are valid; no series appears twice; and promtool's rules on label and
 * counter names hold.
 */
function parseExposition(text: string): Exposition {
  const out: Exposition = { help: new Map(), type: new Map(), samples: new Map() };
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const help = new RegExp(`^# HELP (${NAME}) (.*)$`);
  const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
  const sample = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
  const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(?:,|$)/;
  ok(text.endsWith("\n"), "the exposition ends with a newline");
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let m;
    if ((m = help.exec(line))) {
      out.help.set(m[1]!, m[2]!);
      continue;
    }
    if ((m = type.exec(line))) {
      ok(!out.type.has(m[1]!), `TYPE of ${m[1]} given twice`);
      out.type.set(m[1]!, m[2]!);
      continue;
    }
    ok(!line.startsWith("#"), `unexpected comment: ${line}`);
    m = sample.exec(line);
    ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const [, name, rawLabels = "", rawValue] = m;
    const family = [...out.type.keys()].find((f) => name === f || name!.startsWith(`${f}_`));
    ok(family, `sample ${name} before its TYPE line`);
    ok(out.help.has(family), `no HELP for ${family}`);
    const labels: string[] = [];
    for (let rest = rawLabels; rest !== "";) {
      const l = label.exec(rest);
      ok(l, `bad labels in ${JSON.stringify(line)}`);
      labels.push(`${l[1]}="${l[2]}"`);
      rest = rest.slice(l[0].length);
    }
    const kind = out.type.get(family)!;
    ok(
      kind === "summary" || !labels.some((l) => l.startsWith("quantile=")),
      `quantile label on ${kind} ${name}`,
    );
    ok(kind === "histogram" || !labels.some((l) => l.startsWith("le=")), `le label on ${kind} ${name}`);
    ok(kind !== "counter" || name!.endsWith("_total"), `counter ${name} not named *_total`);
    const value = /^[+-]?Inf$/.test(rawValue!) || rawValue === "NaN" ? NaN : Number(rawValue);
    ok(rawValue === "NaN" || /Inf$/.test(rawValue!) || Number.isFinite(value), `bad value in ${line}`);
    const key = `${name}{${labels.sort().join(",")}}`;
    ok(!out.samples.has(key), `series ${key} appears twice`);
    out.samples.set(key, value);
  }
  return out;
}

function snapshotOf(o: Partial<LiveSnapshot> = {}): LiveSnapshot {
  return {
    elapsed_s: 12.5,
    warming_up: false,
    last: {
      t: 12,
      tps: 480,
      target: 500,
      succeeded: 478,
      failed: 2,
      p50_us: 1_200,
      p95_us: 3_400,
      p99_us: 8_000,
      max_us: 25_000,
      lag_p99_us: 350,
    },
    totals: {
      attempted: 5_900,
      succeeded: 5_880,
      failed: 20,
      skipped: 3,
      late: 7,
      retries: 11,
      reconnects: 1,
    },
    mix: { transfer: 3_500, balance: 2_400 },
    recent_errors: [{ code: "40001", message: "could not serialize access" }],
    overall: { p50_us: 1_100, p95_us: 3_000, p99_us: 9_000, max_us: 120_000 },
    planned: { seconds: 60 },
    ...o,
  };
}

async function scrape(
  port: number,
  path = "/metrics",
): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

Deno.test("serveMetrics serves the text format, every metric prefixed, with HELP and TYPE", async () => {
  const server = serveMetrics({ port: 0, snapshot: () => snapshotOf(), operations: ["transfer", "balance"] });
  try {
    ok(server.port > 0);
    const res = await scrape(server.port);
    deepStrictEqual(res.status, 200);
    ok(res.type.startsWith("text/plain; version=0.0.4"), res.type);
    const e = parseExposition(res.text);
    for (const name of e.type.keys()) ok(name.startsWith(METRIC_PREFIX), name);
    deepStrictEqual(e.type.get("quarry_workload_transactions_total"), "counter");
    deepStrictEqual(e.type.get("quarry_workload_tps"), "gauge");
    const s = e.samples;
    deepStrictEqual(s.get('quarry_workload_transactions_total{outcome="succeeded"}'), 5_880);
    deepStrictEqual(s.get('quarry_workload_transactions_total{outcome="failed"}'), 20);
    deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="transfer"}'), 3_500);
    deepStrictEqual(s.get("quarry_workload_retries_total{}"), 11);
    deepStrictEqual(s.get("quarry_workload_reconnects_total{}"), 1);
    deepStrictEqual(s.get("quarry_workload_skipped_total{}"), 3);
    deepStrictEqual(s.get("quarry_workload_late_total{}"), 7);
    deepStrictEqual(s.get("quarry_workload_tps{}"), 480);
    deepStrictEqual(s.get("quarry_workload_target_tps{}"), 500);
    deepStrictEqual(s.get('quarry_workload_response_time_seconds{percentile="99",window="1s"}'), 0.008);
    deepStrictEqual(s.get('quarry_workload_response_time_seconds{percentile="100",window="run"}'), 0.12);
    deepStrictEqual(s.get('quarry_workload_lag_seconds{percentile="99"}'), 0.00035);
    deepStrictEqual(s.get("quarry_workload_elapsed_seconds{}"), 12.5);
    deepStrictEqual(s.get("quarry_workload_warming_up{}"), 0);
    deepStrictEqual(s.get("quarry_workload_planned_seconds{}"), 60);
    ok(!s.has("quarry_workload_planned_transactions{}"));
  } finally {
    await server.close();
  }
});

Deno.test("serveMetrics reads a fresh snapshot on every scrape", async () => {
  let snap = snapshotOf({ elapsed_s: -2, warming_up: true, last: undefined, mix: {} });
  delete snap.planned;
  snap.totals = { attempted: 0, succeeded: 0, failed: 0, skipped: 0, late: 0, retries: 0, reconnects: 0 };
  const server = serveMetrics({ port: 0, snapshot: () => snap, operations: ["transfer", "balance"] });
  try {
    let s = parseExposition((await scrape(server.port)).text).samples;
    // Warm-up: every kind is there at 0; no second is over, so no rate and no percentiles yet.
    deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="balance"}'), 0);
    deepStrictEqual(s.get("quarry_workload_warming_up{}"), 1);
    deepStrictEqual(s.get("quarry_workload_elapsed_seconds{}"), -2);
    for (const absent of ["tps{}", "target_tps{}", 'lag_seconds{percentile="99"}']) {
      ok(!s.has(METRIC_PREFIX + absent), absent);
    }
    ok(![...s.keys()].some((k) => k.startsWith("quarry_workload_response_time_seconds")));

    // A closed loop: a rate but no target.
    snap = snapshotOf();
    delete snap.last!.target;
    s = parseExposition((await scrape(server.port)).text).samples;
    deepStrictEqual(s.get("quarry_workload_tps{}"), 480);
    ok(!s.has("quarry_workload_target_tps{}"));
    deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="transfer"}'), 3_500);

    snap = snapshotOf({ planned: { transactions: 10_000 } });
    snap.totals.failed = 21;
    s = parseExposition((await scrape(server.port)).text).samples;
    deepStrictEqual(s.get('quarry_workload_transactions_total{outcome="failed"}'), 21);
    deepStrictEqual(s.get("quarry_workload_target_tps{}"), 500);
    deepStrictEqual(s.get("quarry_workload_planned_transactions{}"), 10_000);
    ok(!s.has("quarry_workload_planned_seconds{}"));
  } finally {
    await server.close();
  }
});

Deno.test("concurrent scrapes each see one snapshot", async () => {
  let n = 0;
  const server = serveMetrics({
    port: 0,
    operations: ["a"],
    snapshot: () => {
      n++;
      const s = snapshotOf({ elapsed_s: n, mix: { a: n } });
      s.totals.retries = n;
      return s;
    },
  });
  try {
    const texts = await Promise.all(Array.from({ length: 8 }, () => scrape(server.port)));
    const seen = new Set<number>();
    for (const { text } of texts) {
      const s = parseExposition(text).samples;
      const k = s.get("quarry_workload_elapsed_seconds{}")!;
      deepStrictEqual(s.get("quarry_workload_retries_total{}"), k);
      deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="a"}'), k);
      seen.add(k);
    }
    deepStrictEqual(seen.size, 8);
  } finally {
    await server.close();
  }
});

Deno.test("the metrics follow a recorder's live snapshot", async () => {
  const rec = new WorkloadRecorder({ operations: ["read", "write"], startMs: 0, targetTps: 4 });
  let now = 0;
  const server = serveMetrics({ port: 0, snapshot: () => rec.live(now), operations: ["read", "write"] });
  try {
    rec.done(0, 100, 100, 102);
    rec.done(1, 350, 351, 360, { code: "23505", message: "duplicate key", statement: "INSERT …" });
    rec.done(0, 600, 600, 604);
    now = 1_200;
    rec.tick(now);
    const s = parseExposition((await scrape(server.port)).text).samples;
    deepStrictEqual(s.get('quarry_workload_transactions_total{outcome="succeeded"}'), 2);
    deepStrictEqual(s.get('quarry_workload_transactions_total{outcome="failed"}'), 1);
    deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="read"}'), 2);
    deepStrictEqual(s.get('quarry_workload_operation_transactions_total{operation="write"}'), 1);
    deepStrictEqual(s.get("quarry_workload_tps{}"), 3);
    deepStrictEqual(s.get("quarry_workload_target_tps{}"), 4);
    deepStrictEqual(s.get("quarry_workload_elapsed_seconds{}"), 1.2);
    const max = s.get('quarry_workload_response_time_seconds{percentile="100",window="run"}')!;
    ok(Math.abs(max - 0.010) < 0.0001, String(max));
  } finally {
    await server.close();
  }
});

Deno.test("serveMetrics answers other paths and methods, a failing snapshot, and stops on close", async () => {
  let fail = false;
  const server = serveMetrics({
    port: 0,
    hostname: "127.0.0.1",
    operations: [],
    snapshot: () => {
      if (fail) throw new Error("the recorder is gone");
      return snapshotOf();
    },
  });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    deepStrictEqual((await scrape(server.port, "/nope")).status, 404);
    deepStrictEqual((await scrape(server.port, "/")).status, 200);
    const post = await fetch(`${base}/metrics`, { method: "POST", body: "x" });
    await post.body?.cancel();
    deepStrictEqual(post.status, 405);
    const head = await fetch(`${base}/metrics`, { method: "HEAD" });
    deepStrictEqual([head.status, await head.text()], [200, ""]);
    fail = true;
    const broken = await scrape(server.port);
    deepStrictEqual(broken.status, 500);
    ok(broken.text.includes("the recorder is gone"));
    fail = false;
    deepStrictEqual((await scrape(server.port)).status, 200, "a failed scrape does not stop the next");
  } finally {
    await server.close();
  }
  await rejects(fetch(`${base}/metrics`));
});

Deno.test("serveMetrics rejects a port out of range", () => {
  for (const port of [-1, 65536, 1.5, NaN]) {
    throws(() => serveMetrics({ port, operations: [], snapshot: () => snapshotOf() }), RangeError);
  }
});
