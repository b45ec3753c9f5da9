import { deepStrictEqual, ok } from "node:assert/strict";
import { compileTables } from "../data/compile.ts";
import { RowWriter } from "../engine/row_writer.ts";
import type { Seed } from "../seed.ts";
import { KeyPool } from "./key_pool.ts";
import type { PoolKey } from "./tables.ts";

const SEED: Seed = [5n, 6n, 7n, 8n];
const KEY: PoolKey = { id: "p", parentSql: "public.parent", parent: "parent", columns: ["region", "num"] };

/**
 * A pool of two-column keys in a kernel's memory, and a table `t (n, region, num)` whose
 * (region, num) the kernel draws from it.
 */
function pool(capacity = 4, slotBytes = 8) {
  const ref = (member: number, name: string) => ({
    name,
    spec: { method: "reference" as const, null_fraction: 0 },
    pool: { id: "p", member, members: 2, first: "region", capacity, slotBytes },
  });
  const compiled = compileTables([{
    name: "t",
    rows: 1000,
    foreignKeys: [],
    columns: [
      { name: "n", spec: { method: "unique_ids", kind: "sequential" } },
      ref(0, "region"),
      ref(1, "num"),
    ],
  }], { seed: SEED });
  const writer = new RowWriter(compiled.image, SEED);
  const keys = new KeyPool(KEY, writer.memory, compiled.pools.get("p"));
  /** The (region, num) pairs of `count` rows as the kernel writes them. */
  const drawn = (count = 80): string[] =>
    [
      ...writer.write(compiled.tables[0]!, "sql", 0n, count).matchAll(
        /^\(\d+, (NULL|'[^']*'), (NULL|'[^']*')\)/gm,
      ),
    ]
      .map((m) => `${m[1]}|${m[2]}`);
  return { keys, drawn };
}

const pairs = (keys: string[][]) => new Set(keys.map(([a, b]) => `'${a}'|'${b}'`));

