/**
 * `generate --count N` keeps its word: every catalogue grammar writes
 * exactly N statements with its default uniqueness, and a run whose filter
 * cannot find N distinct statements says so and exits 3, keeping what it
 * wrote.
 *
 * @module
 */
import { deepStrictEqual, match } from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";

const COUNT = 5000;

const lines = (text: string) => text.split("\n").length - 1;

Deno.test("generate --count 5000 writes exactly 5,000 statements for every catalogue grammar", async () => {
  // The oracle's own queries (quarry oracle) are a grammar module outside the catalogue: run by file.
  const outside = ["oracle_queries"];
  const names = [...BUILTIN_GRAMMARS.keys(), ...outside.map((n) => `grammars/${n}.ts`)];
  // Every other grammar module of grammars/ is in the catalogue, so the loop below covers them all.
  const files = [...Deno.readDirSync(new URL("../grammars/", import.meta.url))]
    .filter((e) => e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts") && e.name !== "mod.ts")
    .map((e) => e.name.replace(/\.ts$/, "")).filter((n) => !outside.includes(n)).sort();
  deepStrictEqual(
    [...BUILTIN_GRAMMARS.values()].map((b) => b.file.replace(/^grammars\/|\.ts$/g, "")).sort(),
    files,
  );
  const short: string[] = [];
  // Two at a time: each run is a process of its own.
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(
      names.slice(i, i + 2).map(async (name) => {
        const r = await runCli(["generate", "-g", name, "--count", String(COUNT), "--seed", "1"]);
        if (r.code !== 0 || lines(r.stdout) !== COUNT) {
          short.push(
            `${name}: exit ${r.code}, ${lines(r.stdout)} lines; ${r.stderr.trim().split("\n").at(-1)}`,
          );
        }
      }),
    );
  }
  deepStrictEqual(short, []);
});

Deno.test("generate: a count the filter cannot fill exits 3 naming why, and keeps the statements it wrote", async () => {
  const dir = await Deno.makeTempDir({ prefix: "quarry_count_" });
  try {
    // delete_workload's deletes name seed-row keys: far fewer than 5,000 distinct ones on the default schema.
    const out = `${dir}/deletes.sql`;
    const r = await runCli([
      "generate",
      "-g",
      "delete_workload",
      "--count",
      String(COUNT),
      "--seed",
      "1",
      "--unique",
      "bloom",
      "-o",
      out,
    ]);
    deepStrictEqual(r.code, 3, r.stderr);
    const m = /wrote (\d+) of 5000 statements: (\d+) found no statement unseen by --unique bloom/.exec(
      r.stderr,
    );
    match(r.stderr, /use --unique none to allow repeats, or a smaller --count/);
    const written = lines(await Deno.readTextFile(out));
    deepStrictEqual([Number(m?.[1]), Number(m?.[1]) + Number(m?.[2])], [written, COUNT]);
    // Its own default allows the repeats a workload makes.
    const plain = await runCli([
      "generate",
      "-g",
      "delete_workload",
      "--count",
      String(COUNT),
      "--seed",
      "1",
    ]);
    deepStrictEqual([plain.code, lines(plain.stdout)], [0, COUNT]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
