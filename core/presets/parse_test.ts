import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { SpecError } from "../data/_spec_error.ts";
import { CONFIG_KEYS, FLAG_ONLY_KEYS, MOVED_KEYS } from "./config.ts";
import { parseConfig } from "./parse.ts";

/** The lines of the SpecError `text` raises, each `file:line:column: path: message`. */
function problems(text: string, file = "run.yaml"): string[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    deepStrictEqual(e.message.split("\n").length, e.issues.length);
    return e.message.split("\n");
  }
  throw new Error(`no error for ${JSON.stringify(text)}`);
}

Deno.test("parseConfig: every key becomes the flag it stands for", () => {
  const c = parseConfig(
    [
      "description: A run",
      "grammar: dml_unique",
      "schema: s.json",
      "count: 10M",
      "start: 1_000",
      "seed: 42",
      "workers: 2",
      "output: out.sql",
      "unique: bloom",
      "expect: 20000000",
      "fp_rate: 1e-4",
      "bloom_bits: 1G",
      "emit_setup: true",
      "stats: true",
    ].join("\n"),
    "run.yaml",
    "mine",
  );
  deepStrictEqual(c.name, "mine");
  deepStrictEqual(c.description, "A run");
  deepStrictEqual(c.flags, {
    grammar: "dml_unique",
    schema: "s.json",
    count: "10M",
    start: "1_000",
    seed: "42",
    workers: "2",
    output: "out.sql",
    unique: "bloom",
    expect: "20000000",
    "fp-rate": "0.0001",
    "bloom-bits": "1G",
    "emit-setup": true,
    stats: true,
  });
  deepStrictEqual(c.origin("count"), "run.yaml:4:8");
  deepStrictEqual(c.origin("fp-rate"), "run.yaml:11:10");
  deepStrictEqual(c.origin("shard"), undefined);
});

Deno.test("parseConfig: defaults written out set no flag", () => {
  const c = parseConfig("workers: auto\nstats: false\nemit_setup: false\ncount: 5\n", "run.yaml");
  deepStrictEqual(c.flags, { count: "5" });
  deepStrictEqual(c.description, "");
});

Deno.test("parseConfig: JSON files and hex seeds", () => {
  const seed = "ab".repeat(32);
  const c = parseConfig(`{"count": 7, "seed": "${seed}", "unique": "none"}`, "run.json");
  deepStrictEqual(c.flags, { count: "7", seed, unique: "none" });
  deepStrictEqual(problems(`{"count": 7,}`, "run.json"), [
    'run.json:1:12: invalid JSON: a comma cannot come before "}"',
  ]);
});

Deno.test("parseConfig: an unknown key is placed and the nearest key suggested", () => {
  deepStrictEqual(problems("grammar: dml_unique\ncuont: 5\n"), [
    'run.yaml:2:1: cuont: unknown key "cuont" for a generate config (did you mean "count"?)',
  ]);
  const [far] = problems("colour: blue\n");
  ok(
    far!.startsWith(
      'run.yaml:1:1: colour: unknown key "colour" for a generate config; a generate config takes',
    ),
  );
  for (const key of Object.keys(CONFIG_KEYS)) ok(far!.includes(`"${key}"`), key);
});

Deno.test("parseConfig: wrong types, every one at its value, in file order", () => {
  deepStrictEqual(
    problems(
      [
        "count: ten",
        "workers: 0",
        "seed: 123456789012345678901234",
        "unique: sometimes",
        "fp_rate: 0.7",
        "stats: yes please",
        "output: ''",
        "grammar: 3",
        "start: -1",
      ].join("\n"),
    ),
    [
      'run.yaml:1:8: count: must be a whole number of 0 or more, like 10000 or 10M, not "ten", e.g. count: 10000',
      'run.yaml:2:10: workers: must be a number of threads from 1 to 256, or "auto" for one a CPU, not 0, ' +
      "e.g. workers: 2",
      'run.yaml:3:7: seed: a number this long loses digits in YAML; write the seed in quotes, e.g. seed: "12345678901234567890"',
      'run.yaml:4:9: unique: must be one of none, bloom, exact, structural, not "sometimes", e.g. unique: structural',
      "run.yaml:5:10: fp_rate: must be a number between 0 and 0.5, not 0.7, e.g. fp_rate: 1e-5",
      'run.yaml:6:8: stats: must be true or false, not "yes please", e.g. stats: true',
      'run.yaml:7:9: output: must be a non-empty string, not "", e.g. output: statements.sql',
      "run.yaml:8:10: grammar: must be a non-empty string, not 3, e.g. grammar: dml_unique",
      "run.yaml:9:8: start: must be a whole number of 0 or more, like 10000 or 10M, not -1, e.g. start: 0",
    ],
  );
  deepStrictEqual(problems('seed: "0xzz"\n'), [
    'run.yaml:1:7: seed: must be 64 hex digits (256 bits) or a decimal number below 2^64, not "0xzz"',
  ]);
});

