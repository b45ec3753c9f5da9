/**
 * `generate --format jsonl`: the same statements as the text output, one
 * JSON object a line with the parse tree's metadata, and `--stats` counting
 * them per kind and feature.
 *
 * @module
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { runCli } from "./_cli.ts";

Deno.test("generate --format jsonl writes the text run's statements with their metadata, and --stats counts them", async () => {
  const args = ["generate", "-g", "dml_unique", "-n", "300", "--seed", "5"];
  const [text, json] = await Promise.all([runCli(args), runCli([...args, "--format", "jsonl", "--stats"])]);
  deepStrictEqual([text.code, json.code], [0, 0], json.stderr);
  const rows = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  deepStrictEqual(rows.map((r) => `${r.sql};`).join("\n"), text.stdout.trimEnd());
  deepStrictEqual(rows.map((r) => r.index), rows.map((_, i) => i));
  const kinds: Record<string, number> = {};
  const features: Record<string, number> = {};
  for (const r of rows) {
    kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
    for (const f of r.features) features[f] = (features[f] ?? 0) + 1;
    ok(r.tables.length > 0 && r.sql.toLowerCase().startsWith(r.kind), r.sql);
  }
  deepStrictEqual(Object.keys(kinds).sort(), ["delete", "insert", "select", "update"]);
  ok(
    ["on_conflict", "returning", "left_join"].every((f) => (features[f] ?? 0) > 0),
    JSON.stringify(features),
  );
  const stats = JSON.parse(json.stderr.trim().split("\n").at(-1)!);
  deepStrictEqual([stats.kinds, stats.features], [kinds, features]);
  const bad = await runCli([...args, "--format", "jsonl", "--emit-setup"]);
  deepStrictEqual(bad.code, 2);
});
