import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { isPreset, preset, presetFile, presetNames, presetText } from "./builtin.ts";

Deno.test("presets: the five of issue 12, each with a description, all valid", () => {
  deepStrictEqual(presetNames(), ["billion", "minimal", "performance", "test", "yugabyte"]);
  for (const name of presetNames()) {
    const p = preset(name);
    deepStrictEqual(p.name, name);
    ok(p.description.length > 10 && !p.description.includes("\n"), name);
    ok(typeof p.flags.grammar === "string", `${name} names its grammar`);
    ok(typeof p.flags.count === "string", `${name} sets its count`);
    ok(typeof p.flags.unique === "string", `${name} sets its uniqueness`);
    ok(
      typeof p.flags.output === "string" || typeof p.flags["output-dir"] === "string",
      `${name} sets its output`,
    );
    ok(p.origin("grammar")?.startsWith(`${presetFile(name)}:`), name);
  }
});

Deno.test("presets: each holds what its name promises", () => {
  const flags = (name: string) => preset(name).flags;
  deepStrictEqual(flags("test"), {
    grammar: "dml_unique",
    schema: "default",
    count: "10000",
    seed: "42",
    workers: "1",
    unique: "structural",
    output: "-",
  });
  // One a CPU: workers: auto sets no flag, so generate's default applies.
  deepStrictEqual(flags("billion"), {
    grammar: "dml_unique",
    schema: "default",
    count: "1B",
    seed: "1",
    unique: "structural",
    "output-dir": "billion/",
    rotate: "10M",
    compress: "zstd",
    "checkpoint-every": "60s",
    stats: true,
    "metrics-interval": "10s",
  });
  // The billion run checkpoints and is monitored: memory growth stops it at a checkpoint.
  deepStrictEqual(
    preset("billion").alerts.map((a) => [a.kind, a.threshold, a.forSeconds, a.fatal]),
    [["rate_below", 100_000, 60, false], ["rss_above", 2 * 2 ** 30, 0, true]],
  );
  ok(preset("billion").alerts.every((a) => a.origin?.startsWith(`${presetFile("billion")}:`)));
  deepStrictEqual(flags("performance").output, "/dev/null");
  deepStrictEqual(flags("performance").stats, true);
  // Stats only: nothing that would cost the rate it measures.
  for (const flag of ["output-dir", "checkpoint-every", "metrics-file", "metrics-port", "compress"]) {
    deepStrictEqual(flags("performance")[flag], undefined, flag);
  }
  deepStrictEqual(preset("performance").alerts, []);
  deepStrictEqual(flags("minimal").workers, "1");
  ok(Number(flags("minimal").count) <= 10);
  deepStrictEqual(flags("yugabyte").grammar, "dml_yugabyte");
  deepStrictEqual(flags("yugabyte").unique, "bloom");
});

Deno.test("presets: an unknown name lists them and suggests the nearest", () => {
  ok(isPreset("test") && !isPreset("hasOwnProperty") && !isPreset("tests"));
  throws(
    () => presetText("tset"),
    new RangeError(
      'unknown preset "tset" (did you mean "test"?); the presets are billion, minimal, performance, test, yugabyte',
    ),
  );
  throws(() => preset("huge"), (e) => e instanceof RangeError && !e.message.includes("did you mean"));
});