Deno.test("parseConfig: grammars holds one grammar (--grammar) or a weighted mix (--grammars)", () => {
  deepStrictEqual(parseConfig("grammars: { functions_ddl: 1 }\n", "run.yaml").flags, {
    grammar: "functions_ddl",
  });
  deepStrictEqual(
    parseConfig("grammars: { functions_ddl: 1 }\n", "run.yaml").origin("grammar"),
    "run.yaml:1:11",
  );
  const mix = parseConfig("grammars: { dml_unique: 3, functions_ddl: 1 }\n", "run.yaml");
  deepStrictEqual(mix.flags, { grammars: "dml_unique:3,functions_ddl:1" });
  deepStrictEqual(mix.origin("grammars"), "run.yaml:1:11");
  deepStrictEqual(problems("grammars:\n  dml_unique: 0\n"), [
    "run.yaml:2:15: grammars.dml_unique: a weight must be a number above 0, not 0",
  ]);
  deepStrictEqual(problems("grammars: {}\n"), [
    "run.yaml:1:11: grammars: must name a grammar with its weight, e.g. grammars: { dml_unique: 1 }",
  ]);
  deepStrictEqual(problems("grammars: [dml_unique]\n"), [
    'run.yaml:1:11: grammars: must be a mapping, not ["dml_unique"], e.g. grammars: { dml_unique: 1 }',
  ]);
  deepStrictEqual(problems("grammar: dml_unique\ngrammars: { fuzz: 1 }\n"), [
    'run.yaml:2:1: grammars: give "grammar" or "grammars", not both, e.g. grammar: dml_unique',
  ]);
});

Deno.test("parseConfig: monitoring keys written at the top level are pointed into the monitoring block", () => {
  for (const key of Object.keys(MOVED_KEYS)) {
    const [line] = problems(`count: 5\n${key}: 10\n`);
    ok(line!.startsWith(`run.yaml:2:1: ${key}: not a top-level key: `), line);
    ok(line!.includes("monitoring"), line);
  }
  deepStrictEqual(problems("checkpoint-every: 10s\n"), [
    'run.yaml:1:1: ["checkpoint-every"]: config keys are written with underscores: "checkpoint_every", ' +
    'not "checkpoint-every"',
  ]);
});

Deno.test("parseConfig: per-run flags and hyphenated spellings are explained", () => {
  for (const key of Object.keys(FLAG_ONLY_KEYS)) {
    const [line] = problems(`${key}: x\n`);
    ok(line!.startsWith(`run.yaml:1:1: ${key}: not a config key: `), line);
  }
  deepStrictEqual(problems("bloom-bits: 1000\n"), [
    'run.yaml:1:1: ["bloom-bits"]: config keys are written with underscores: "bloom_bits", not "bloom-bits"',
  ]);
});

Deno.test("parseConfig: empty, non-mapping and unparsable files", () => {
  deepStrictEqual(problems("# only a comment\n"), [
    "run.yaml:1:1: the file is empty; a config needs at least one key, e.g. count: 10000",
  ]);
  deepStrictEqual(problems("- count: 5\n"), [
    "run.yaml:1:1: a config must be a mapping of keys, not [an object], e.g. count: 10000",
  ]);
  deepStrictEqual(problems("count: 5\ncount: 6\n"), [
    "run.yaml:2:1: this key appears twice in the same mapping; keep one",
  ]);
  throws(() => parseConfig("count: [\n", "run.yaml"), (e) => e instanceof SpecError && e.line === 2);
});

Deno.test("parseConfig: output directory, rotation, compression and checkpoint keys become their flags", () => {
  const c = parseConfig(
    "output_dir: out/\nrotate: 100MB\ncompress: zstd\ncheckpoint_every: 30s\n",
    "run.yaml",
  );
  deepStrictEqual(c.flags, {
    "output-dir": "out/",
    rotate: "100MB",
    compress: "zstd",
    "checkpoint-every": "30s",
  });
  deepStrictEqual(c.origin("checkpoint-every"), "run.yaml:4:19");
  deepStrictEqual(parseConfig("rotate: 1000\ncheckpoint_every: 5000\ncompress: none\n", "r.yaml").flags, {
    rotate: "1000",
    "checkpoint-every": "5000",
  });
  deepStrictEqual(problems("rotate: lots\ncompress: xz\ncheckpoint_every: 5 minutes\n"), [
    'run.yaml:1:9: rotate: must be a statement count like 10M, or a size of SQL like 100MB or 1GiB, not "lots", ' +
    "e.g. rotate: 10M",
    'run.yaml:2:11: compress: must be gzip, zstd or none, not "xz", e.g. compress: zstd',
    'run.yaml:3:19: checkpoint_every: must be a statement count like 1M, or seconds like 60s, not "5 minutes", ' +
    "e.g. checkpoint_every: 60s",
  ]);
});

