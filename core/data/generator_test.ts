import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { dataGenerator } from "./generator.ts";
import type { DataSpec } from "./spec.ts";

const SPEC: DataSpec = {
  tables: {
    customers: {
      rows: 50,
      primary_key: ["id"],
      columns: {
        id: { method: "unique_ids", kind: "sequential" },
        name: { method: "full_name" },
        email: { method: "email", from: "name" },
      },
    },
    orders: {
      primary_key: ["id"],
      columns: {
        id: { method: "unique_ids", kind: "uuid7" },
        customer_id: {
          method: "reference",
          table: "customers",
          column: "id",
          per_parent: { min: 1, max: 3 },
        },
        total: { method: "floats", min: 1, max: 500, round: 2 },
      },
    },
  },
};

Deno.test("records: parents first, every order's customer among the customers, the same for the same seed", async () => {
  const gen = dataGenerator(SPEC, { seed: "7" });
  deepStrictEqual(gen.tables.map((t) => t.name), ["customers", "orders"]);
  const customers = new Set<unknown>();
  for await (const c of gen.records("customers")) customers.add(c.id);
  strictEqual(customers.size, 50);
  const orders: Record<string, unknown>[] = [];
  for await (const o of gen.records("orders")) orders.push(o);
  strictEqual(BigInt(orders.length), gen.tables[1]!.rows);
  ok(orders.length >= 50 && orders.length <= 150);
  ok(orders.every((o) => customers.has(o.customer_id)));
  const again: Record<string, unknown>[] = [];
  for await (const o of dataGenerator(SPEC, { seed: "7" }).records("orders")) again.push(o);
  deepStrictEqual(again, orders);
});

Deno.test("batches hold the same values as records", async () => {
  const gen = dataGenerator(SPEC, { seed: "7" });
  const ids: number[] = [];
  for await (const batch of gen.batches("customers")) {
    const id = batch.find((b) => b.name === "id")!;
    const view = new BigInt64Array(id.values.buffer, id.values.byteOffset, id.length);
    ids.push(...[...view].map(Number));
  }
  deepStrictEqual(ids, Array.from({ length: 50 }, (_, i) => i + 1));
});

Deno.test("size sets the rows of a one-table spec", async () => {
  const gen = dataGenerator({
    tables: { t: { rows: 5, columns: { n: { method: "integers", min: 1, max: 9 } } } },
  })
    .size(12);
  let n = 0;
  for await (const _ of gen.records()) n++;
  strictEqual(n, 12);
});

Deno.test("write().save() writes every table's file under its final name only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const paths = await dataGenerator(SPEC, { seed: "7" }).write({ format: "csv", compression: "gzip" }).save(
      dir,
    );
    deepStrictEqual(paths.map((p) => p.slice(dir.length + 1)), ["customers.csv.gz", "orders.csv.gz"]);
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    deepStrictEqual(names, ["customers.csv.gz", "orders.csv.gz"]);
    const text = new TextDecoder().decode(gunzipSync(Deno.readFileSync(paths[0]!)));
    strictEqual(text.split("\n")[0], "id,name,email");
    strictEqual(text.trimEnd().split("\n").length, 51);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stream releases records no faster than the rate and stamps them", async () => {
  const gen = dataGenerator(SPEC, { seed: "7" });
  const began = performance.now();
  let n = 0;
  for await (const r of gen.stream({ minRate: 100, table: "customers" })) {
    ok(typeof r._created_at === "string" && !Number.isNaN(Date.parse(r._created_at as string)));
    if (++n === 21) break;
  }
  // 21 records at 100 a second take at least 0.2 s.
  ok(performance.now() - began >= 190, `took ${performance.now() - began} ms`);
});
