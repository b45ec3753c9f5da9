import { deepStrictEqual, ok } from "node:assert/strict";
import { compile } from "../compile/compile.ts";
import { grammar, number, template } from "../dsl/grammar.ts";
import { schemaFromJson } from "../schema/parse.ts";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import { generate } from "../engine/generate.ts";
import { planBloom } from "../engine/uniqueness.ts";
import { Monitor } from "./monitor.ts";
import { metricsLine } from "./metrics_schema.ts";
import { metricsLineErrors } from "./_validate_metrics.ts";
import type { MonitorSample } from "./sample.ts";

const program = compile(
  grammar("repeating").rule("q", template("SELECT {n}", { n: number(1, 60000) })),
  schemaFromJson(defaultSchema),
);

/** The lines a monitored run of the real engine writes, ticked by hand every few chunks. */
async function monitoredLines(): Promise<string[]> {
  const lines: string[] = [];
  const filter = planBloom(50_000, 1e-4);
  const m = new Monitor({
    filter,
    planned: 50_000,
    workers: 2,
    intervalMs: 60_000,
    rss: () => Deno.memoryUsage().rss,
    rules: [{ kind: "replaced_above", threshold: 0.0001, forSeconds: 0, fatal: false, origin: "t.yaml:3:5" }],
    sinks: [(s) => lines.push(metricsLine(s))],
  });
  let chunks = 0;
  await generate(program, {
    seed: [5n, 6n, 7n, 8n],
    start: 0n,
    count: 50_000,
    workers: 2,
    filter,
    blockSize: 2000,
    write: () => {},
    progress: (s, b, r, x, w) => {
      m.progress(s, b, r, x, w);
      if (++chunks % 5 === 0) m.tick();
    },
  });
  m.finish("completed");
  return lines;
}

Deno.test("metrics lines: every line of a real run meets the schema; the last is final", async () => {
  const lines = await monitoredLines();
  ok(lines.length >= 3, `${lines.length} lines`);
  const parsed = lines.map((l) => {
    ok(l.endsWith("\n") && !l.slice(0, -1).includes("\n"), "one line each");
    return JSON.parse(l) as MonitorSample;
  });
  for (const p of parsed) deepStrictEqual(metricsLineErrors(p), [], JSON.stringify(p));
  deepStrictEqual(parsed.map((p) => p.kind).slice(-2), ["interval", "final"]);
  const final = parsed.at(-1)!;
  deepStrictEqual(final.outcome, "completed");
  ok(final.unique.replaced > 0 && final.unique.filter_fill! > 0);
  deepStrictEqual(final.workers.reduce((n, w) => n + w.statements, 0), final.statements);
  // The repeats of this grammar fire the replacement alert on the first interval with any.
  ok(parsed.some((p) => p.alerts.some((a) => a.alert === "replaced_above" && a.origin === "t.yaml:3:5")));
});

Deno.test("metrics lines: the schema refuses what a reader could not rely on", async () => {
  const good = JSON.parse((await monitoredLines())[0]!) as Record<string, unknown>;
  deepStrictEqual(metricsLineErrors(good), []);
  const broken = (f: (o: Record<string, unknown>) => void) => {
    const copy = structuredClone(good);
    f(copy);
    return metricsLineErrors(copy);
  };
  ok(broken((o) => delete o.rss_bytes).some((e) => e.includes("rss_bytes")));
  ok(broken((o) => o.schema = "quarry.generate.metrics/2").length > 0);
  ok(broken((o) => o.surprise = 1).some((e) => e.includes("additional properties")));
  ok(broken((o) => o.outcome = "completed").length > 0, "an interval line has no outcome");
  ok(broken((o) => o.kind = "final").length > 0, "a final line has one");
  ok(broken((o) => o.statements = -1).length > 0);
  ok(broken((o) => (o.unique as Record<string, unknown>).replaced_ratio = 2).length > 0);
  ok(broken((o) => o.workers = []).length > 0);
  ok(broken((o) => o.time = "yesterday").length > 0);
});