Deno.test("parseConfig: the monitoring block sets the metrics flags and holds the alert rules", () => {
  const c = parseConfig(
    [
      "count: 5",
      "monitoring:",
      "  interval: 500ms",
      "  file: m.jsonl",
      "  port: 9464",
      "  progress: true",
      "  alerts:",
      "    - rate_below: 1.5M",
      "      for: 30s",
      "    - rss_above: 4GiB",
      "      fatal: true",
      "    - replaced_above: 2%",
    ].join("\n"),
    "run.yaml",
  );
  deepStrictEqual(c.flags, {
    count: "5",
    "metrics-interval": "0.5s",
    "metrics-file": "m.jsonl",
    "metrics-port": "9464",
    progress: true,
  });
  deepStrictEqual(c.origin("metrics-port"), "run.yaml:5:9");
  deepStrictEqual(c.alerts, [
    { kind: "rate_below", threshold: 1.5e6, forSeconds: 30, fatal: false, origin: "run.yaml:8:19" },
    { kind: "rss_above", threshold: 4 * 2 ** 30, forSeconds: 0, fatal: true, origin: "run.yaml:10:18" },
    { kind: "replaced_above", threshold: 0.02, forSeconds: 0, fatal: false, origin: "run.yaml:12:23" },
  ]);
});

Deno.test("parseConfig: a bad monitoring block is named at each line, all at once", () => {
  deepStrictEqual(
    problems(
      [
        "monitoring:",
        "  interval: often",
        "  port: 70000",
        "  colour: red",
        "  alerts:",
        "    - rate_below: fast",
        "    - rss_above: 1GiB",
        "      rate_below: 5",
        "    - fatal: true",
        "    - replaced_above: 150%",
        "      for: -1",
        "      fatal: yes please",
        "    - rss_abov: 1GiB",
      ].join("\n"),
    ),
    [
      'run.yaml:2:13: monitoring.interval: must be a duration like 10s, 500ms, 2m or 1h, not "often"',
      "run.yaml:3:9: monitoring.port: must be a TCP port from 0 to 65535, not 70000, e.g. port: 9464",
      'run.yaml:4:3: monitoring.colour: unknown key "colour" for monitoring; monitoring takes "interval", ' +
      '"file", "port", "progress" and "alerts", e.g. interval: 10s',
      'run.yaml:6:19: monitoring.alerts[0].rate_below: must be a rate in statements/s like 500k or 2M, not "fast", ' +
      "e.g. rate_below: 500k",
      "run.yaml:7:7: monitoring.alerts[1]: an alert watches one figure, not rate_below and rss_above: give each " +
      "its own rule",
      "run.yaml:9:7: monitoring.alerts[2]: an alert needs one of rate_below, rss_above, replaced_above, e.g. " +
      "{ rate_below: 500k, for: 30s, fatal: true }",
      "run.yaml:10:23: monitoring.alerts[3].replaced_above: must be a share of attempts like 1% or 0.01 (from 0 " +
      'to 1), not "150%", e.g. replaced_above: 1%',
      "run.yaml:11:12: monitoring.alerts[3].for: must be a duration like 10s, 500ms, 2m or 1h, not -1",
      'run.yaml:12:14: monitoring.alerts[3].fatal: must be true or false, not "yes please", e.g. fatal: true',
      'run.yaml:13:7: monitoring.alerts[4].rss_abov: unknown key "rss_abov" for an alert (did you mean ' +
      '"rss_above"?), e.g. { rate_below: 500k, for: 30s, fatal: true }',
      "run.yaml:13:7: monitoring.alerts[4]: an alert needs one of rate_below, rss_above, replaced_above, e.g. " +
      "{ rate_below: 500k, for: 30s, fatal: true }",
    ],
  );
  deepStrictEqual(problems("monitoring: 10s\n"), [
    'run.yaml:1:13: monitoring: must be a mapping of interval, file, port, progress and alerts, not "10s"',
  ]);
  deepStrictEqual(problems("monitoring:\n  alerts: { rate_below: 5 }\n"), [
    "run.yaml:2:11: monitoring.alerts: must be a list of rules, not an object, e.g. alerts: " +
    "[{ rate_below: 500k, for: 30s }]",
  ]);
});

Deno.test("parseConfig: README's monitoring example is a valid config", async () => {
  const readme = await Deno.readTextFile(new URL("../../README.md", import.meta.url));
  const section = readme.slice(readme.indexOf("### Monitoring a run"));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  deepStrictEqual(typeof yaml, "string");
  const c = parseConfig(yaml!, "README.md");
  deepStrictEqual(c.flags, { "metrics-interval": "10s" });
  deepStrictEqual(c.alerts.map((a) => [a.kind, a.threshold, a.forSeconds, a.fatal]), [
    ["rate_below", 500_000, 30, false],
    ["rss_above", 4 * 2 ** 30, 0, true],
    ["replaced_above", 0.01, 0, false],
  ]);
});
