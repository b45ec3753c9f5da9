/**
 * Byte-identity guard for kernel work: sha256 digests of what the kernel
 * writes, to compare before and after a change that must not change output.
 *
 * - every catalogue grammar (grammars/mod.ts) on three schemas (the default,
 *   and two random `quarry ddl` schemas stored in bench/identity/), 20,000
 *   statements of seed 42, with 1 and 2 workers (the two must agree);
 * - `dml_unique` on the default schema under `--unique bloom` and `exact`;
 * - every prebuilt data spec's tables in every text row format, and the
 *   6-column CSV row of bench/data_rows.ts, with 1 and 2 workers.
 *
 * Usage:
 *   deno run -A bench/kernel_identity.ts --write bench/identity/digests.json
 *   deno run -A bench/kernel_identity.ts --check bench/identity/digests.json
 *
 * `--check` prints every entry that differs and exits 1 if any does.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { generateParallel } from "../core/engine/parallel.ts";
import { planBloom, planExact } from "../core/engine/uniqueness.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { prebuiltSpec, prebuiltSpecNames } from "../core/data/prebuilt.ts";
import { normalizeSpec } from "../core/data/normalize_spec.ts";
import { compileTables, plannedTables } from "../core/data/compile.ts";
import { writeRows } from "../core/data/rows.ts";
import type { RowFormat } from "../core/data/row_program.ts";
import { benchSpec } from "./_quarry_rows.ts";

const STATEMENTS = 20_000;
const DATA_ROWS = 5_000;
const seed = parseSeed("42") as Seed;

const here = (p: string) => new URL(p, import.meta.url);
const schemas: [string, unknown][] = [
  ["default", defaultSchema],
  ["ddl_seed7", JSON.parse(Deno.readTextFileSync(here("./identity/ddl_seed7.json")))],
  ["ddl_seed11_high", JSON.parse(Deno.readTextFileSync(here("./identity/ddl_seed11_high.json")))],
];

async function digestOf(run: (write: (b: Uint8Array) => void) => Promise<unknown>): Promise<string> {
  const h = createHash("sha256");
  let bytes = 0;
  await run((b) => {
    h.update(b);
    bytes += b.length;
  });
  return `${h.digest("hex")} ${bytes}`;
}

const digests: Record<string, string> = {};

async function record(
  name: string,
  run: (workers: number, write: (b: Uint8Array) => void) => Promise<unknown>,
) {
  let one: string;
  try {
    one = await digestOf((w) => run(1, w));
    const two = await digestOf((w) => run(2, w));
    if (one !== two) one = `workers differ: 1 → ${one}, 2 → ${two}`;
  } catch (e) {
    one = `error: ${(e as Error).message.split("\n")[0]}`;
  }
  digests[name] = one;
}

for (const [schemaName, json] of schemas) {
  const schema = schemaFromJson(json as Parameters<typeof schemaFromJson>[0]);
  for (const [name, { grammar }] of BUILTIN_GRAMMARS) {
    await record(`grammar ${name} on ${schemaName}`, (workers, write) => {
      const program = compile(grammar, schema);
      return generateParallel(program, { seed, start: 0n, count: STATEMENTS, workers, write });
    });
  }
}

{
  const program = compile(BUILTIN_GRAMMARS.get("dml_unique")!.grammar, schemaFromJson(defaultSchema));
  for (
    const [mode, filter] of [["bloom", planBloom(STATEMENTS, 1e-5)], [
      "exact",
      planExact(STATEMENTS),
    ]] as const
  ) {
    await record(
      `grammar dml_unique on default --unique ${mode}`,
      (workers, write) =>
        generateParallel(program, { seed, start: 0n, count: STATEMENTS, workers, write, filter }),
    );
  }
}

const formats: RowFormat[] = ["csv", "copy", "ndjson", "json", "sql"];
for (const specName of prebuiltSpecNames()) {
  const normalized = normalizeSpec(prebuiltSpec(specName));
  const spec = compileTables(plannedTables(normalized, DATA_ROWS), { locale: normalized.locale, seed });
  for (const table of spec.tables) {
    for (const format of formats) {
      await record(
        `data ${specName}.${table.name} ${format}`,
        (workers, write) =>
          writeRows(spec, table, {
            format,
            workers,
            count: BigInt(Math.min(DATA_ROWS, Number(table.rows))),
            write,
          }),
      );
    }
  }
}
{
  const spec = benchSpec(200_000);
  await record(
    "data bench 6-column csv",
    (workers, write) => writeRows(spec, spec.tables[0]!, { format: "csv", workers, write }),
  );
}

const [mode, file] = Deno.args;
if (mode === "--write" && file) {
  Deno.writeTextFileSync(file, JSON.stringify(digests, null, 2) + "\n");
  console.log(`${Object.keys(digests).length} digests written to ${file}`);
} else if (mode === "--check" && file) {
  const want: Record<string, string> = JSON.parse(Deno.readTextFileSync(file));
  let bad = 0;
  for (const k of new Set([...Object.keys(want), ...Object.keys(digests)])) {
    if (want[k] !== digests[k]) {
      bad++;
      console.log(`DIFFERS ${k}\n  was ${want[k]}\n  now ${digests[k]}`);
    }
  }
  console.log(`${Object.keys(digests).length} digests, ${bad} differ`);
  if (bad > 0) Deno.exit(1);
} else {
  console.error("usage: bench/kernel_identity.ts --write FILE | --check FILE");
  Deno.exit(2);
}
