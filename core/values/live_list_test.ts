import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { compileTables } from "../data/compile.ts";
import { RowWriter } from "../engine/row_writer.ts";
import type { Seed } from "../seed.ts";
import { ImageBuilder } from "./image.ts";
import { LiveList, type LiveListAddress, writeLiveList } from "./live_list.ts";

const SEED: Seed = [1n, 2n, 3n, 4n];

/** A table `t (n, ref)` whose `ref` the kernel draws from a live list of `capacity` slots of `slotBytes`. */
function kernelWithList(capacity: number, slotBytes: number) {
  const compiled = compileTables([{
    name: "t",
    rows: 1000,
    foreignKeys: [],
    columns: [
      { name: "n", spec: { method: "unique_ids", kind: "sequential" } },
      {
        name: "ref",
        spec: { method: "reference", null_fraction: 0 },
        pool: { id: "p", member: 0, members: 1, first: "ref", capacity, slotBytes },
      },
    ],
  }], { seed: SEED });
  const writer = new RowWriter(compiled.image, SEED);
  const at = compiled.pools.get("p")![0]!;
  return { writer, table: compiled.tables[0]!, at, list: new LiveList(writer.memory, at) };
}

/** The values of `ref` in `count` rows as the kernel writes them (SQL literals decoded; NULL as null). */
function drawn(k: ReturnType<typeof kernelWithList>, count = 60): (string | null)[] {
  const sql = k.writer.write(k.table, "sql", 0n, count);
  return [...sql.matchAll(/^\(\d+, (NULL|'((?:[^']|'')*)')\)[,;]$/gm)].map((m) =>
    m[1] === "NULL" ? null : m[2]!.replaceAll("''", "'")
  );
}

/** The entries of a list as its memory holds them: the count the kernel reads, then each entry's text. */
function entries(
  memory: WebAssembly.Memory,
  at: LiveListAddress,
): { count: number; values: (string | null)[] } {
  const view = new DataView(memory.buffer);
  const count = view.getUint32(at.list + 4, true);
  const values: (string | null)[] = [];
  for (let i = 0; i < count; i++) {
    const ptr = view.getInt32(at.list + 16 + i * 8, true);
    const len = view.getUint32(at.list + 20 + i * 8, true);
    values.push(
      len === 0xffffffff ? null : new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len)),
    );
  }
  return { count, values };
}

Deno.test("writeLiveList reserves an empty list that draws NULL", () => {
  const image = new ImageBuilder();
  const at = writeLiveList(image, 8, 16);
  deepStrictEqual([at.capacity, at.slotBytes], [8, 16]);
  ok(at.arena >= at.list + 16 + 8 * 8, "the arena follows the entries");
  // One entry, and it is NULL (no text, length 0xffffffff).
  deepStrictEqual([image.readI32(at.list + 4), image.readI32(at.list + 16), image.readI32(at.list + 20)], [
    1,
    0,
    -1,
  ]);
  const k = kernelWithList(4, 8);
  deepStrictEqual(k.list.count, 0);
  deepStrictEqual(entries(k.writer.memory, k.at), { count: 1, values: [null] });
  deepStrictEqual(new Set(drawn(k)), new Set([null]));
});

Deno.test("set appends and overwrites; the kernel draws exactly the entries held", () => {
  const k = kernelWithList(4, 16);
  k.list.set(0, "alpha");
  k.list.set(1, "it's");
  deepStrictEqual(k.list.count, 2);
  deepStrictEqual(entries(k.writer.memory, k.at), { count: 2, values: ["alpha", "it's"] });
  deepStrictEqual(new Set(drawn(k)), new Set(["alpha", "it's"]));
  k.list.set(0, "gamma ✓");
  deepStrictEqual(k.list.count, 2);
  deepStrictEqual(new Set(drawn(k)), new Set(["gamma ✓", "it's"]));
  // NULL is an entry too.
  k.list.set(2, null);
  deepStrictEqual(entries(k.writer.memory, k.at).values, ["gamma ✓", "it's", null]);
  deepStrictEqual(new Set(drawn(k, 120)), new Set(["gamma ✓", "it's", null]));
});

Deno.test("set past the end or past the capacity is a RangeError", () => {
  const k = kernelWithList(2, 8);
  throws(() => k.list.set(1, "a"), RangeError, "a gap");
  k.list.set(0, "a");
  k.list.set(1, "b");
  throws(() => k.list.set(2, "c"), RangeError, "full");
  deepStrictEqual(entries(k.writer.memory, k.at).values, ["a", "b"]);
});

Deno.test("remove moves the last entry into the gap; the last removal leaves the NULL entry", () => {
  const k = kernelWithList(4, 8);
  for (const [i, v] of ["a", "b", "c", "d"].entries()) k.list.set(i, v);
  k.list.remove(1);
  deepStrictEqual(entries(k.writer.memory, k.at), { count: 3, values: ["a", "d", "c"] });
  deepStrictEqual(new Set(drawn(k)), new Set(["a", "d", "c"]));
  k.list.remove(2); // the last one: nothing moves
  deepStrictEqual(entries(k.writer.memory, k.at).values, ["a", "d"]);
  k.list.set(1, null);
  k.list.remove(0); // the NULL entry moves down
  deepStrictEqual(entries(k.writer.memory, k.at).values, [null]);
  deepStrictEqual(k.list.count, 1);
  k.list.remove(0);
  deepStrictEqual(k.list.count, 0);
  deepStrictEqual(entries(k.writer.memory, k.at), { count: 1, values: [null] });
  deepStrictEqual(new Set(drawn(k)), new Set([null]));
  throws(() => k.list.remove(0), RangeError);
  throws(() => k.list.remove(-1), RangeError);
  // Usable again.
  k.list.set(0, "again");
  deepStrictEqual(new Set(drawn(k)), new Set(["again"]));
});

Deno.test("text longer than a slot (in UTF-8 bytes) does not fit, and a failed set changes nothing", () => {
  const k = kernelWithList(2, 8);
  deepStrictEqual(
    ["12345678", "123456789", "€€", "€€€", "😀😀", "😀😀😀", "ééé", "éééé", "ééééé", ""].map((t) =>
      k.list.fits(t)
    ),
    [true, false, true, false, true, false, true, true, false, true],
  );
  k.list.set(0, "keep");
  throws(() => k.list.set(0, "x".repeat(20)), RangeError);
  throws(() => k.list.set(1, "€€€"), RangeError);
  deepStrictEqual(k.list.count, 1);
  deepStrictEqual(entries(k.writer.memory, k.at), { count: 1, values: ["keep"] });
  deepStrictEqual(new Set(drawn(k)), new Set(["keep"]));
  // Exactly a slot: fits.
  k.list.set(1, "éééé");
  deepStrictEqual(entries(k.writer.memory, k.at).values, ["keep", "éééé"]);
});
