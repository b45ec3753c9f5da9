import { deepStrictEqual, throws } from "node:assert/strict";
import { SpecError } from "./_spec_error.ts";
import { normalizeSpec, rowRanges } from "./normalize_spec.ts";
import type { DataSpec } from "./spec.ts";

const SHOP: DataSpec = {
  name: "shop",
  locale: "de",
  tables: {
    // Listed child first: generation order is derived, not taken from here.
    items: {
      primary_key: ["order_id", "line_no"],
      columns: {
        order_id: { method: "reference", table: "orders", column: "id", per_parent: { min: 1, max: 3 } },
        line_no: { method: "ordinal" },
        qty: { method: "integers", min: 1, max: 4 },
        price: { method: "floats", min: 1, max: 9, round: 2 },
        total: { method: "derived", expression: "qty * price" },
      },
    },
    orders: {
      rows: 10,
      primary_key: ["id"],
      columns: {
        id: { method: "unique_ids", kind: "sequential" },
        city: {
          method: "tuples",
          columns: ["city", "zip"],
          values: [{ tuple: ["Paris", "75001"] }, { tuple: ["Lyon", "69001"] }],
        },
        buyer: { method: "full_name", locale: "fr" },
      },
    },
    notes: {
      foreign_keys: [{
        columns: ["order_id", "line_no"],
        references: { table: "items", columns: ["order_id", "line_no"] },
        null_fraction: 0.25,
      }],
      columns: { text: { method: "sentence" } },
    },
  },
};

Deno.test("tables come parents first, with their row sources", () => {
  const n = normalizeSpec(SHOP);
  deepStrictEqual(n.tables.map((t) => [t.name, t.rows]), [
    ["orders", { kind: "fixed", rows: 10 }],
    ["items", { kind: "per_parent", foreignKey: 0, parent: "orders", perParent: { min: 1, max: 3 } }],
    ["notes", { kind: "default" }],
  ]);
  deepStrictEqual([n.name, n.locale], ["shop", "de"]);
  deepStrictEqual(
    rowRanges(n, 50),
    new Map([["orders", { min: 10, max: 10 }], ["items", { min: 10, max: 30 }], [
      "notes",
      { min: 50, max: 50 },
    ]]),
  );
});

Deno.test("tuple members are output columns right after their tuples column", () => {
  const orders = normalizeSpec(SHOP).tables[0]!;
  deepStrictEqual(orders.columns.map((c) => [c.name, c.tuple ?? null, c.locale]), [
    ["id", null, "de"],
    ["city", { column: "city", index: 0 }, "de"],
    ["zip", { column: "city", index: 1 }, "de"],
    ["buyer", null, "fr"],
  ]);
  deepStrictEqual(orders.columns[2]!.spec.method, "tuples");
});

Deno.test("column-level references become foreign keys; composite keys spell out their columns", () => {
  const n = normalizeSpec(SHOP);
  const items = n.tables[1]!;
  deepStrictEqual(items.foreignKeys, [{
    columns: ["order_id"],
    references: { table: "orders", columns: ["id"] },
    nullFraction: 0,
    nullable: false,
    self: false,
    secondPass: false,
    declared: { column: "order_id" },
    per_parent: { min: 1, max: 3 },
  }]);
  deepStrictEqual(items.columns[0]!.foreignKey, { index: 0, position: 0 });
  const notes = n.tables[2]!;
  // Undeclared key columns are appended after the declared ones.
  deepStrictEqual(
    notes.columns.map((c) => [c.name, c.spec, c.foreignKey ?? null, c.nullFraction, c.notNull]),
    [
      ["text", { method: "sentence" }, null, 0, true],
      [
        "order_id",
        { method: "reference", table: "items", column: "order_id" },
        { index: 0, position: 0 },
        0.25,
        false,
      ],
      [
        "line_no",
        { method: "reference", table: "items", column: "line_no" },
        { index: 0, position: 1 },
        0.25,
        false,
      ],
    ],
  );
  deepStrictEqual(notes.foreignKeys[0]!.declared, { index: 0 });
});

Deno.test("columns computed from others are generated after them", () => {
  const items = normalizeSpec(SHOP).tables[1]!;
  deepStrictEqual(items.columns.find((c) => c.name === "total")!.dependsOn, ["qty", "price"]);
  const n = normalizeSpec({
    tables: {
      t: {
        columns: {
          total: { method: "derived", expression: "a + b" },
          a: { method: "integers", min: 1, max: 2 },
          done: { method: "timestamps", after: { column: "start", min_lag: 1, max_lag: 2 } },
          start: { method: "timestamps", min: "2024-01-01", max: "2024-02-01" },
          b: { method: "integers", min: 1, max: 2 },
        },
      },
    },
  });
  deepStrictEqual(n.tables[0]!.generationOrder, ["a", "b", "total", "start", "done"]);
});

Deno.test("a loop of keys is broken at the nullable one, which is loaded in a second pass", () => {
  const n = normalizeSpec({
    tables: {
      a: {
        primary_key: ["id"],
        columns: {
          id: { method: "unique_ids", kind: "sequential" },
          b_id: { method: "reference", table: "b", column: "id" },
        },
      },
      b: {
        primary_key: ["id"],
        columns: {
          id: { method: "unique_ids", kind: "sequential" },
          a_id: { method: "reference", table: "a", column: "id", null_fraction: 0.5 },
        },
      },
    },
  });
  deepStrictEqual(n.tables.map((t) => [t.name, t.foreignKeys.map((fk) => fk.secondPass)]), [["b", [true]], [
    "a",
    [
      false,
    ],
  ]]);
});

Deno.test("an invalid spec is refused with every problem", () => {
  throws(
    () =>
      normalizeSpec({
        tables: { t: { columns: { a: { method: "integers" } as never, b: { method: "nope" } as never } } },
      }),
    (e: unknown) => e instanceof SpecError && e.issues.length === 2,
  );
});
