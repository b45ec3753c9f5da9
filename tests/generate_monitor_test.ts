/**
 * `generate`'s monitoring end to end: the `--metrics-file` JSON lines checked
 * against their schema with ajv, the `--metrics-port` endpoint scraped while a
 * run goes and read with a Prometheus text-format parser, alerts of a config
 * firing as a warning and as fatal (with a checkpoint, then `--resume`
 * byte-identical to an uninterrupted run), preset keys and the flags that
 * override them. Real CLI runs in child processes with generate's
 * permissions (`--allow-read --allow-write`; `--allow-net=127.0.0.1` only
 * where a port is served).
 *
 * @module
 */
import { deepStrictEqual, match, ok } from "node:assert/strict";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { main, root, type Run, runCli } from "./_cli.ts";
import { metricsLineErrors } from "../core/monitor/_validate_metrics.ts";
import type { MonitorSample } from "../core/monitor/sample.ts";

const quarry = (...args: string[]): Promise<Run> => runCli(["generate", ...args]);

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "quarry-monitor-" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The lines of a metrics file, each checked against the schema. */
function metricsOf(path: string): MonitorSample[] {
  const text = Deno.readTextFileSync(path);
  ok(text.endsWith("\n"), "the file ends with a whole line");
  return text.trimEnd().split("\n").map((line) => {
    const parsed = JSON.parse(line);
    deepStrictEqual(metricsLineErrors(parsed), [], line);
    return parsed as MonitorSample;
  });
}

