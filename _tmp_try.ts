import { loadParser } from "./core/exec/parser.ts";
import { specFromSchema } from "./core/data/from_schema.ts";
import type { Schema } from "./core/schema/model.ts";
await loadParser();
const schema: Schema = { name: "p", tables: [
  { name: "bookings", primaryKey: ["id"], columns: [
    { name: "id", type: "integer" },
    { name: "starts_at", type: "timestamptz", nullable: false },
    { name: "ends_at", type: "timestamptz", nullable: false },
  ], checks: [{ name: "c", expression: "(ends_at > starts_at)" }] },
  { name: "periods", columns: [
    { name: "start_date", type: "date" },
    { name: "end_date", type: "date" },
  ], checks: [{ name: "c", expression: "end_date >= start_date" }] },
  { name: "qty", columns: [
    { name: "min_qty", type: "integer", nullable: false },
    { name: "max_qty", type: "integer", nullable: false },
  ], checks: [{ expression: "min_qty BETWEEN 1 AND 100" }, { expression: "max_qty BETWEEN 1 AND 100" }, { name: "q", expression: "max_qty > min_qty" }] },
  { name: "prices", columns: [
    { name: "cost", type: "numeric(10,2)" },
    { name: "price", type: "numeric(10,2)" },
  ], checks: [{ name: "m", expression: "(price >= cost)" }] },
  { name: "chain", columns: [
    { name: "a", type: "integer" }, { name: "b", type: "numeric(8,2)" }, { name: "c", type: "bigint" },
  ], checks: [{ name: "abc", expression: "a < b AND b < c" }] },
  { name: "mixed", columns: [
    { name: "x", type: "numeric(6,2)" }, { name: "y", type: "integer" }, { name: "z", type: "real" }, { name: "w", type: "real" },
  ], checks: [{ name: "xy", expression: "(y > x)" }, { name: "zw", expression: "z <> w" }] },
]};
const r = specFromSchema(schema, { rows: 10 });
console.log(JSON.stringify(r.spec, null, 1));
console.log(r.warnings);
