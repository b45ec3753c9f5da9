import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { normalizeSpec } from "./normalize_spec.ts";
import { readSpecText, validateSpec } from "./parse_spec.ts";
import { prebuiltSpec, prebuiltSpecNames, prebuiltSpecText, prebuiltSummary } from "./prebuilt.ts";

const SINGLE = [
  "accounts",
  "customers",
  "devices",
  "employees",
  "events",
  "invoices",
  "order_items",
  "orders",
  "payments",
  "products",
  "reviews",
  "sensor_readings",
  "sessions",
  "shipments",
  "transactions",
  "users",
  "web_logs",
];
const SETS = ["ecommerce", "hr", "iot", "saas"];

Deno.test("the prebuilt specs are all there", () => {
  deepStrictEqual(prebuiltSpecNames(), [...SINGLE, ...SETS].sort());
});

Deno.test("every prebuilt spec parses and validates with zero errors, also at a large --rows", () => {
  for (const name of prebuiltSpecNames()) {
    const { value, positions } = readSpecText(prebuiltSpecText(name), `${name}.yaml`);
    deepStrictEqual(validateSpec(value, positions), [], name);
    deepStrictEqual(validateSpec(value, positions, { defaultRows: 10_000_000 }), [], `${name} at 10M rows`);
    normalizeSpec(prebuiltSpec(name));
  }
});

Deno.test("each file has a comment header, a name matching the file and a description", () => {
  for (const name of prebuiltSpecNames()) {
    const text = prebuiltSpecText(name);
    ok(text.startsWith("# "), `${name} starts with a comment`);
    const spec = prebuiltSpec(name);
    deepStrictEqual(spec.name, name);
    ok((spec.description ?? "").length > 20, `${name} has a description`);
  }
});

Deno.test("single-table specs stand alone: one table, no foreign keys", () => {
  for (const name of SINGLE) {
    const spec = prebuiltSpec(name);
    deepStrictEqual(Object.keys(spec.tables), [name], name);
    const t = spec.tables[name]!;
    deepStrictEqual(t.foreign_keys, undefined, name);
    for (const [column, c] of Object.entries(t.columns)) ok(c.method !== "reference", `${name}.${column}`);
  }
});

Deno.test("ecommerce: composite key through ordinal, country-matched currency, weighted categories", () => {
  const spec = prebuiltSpec("ecommerce");
  deepStrictEqual(Object.keys(spec.tables).sort(), [
    "customers",
    "order_items",
    "orders",
    "payments",
    "products",
    "reviews",
    "shipments",
  ]);
  deepStrictEqual(spec.tables.order_items!.primary_key, ["order_id", "line_no"]);
  deepStrictEqual(spec.tables.order_items!.columns.line_no, { method: "ordinal" });
  const currency = spec.tables.orders!.columns.currency!;
  ok(currency.method === "correlated" && currency.on === "country");
  const category = spec.tables.products!.columns.category!;
  ok(category.method === "distincts" && !Array.isArray(category.values));
  const n = normalizeSpec(spec);
  deepStrictEqual(n.tables.map((t) => t.name), [
    "customers",
    "products",
    "orders",
    "order_items",
    "payments",
    "shipments",
    "reviews",
  ]);
});

Deno.test("saas: a many-to-many link table without duplicate pairs", () => {
  const n = normalizeSpec(prebuiltSpec("saas"));
  const members = n.tables.find((t) => t.name === "team_members")!;
  deepStrictEqual(members.primaryKey, ["team_id", "user_id"]);
  deepStrictEqual(
    members.foreignKeys.map((fk) => [fk.columns[0], fk.per_parent !== undefined, fk.distinct ?? false]),
    [
      ["team_id", true, false],
      ["user_id", false, true],
    ],
  );
});

Deno.test("hr: a nullable self-referencing manager", () => {
  const n = normalizeSpec(prebuiltSpec("hr"));
  deepStrictEqual(n.tables.map((t) => t.name), ["departments", "employees", "salary_changes"]);
  const employees = n.tables[1]!;
  const manager = employees.foreignKeys.find((fk) => fk.columns[0] === "manager_id")!;
  deepStrictEqual([manager.self, manager.nullable, manager.secondPass], [true, true, false]);
  deepStrictEqual(n.tables[2]!.primaryKey, ["employee_id", "change_no"]);
});

Deno.test("iot: ordered reading times and a zipf key to hot devices", () => {
  const spec = prebuiltSpec("iot");
  const readings = spec.tables.sensor_readings!.columns;
  const at = readings.recorded_at!;
  ok(at.method === "timestamps" && at.ordered === true);
  const device = readings.device_id!;
  ok(device.method === "reference" && device.distribution?.type === "zipf");
});

Deno.test("summaries list tables in generation order with their row counts", () => {
  deepStrictEqual(prebuiltSummary("orders"), "orders (--rows)");
  deepStrictEqual(
    prebuiltSummary("ecommerce"),
    "customers (--rows), products (500), orders (0-8 per customers), order_items (1-6 per orders), payments (1 per orders), shipments (1 per orders), reviews (0-1 per order_items)",
  );
  deepStrictEqual(
    prebuiltSummary("hr"),
    "departments (12), employees (--rows), salary_changes (0-4 per employees)",
  );
});

Deno.test("an unknown prebuilt name suggests the nearest", () => {
  throws(() => prebuiltSpecText("order"), /Unknown prebuilt spec "order"; did you mean "orders"\?/);
});