/** The part files of an output directory, in order, concatenated (decompressed). */
function partsOf(dir: string): Uint8Array {
  const manifest = JSON.parse(Deno.readTextFileSync(join(dir, "manifest.json"))) as {
    files: { name: string; compression: string }[];
  };
  const parts = manifest.files.map((f) => {
    const bytes = Deno.readFileSync(join(dir, f.name));
    return f.compression === "gzip" ? gunzipSync(bytes) : bytes;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

Deno.test("generate --metrics-file: a line each interval and a final one, all of the documented schema", async () => {
  await withDir(async (dir) => {
    const metrics = join(dir, "m.jsonl");
    const r = await quarry(
      "--seed",
      "7",
      "-n",
      "600k",
      "--workers",
      "2",
      "-o",
      "/dev/null",
      "--metrics-file",
      metrics,
      "--metrics-interval",
      "200ms",
      "--unique",
      "bloom",
    );
    deepStrictEqual(r.code, 0, r.stderr);
    // Not a terminal and no --progress: stderr holds the seed line alone.
    deepStrictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
    const samples = metricsOf(metrics);
    ok(samples.length >= 2, `${samples.length} lines`);
    const final = samples.at(-1)!;
    deepStrictEqual([final.kind, final.outcome, final.statements, final.planned], [
      "final",
      "completed",
      600_000 - final.unique.exhausted,
      600_000,
    ]);
    ok(samples.slice(0, -1).every((s) => s.kind === "interval" && s.outcome === null));
    deepStrictEqual(final.workers.map((w) => w.worker), [0, 1]);
    deepStrictEqual(final.workers.reduce((n, w) => n + w.statements, 0), final.statements);
    ok(final.unique.mode === "bloom" && final.unique.filter_fill! > 0 && final.rss_bytes > 10e6);
    // Totals never go back; every interval is about as long as asked (the last one is cut short by the end).
    for (let i = 1; i < samples.length; i++) ok(samples[i]!.statements >= samples[i - 1]!.statements);
  });
});

Deno.test("generate --progress: the progress line each interval on a stderr that is not a terminal", async () => {
  const r = await quarry(
    "--seed",
    "7",
    // Long enough for several 100 ms intervals on a quiet machine (about 3M statements/s on 2 workers).
    "-n",
    "3M",
    "-o",
    "/dev/null",
    "--progress",
    "--metrics-interval",
    "100ms",
  );
  deepStrictEqual(r.code, 0, r.stderr);
  const progress = r.stderr.split("\n").filter((l) => / statements \(/.test(l));
  ok(progress.length >= 2, r.stderr);
  match(
    progress.at(-1)!,
    /^quarry: done: 3\.00M\/3\.00M statements \(100\.0%\), [\d.]+[kM]?\/s, [\d.]+ MB\/s, RSS \d+ MiB/,
  );
});

Deno.test("generate --metrics-port: scraped while the run goes, read by a Prometheus parser", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-net=127.0.0.1",
      main,
      "generate",
      "--seed",
      "1",
      "-n",
      "1B",
      "--workers",
      "2",
      "-o",
      "/dev/null",
      "--metrics-port",
      "0",
      "--metrics-interval",
      "200ms",
    ],
    cwd: root.pathname,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let stderr = "";
  let port: number | undefined;
  try {
    while (port === undefined) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the run ended before serving metrics: ${stderr}`);
      stderr += value;
      const m = /metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(stderr);
      if (m) port = Number(m[1]);
    }
    type Family = {
      name: string;
      type: string;
      metrics: { value: string; labels?: Record<string, string> }[];
    };
    const scrape = async () =>
      new Map(
        (parsePrometheusTextFormat(
          await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
        ) as Family[])
          .map((f) => [f.name, f]),
      );
    // Wait for an interval with statements in it.
    let families = await scrape();
    const total = () => Number(families.get("quarry_generate_statements_total")!.metrics[0]!.value);
    for (let i = 0; i < 100 && total() === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      families = await scrape();
    }
    ok(total() > 0, "statements counted");
    deepStrictEqual(families.get("quarry_generate_statements_total")!.type, "COUNTER");
    deepStrictEqual(families.get("quarry_generate_planned_statements")!.metrics[0]!.value, "1000000000");
    ok(Number(families.get("quarry_generate_resident_memory_bytes")!.metrics[0]!.value) > 10e6);
    ok(Number(families.get("quarry_generate_statements_per_second")!.metrics[0]!.value) > 0);
    deepStrictEqual(
      families.get("quarry_generate_worker_statements_total")!.metrics.map((m) => m.labels?.worker),
      ["0", "1"],
    );
    deepStrictEqual(families.get("quarry_generate_replaced_total")!.metrics[0]!.labels, {
      mode: "structural",
    });
  } finally {
    child.kill("SIGINT");
    // Drain stderr so the child can exit.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += value;
    }
    const status = await child.status;
    deepStrictEqual(status.code, 130, stderr);
  }
});

Deno.test("generate --metrics-port without network permission: one line saying which, exit 2", async () => {
  const r = await quarry("-n", "5", "--metrics-port", "9464");
  deepStrictEqual([r.code, r.stdout], [2, ""]);
  deepStrictEqual(
    r.stderr,
    "quarry: error: --metrics-port needs network access to 127.0.0.1:9464, which generate otherwise never " +
      "uses (run with --allow-net=127.0.0.1, e.g. deno run --allow-read --allow-write --allow-net=127.0.0.1 " +
      "cli/main.ts generate ...)\n",
  );
  const at = await quarry("--at", "5", "--metrics-file", "m.jsonl");
  deepStrictEqual([at.code, at.stderr], [
    2,
    "quarry: error: --at prints one statement; there is nothing for --metrics-file to watch\n",
  ]);
  const bad = await quarry("-n", "5", "--metrics-interval", "often");
  deepStrictEqual(bad.code, 2);
  match(bad.stderr, /^quarry: error: --metrics-interval must be a duration like 10s/);
});

Deno.test("a warning alert of the config is printed and recorded; the run completes", async () => {
  await withDir(async (dir) => {
    const config = join(dir, "warn.yaml");
    // No machine writes a billion statements a second: this fires on the first interval.
    Deno.writeTextFileSync(
      config,
      "seed: 3\ncount: 300k\nworkers: 2\nmonitoring:\n  interval: 100ms\n  alerts:\n    - rate_below: 1G\n",
    );
    const metrics = join(dir, "m.jsonl");
    const out = join(dir, "out.sql");
    const r = await quarry("--config", config, "-o", out, "--metrics-file", metrics);
    deepStrictEqual(r.code, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("quarry: alert: "));
    deepStrictEqual(warnings.length, 1, r.stderr); // fires once while the condition holds
    match(
      warnings[0]!,
      new RegExp(`^quarry: alert: statements/s [\\d.]+k? below 1G \\(${config}:7:19\\)$`),
    );
    const samples = metricsOf(metrics);
    const fired = samples.flatMap((s) => s.alerts);
    deepStrictEqual(fired.map((a) => [a.alert, a.threshold, a.fatal, a.origin]), [
      ["rate_below", 1e9, false, `${config}:7:19`],
    ]);
    deepStrictEqual(samples.at(-1)!.outcome, "completed");
    const text = Deno.readTextFileSync(out);
    deepStrictEqual(text.split("\n").length - 1, 300_000);
  });
});

Deno.test("a fatal alert stops at a checkpoint, exit 4; --resume completes byte-identical to an uninterrupted run", async () => {
  await withDir(async (dir) => {
    const config = join(dir, "fatal.yaml");
    // Every process has more than a megabyte resident: fires on the first interval.
    Deno.writeTextFileSync(
      config,
      [
        "seed: 11",
        "count: 400k",
        "workers: 2",
        "rotate: 100k",
        "compress: gzip",
        "checkpoint_every: 50k",
        "monitoring:",
        "  interval: 100ms",
        "  alerts:",
        "    - rss_above: 1MB",
        "      fatal: true",
        "",
      ].join("\n"),
    );
    const stopped = join(dir, "stopped");
    const metrics = join(dir, "m.jsonl");
    const r = await quarry("--config", config, "--output-dir", stopped, "--metrics-file", metrics);
    deepStrictEqual(r.code, 4, r.stderr);
    match(
      r.stderr,
      new RegExp(`quarry: fatal alert: RSS [\\d.]+ MiB above 1\\.0 MiB \\(${config}:10:18\\); stopping`),
    );
    match(
      r.stderr,
      new RegExp(`quarry: stopped at statement \\d+; resume with: quarry generate --resume ${stopped}`),
    );
    const checkpoint = JSON.parse(Deno.readTextFileSync(join(stopped, "checkpoint.json"))) as {
      next: string;
    };
    ok(Number(checkpoint.next) < 400_000, `stopped at ${checkpoint.next}`);
    const samples = metricsOf(metrics);
    deepStrictEqual(samples.at(-1)!.outcome, "alert");
    ok(samples.some((s) => s.alerts.some((a) => a.alert === "rss_above" && a.fatal)));

    // The checkpoint keeps no monitoring settings: the resume is watched only as asked again.
    const resumed = await quarry("--resume", stopped, "--metrics-file", metrics);
    deepStrictEqual(resumed.code, 0, resumed.stderr);
    const after = metricsOf(metrics);
    ok(after.length > samples.length, "the resume appends to the metrics file");
    deepStrictEqual([after.at(-1)!.outcome, after.at(-1)!.statements], ["completed", 400_000]);

    const whole = join(dir, "whole");
    const u = await quarry("--config", config, "--output-dir", whole, "--metrics-interval", "1h");
    deepStrictEqual(u.code, 0, u.stderr);
    const a = partsOf(stopped), b = partsOf(whole);
    deepStrictEqual(a.length, b.length);
    ok(sameBytes(a, b), "the stopped and resumed run differs from the uninterrupted one");
  });
});

Deno.test("a fatal alert without a checkpoint directory stops at once, exit 4, leaving no output file", async () => {
  await withDir(async (dir) => {
    const config = join(dir, "fatal.yaml");
    Deno.writeTextFileSync(
      config,
      "count: 5M\nworkers: 2\nmonitoring:\n  interval: 100ms\n  alerts: [{ rss_above: 1MB, fatal: true }]\n",
    );
    const out = join(dir, "out.sql");
    const r = await quarry("--config", config, "-o", out);
    deepStrictEqual(r.code, 4, r.stderr);
    match(r.stderr, /quarry: stopped by a fatal alert: RSS [\d.]+ MiB above 1\.0 MiB/);
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["fatal.yaml"]);
  });
});

Deno.test("preset keys for output directories and monitoring are honoured, and flags override them", async () => {
  await withDir(async (dir) => {
    const config = join(dir, "run.yaml");
    Deno.writeTextFileSync(
      config,
      [
        "seed: 5",
        "count: 30k",
        "workers: 2",
        `output_dir: ${join(dir, "a")}`,
        "rotate: 10k",
        "compress: gzip",
        "checkpoint_every: 5k",
        "monitoring:",
        `  file: ${join(dir, "a.jsonl")}`,
        "  interval: 100ms",
        "",
      ].join("\n"),
    );
    const a = await quarry("--config", config);
    deepStrictEqual(a.code, 0, a.stderr);
    const names = (d: string) => [...Deno.readDirSync(d)].map((e) => e.name).sort();
    deepStrictEqual(names(join(dir, "a")), [
      "manifest.json",
      "part-000000.sql.gz",
      "part-000001.sql.gz",
      "part-000002.sql.gz",
    ]);
    deepStrictEqual(metricsOf(join(dir, "a.jsonl")).at(-1)!.statements, 30_000);

    // Flags win over each key.
    const b = await quarry(
      "--config",
      config,
      "--output-dir",
      join(dir, "b"),
      "--rotate",
      "15k",
      "--compress",
      "none",
      "--metrics-file",
      join(dir, "b.jsonl"),
    );
    deepStrictEqual(b.code, 0, b.stderr);
    deepStrictEqual(names(join(dir, "b")), ["manifest.json", "part-000000.sql", "part-000001.sql"]);
    ok(sameBytes(partsOf(join(dir, "a")), partsOf(join(dir, "b"))), "same statements whatever the files");
    deepStrictEqual(metricsOf(join(dir, "b.jsonl")).at(-1)!.statements, 30_000);

    // --output replaces the config's directory and what belongs to it.
    const c = await quarry(
      "--config",
      config,
      "--output",
      join(dir, "c.sql"),
      "--metrics-file",
      join(dir, "c.jsonl"),
    );
    deepStrictEqual(c.code, 0, c.stderr);
    ok(sameBytes(Deno.readFileSync(join(dir, "c.sql")), partsOf(join(dir, "a"))));
    deepStrictEqual(names(dir), ["a", "a.jsonl", "b", "b.jsonl", "c.jsonl", "c.sql", "run.yaml"]);
  });
});
