import { deepStrictEqual, ok } from "node:assert/strict";
import defaultSchema from "../../configs/schemas/default.json" with { type: "json" };
import { compile } from "../compile/compile.ts";
import { schemaFromJson } from "../schema/parse.ts";
import { grammar, number, template } from "../dsl/grammar.ts";
import { generate } from "./generate.ts";
import type { CheckpointHooks } from "./parallel.ts";
import { type FilterPlan, planBloom, planExact } from "./uniqueness.ts";
import type { Seed } from "../seed.ts";

// Statements drawn from 300k values: a run of 200k repeats itself often, so the filter replaces many.
const program = compile(
  grammar("dups").rule("q", template("SELECT {n}", { n: number(1, 300000) })),
  schemaFromJson(defaultSchema),
);
const seed: Seed = [7n, 8n, 9n, 10n];
const dec = new TextDecoder();

interface Snapshot {
  consumed: number;
  filter: Uint8Array;
  /** Output lines written before the checkpoint. */
  lines: number;
  rejected: number;
}

/** Runs [start, start + count) and takes a checkpoint whenever `due` says; returns the text and snapshots. */
async function run(
  filter: FilterPlan,
  workers: number,
  start: bigint,
  count: number,
  due: (consumed: number) => boolean,
  filterState?: Uint8Array,
): Promise<{ text: string; snapshots: Snapshot[] }> {
  const parts: string[] = [];
  let lines = 0;
  const snapshots: Snapshot[] = [];
  const checkpoint: CheckpointHooks = {
    due,
    take(consumed, view, totals) {
      snapshots.push({ consumed, filter: view!.slice(), lines, rejected: totals.rejected });
    },
  };
  await generate(program, {
    seed,
    start,
    count,
    workers,
    filter,
    blockSize: 1000,
    checkpoint,
    ...(filterState ? { filterState } : {}),
    write: (b, n) => {
      parts.push(dec.decode(b));
      lines += n;
    },
  });
  return { text: parts.join(""), snapshots };
}

/** Used slots of an exact table: a slot's first word is non-zero once claimed. */
function usedSlots(table: Uint8Array): number {
  const words = new BigUint64Array(table.buffer, table.byteOffset, table.length / 8);
  let n = 0;
  for (let i = 0; i < words.length; i += 2) if (words[i] !== 0n) n++;
  return n;
}

for (const [mode, plan] of [["bloom", planBloom(200000, 1e-5)], ["exact", planExact(200000)]] as const) {
  Deno.test(`${mode}, 1 worker: resuming from a checkpoint's filter snapshot gives the same bytes`, async () => {
    const whole = await run(plan, 1, 0n, 200000, () => false);
    let calls = 0;
    const cut = await run(plan, 1, 0n, 200000, () => ++calls % 17 === 0);
    deepStrictEqual(cut.text, whole.text, "checkpoints change nothing");
    ok(cut.snapshots.length >= 3, `${cut.snapshots.length} checkpoints`);
    for (const s of cut.snapshots.slice(0, 3)) {
      const rest = await run(plan, 1, BigInt(s.consumed), 200000 - s.consumed, () => false, s.filter);
      const head = whole.text.split("\n").slice(0, s.lines).join("\n") + "\n";
      deepStrictEqual(head + rest.text, whole.text, `resumed at ${s.consumed}`);
    }
    // The local path (one chunk per step) resumes the same way.
    const small = await run(plan, 1, 0n, 15000, () => false);
    const part = await run(plan, 1, 0n, 15000, () => true);
    const s = part.snapshots.find((x) => x.consumed > 3000 && x.consumed < 12000) ?? part.snapshots[0]!;
    const rest = await run(plan, 1, BigInt(s.consumed), 15000 - s.consumed, () => false, s.filter);
    deepStrictEqual(small.text.split("\n").slice(0, s.lines).join("\n") + "\n" + rest.text, small.text);
  });
}

Deno.test("exact, 2 workers: at each checkpoint the table holds exactly the statements written", async () => {
  const plan = planExact(200000);
  let calls = 0;
  const { text, snapshots } = await run(plan, 2, 0n, 200000, () => ++calls % 9 === 0);
  ok(snapshots.length >= 5, `${snapshots.length} checkpoints`);
  // Without the barrier the workers, running ahead of the writer, would have recorded more.
  for (const s of snapshots) deepStrictEqual(usedSlots(s.filter), s.lines, `at ${s.consumed}`);
  const lines = text.split("\n").slice(0, -1);
  deepStrictEqual(new Set(lines).size, lines.length);
  ok(snapshots.at(-1)!.rejected > 0, "the grammar repeats itself, so the filter must have replaced some");
});