/** FNV-1a over a key's text (its columns joined by NUL): where a key lands in a full pool. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

Deno.test("add holds whole keys; the kernel draws only keys held, every column of one key together", () => {
  const { keys, drawn } = pool();
  deepStrictEqual(new Set(drawn()), new Set(["NULL|NULL"]), "an empty pool draws NULL");
  keys.add(["EU", "1"]);
  keys.add(["US", "2"]);
  keys.add(["AP", "3"]);
  deepStrictEqual(keys.size, 3);
  ok(keys.has(["US", "2"]) && !keys.has(["US", "1"]));
  deepStrictEqual(keys.keys(), [["EU", "1"], ["US", "2"], ["AP", "3"]]);
  deepStrictEqual(new Set(drawn()), pairs(keys.keys()));
});

Deno.test("a key added twice, with a NULL, of the wrong width or too long for a slot is not held", () => {
  const { keys, drawn } = pool(4, 8);
  keys.add(["EU", "1"]);
  keys.add(["EU", "1"]);
  keys.add(["EU", null]);
  keys.add([null, "7"]);
  keys.add(["EU"]);
  keys.add(["EU", "1", "x"]);
  keys.add(["EU", "123456789"]); // 9 bytes, slots of 8
  keys.add(["€€€", "1"]); // 9 bytes in UTF-8
  deepStrictEqual(keys.keys(), [["EU", "1"]]);
  deepStrictEqual(new Set(drawn()), new Set(["'EU'|'1'"]));
  keys.add(["€€", "12345678"]); // exactly a slot
  deepStrictEqual(keys.size, 2);
});

Deno.test("remove lets a key go (the last key takes its entry); removing a key not held does nothing", () => {
  const { keys, drawn } = pool();
  for (const k of [["EU", "1"], ["US", "2"], ["AP", "3"], ["SA", "4"]]) keys.add(k);
  keys.remove(["US", "2"]);
  deepStrictEqual(keys.keys(), [["EU", "1"], ["SA", "4"], ["AP", "3"]]);
  ok(!keys.has(["US", "2"]));
  deepStrictEqual(new Set(drawn()), pairs(keys.keys()));
  keys.remove(["US", "2"]);
  keys.remove(["ZZ", "9"]);
  keys.remove(["EU", null]);
  deepStrictEqual(keys.size, 3);
  // Entries stay findable after moving: remove the one that moved.
  keys.remove(["SA", "4"]);
  keys.remove(["EU", "1"]);
  deepStrictEqual(keys.keys(), [["AP", "3"]]);
  deepStrictEqual(new Set(drawn()), new Set(["'AP'|'3'"]));
  keys.remove(["AP", "3"]);
  deepStrictEqual(keys.size, 0);
  deepStrictEqual(new Set(drawn()), new Set(["NULL|NULL"]), "empty again: NULL");
  keys.add(["EU", "1"]);
  deepStrictEqual(new Set(drawn()), new Set(["'EU'|'1'"]));
});

Deno.test("a full pool replaces the entry its new key's hash names, whatever came before", () => {
  const a = pool(4), b = pool(4);
  const first = [["EU", "1"], ["US", "2"], ["AP", "3"], ["SA", "4"]];
  for (const k of first) a.keys.add(k);
  for (const k of [...first].reverse()) b.keys.add(k);
  const next = ["AF", "5"];
  const slot = fnv1a(next.join("\u0000")) % 4;
  for (const { keys, drawn } of [a, b]) {
    const evicted = keys.keys()[slot]!;
    keys.add(next);
    deepStrictEqual(keys.size, 4);
    deepStrictEqual(keys.keys()[slot], next);
    ok(keys.has(next) && !keys.has(evicted), `${evicted} should have left`);
    deepStrictEqual(new Set(drawn()), pairs(keys.keys()));
  }
  // The same keys in the same order give the same pool.
  const c = pool(4), d = pool(4);
  for (let i = 0; i < 40; i++) {
    const k = [`R${i % 7}`, String(i)];
    c.keys.add(k);
    d.keys.add(k);
    if (i % 5 === 0) {
      c.keys.remove(c.keys.keys()[0]!);
      d.keys.remove(d.keys.keys()[0]!);
    }
  }
  deepStrictEqual(c.keys.keys(), d.keys.keys());
  deepStrictEqual(c.drawn(), d.drawn());
});

Deno.test("a pool no churned table draws from keeps its keys without lists", () => {
  const keys = new KeyPool(KEY, new WebAssembly.Memory({ initial: 1 }));
  for (let i = 0; i < 100; i++) keys.add(["EU", String(i)]);
  keys.add(["EU", null]);
  deepStrictEqual(keys.size, 100);
  keys.remove(["EU", "0"]);
  deepStrictEqual([keys.size, keys.has(["EU", "0"]), keys.has(["EU", "99"])], [99, false, true]);
  deepStrictEqual(keys.keys()[0], ["EU", "99"]);
});

Deno.test("thousands of adds and removes on a full pool hold what a plain list and map would", () => {
  const capacity = 64;
  const { keys, drawn } = pool(capacity, 8);
  // The model: entries in order, a full pool's new key replacing the entry its hash names.
  const model: string[] = [];
  const put = (k: string) => {
    if (model.includes(k)) return;
    if (model.length < capacity) model.push(k);
    else model[fnv1a(k) % capacity] = k;
  };
  const drop = (k: string) => {
    const at = model.indexOf(k);
    if (at < 0) return;
    const last = model.pop()!;
    if (at < model.length) model[at] = last;
  };
  let state = 12345;
  const next = (n: number) => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n;
  for (let i = 0; i < 5000; i++) {
    const k = ["R" + next(5), String(next(300))];
    const id = k.join("\u0000");
    if (next(3) === 0) {
      keys.remove(k);
      drop(id);
    } else {
      keys.add(k);
      put(id);
    }
    if (i % 250 === 0) {
      deepStrictEqual(keys.keys().map((x) => x.join("\u0000")), model, `after ${i + 1} steps`);
    }
  }
  deepStrictEqual(keys.keys().map((x) => x.join("\u0000")), model);
  for (const id of model) ok(keys.has(id.split("\u0000")));
  const held = pairs(keys.keys());
  ok(drawn(400).every((d) => held.has(d)), "the kernel draws only keys held");
});
