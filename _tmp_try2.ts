import { loadParser } from "./core/exec/parser.ts"; import { specFromSchema } from "./core/data/from_schema.ts"; import type { Schema } from "./core/schema/model.ts"; await loadParser();
const KEPT: Schema = {
  name: "pairs",
  types: [{ name: "amount", kind: "domain", base: "numeric(12,2)", checks: ["VALUE >= 0"] }],
  tables: [
    {
      name: "bookings",
      primaryKey: ["id"],
      columns: [
        { name: "id", type: "integer" },
        { name: "starts_at", type: "timestamptz", nullable: false },
        { name: "ends_at", type: "timestamptz", nullable: false },
      ],
      checks: [{ name: "bookings_check", expression: "(ends_at > starts_at)" }],
    },
    {
      name: "periods",
      columns: [{ name: "start_date", type: "date" }, { name: "end_date", type: "date" }],
      checks: [{ name: "periods_check", expression: "end_date >= start_date" }],
    },
    {
      name: "quantities",
      columns: [
        { name: "min_qty", type: "integer", nullable: false },
        { name: "max_qty", type: "integer", nullable: false },
      ],
      checks: [
        { name: "min_qty_check", expression: "min_qty BETWEEN 1 AND 100" },
        { name: "max_qty_check", expression: "((max_qty >= 1) AND (max_qty <= 100))" },
        { name: "qty_order", expression: "(max_qty > min_qty)" },
      ],
    },
    {
      name: "prices",
      columns: [{ name: "cost", type: "numeric(10,2)" }, { name: "price", type: "numeric(10,2)" }],
      checks: [{ name: "margin", expression: "(price >= cost)" }],
    },
    {
      name: "chain",
      columns: [{ name: "a", type: "integer" }, { name: "b", type: "numeric(8,2)" }, {
        name: "c",
        type: "bigint",
        nullable: false,
      }],
      checks: [{ name: "abc", expression: "a < b AND b < c" }],
    },
    {
      // A chain of timestamps, the last bounded; casts as PostgreSQL prints them; a domain.
      name: "shipments",
      columns: [
        { name: "ordered_at", type: "timestamp" },
        { name: "shipped_at", type: "timestamp" },
        { name: "delivered_at", type: "timestamp" },
        { name: "paid", type: "amount", nullable: false },
        { name: "refund", type: "numeric(8,3)" },
        { name: "weight", type: "real" },
        { name: "gross", type: "real" },
      ],
      checks: [
        { name: "shipped", expression: "((shipped_at > ordered_at) AND (paid <= 5000))" },
        { name: "delivered", expression: "delivered_at >= shipped_at AND delivered_at < '2025-01-01'" },
        { name: "refund_ok", expression: "((refund)::numeric <= paid)" },
        { name: "gross_ok", expression: "gross <> weight" },
      ],
    },
    {
      // Narrow and disjoint ranges: the earlier column keeps to where the later one fits.
      name: "narrow",
      columns: [
        { name: "lo", type: "smallint", nullable: false, range: [0, 3] },
        { name: "hi", type: "smallint", nullable: false, range: [0, 3] },
        { name: "early", type: "date" },
        { name: "late", type: "date" },
        { name: "x", type: "integer" },
        { name: "y", type: "integer" },
      ],
      checks: [
        { name: "lo_hi", expression: "hi > lo AND lo >= 0 AND lo <= 3 AND hi >= 0 AND hi <= 3" },
        { expression: "early BETWEEN '2001-01-01' AND '2001-12-31'" },
        { expression: "late BETWEEN '2010-01-01' AND '2010-01-31'" },
        { name: "early_late", expression: "late > early" },
        { name: "xy", expression: "x BETWEEN 50 AND 60 AND y BETWEEN 1 AND 10 AND x <> y" },
      ],
    },
  ],
};
const r = specFromSchema(KEPT, { rows: 10 }); for (const t of ["chain","shipments","narrow"]) console.log(t, JSON.stringify(r.spec.tables[t]!.columns, null, 1)); console.log(r.warnings);
