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
    ok(typeof p.flags.output === "string", `${name} sets its output`);
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
    output: "billion.sql",
    stats: true,
  });
  deepStrictEqual(flags("performance").output, "/dev/null");
  deepStrictEqual(flags("performance").stats, true);
  deepStrictEqual(flags("minimal").workers, "1");
  ok(Number(flags("minimal").count) <= 10);
  deepStrictEqual(flags("yugabyte").grammar, "dml_yugabyte");
  deepStrictEqual(flags("yugabyte").unique, "bloom");
});

Deno.test("presets: the billion preset names the keys still to come only in comments", () => {
  const text = presetText("billion");
  for (const key of ["output_dir", "rotate", "compress", "checkpoint_every", "metrics"]) {
    ok(new RegExp(`^# +${key}: `, "m").test(text), `${key} described`);
    ok(!new RegExp(`^${key}:`, "m").test(text), `${key} set`);
  }
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
