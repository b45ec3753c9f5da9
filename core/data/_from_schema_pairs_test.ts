import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { loadParser } from "../exec/parser.ts";
import type { Schema } from "../schema/model.ts";
import type { Seed } from "../seed.ts";
import { compileTables, plannedTables } from "./compile.ts";
import { assertChecksHoldInPostgres } from "./_checks_in_postgres.ts";
import { normalizeSpec } from "./normalize_spec.ts";
import { validateSpec } from "./parse_spec.ts";
import type { ColumnSpec } from "./spec.ts";
import { specFromSchema } from "./from_schema.ts";
import { deriveCheck } from "./_from_schema_checks.ts";
import { csvOf } from "./_fidelity_rows.ts";

await loadParser();

const SEED: Seed = [11n, 12n, 13n, 14n];
const ROWS = 10_000;

/** Tables whose CHECKs compare two columns, each kept by construction. */
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

/** Each CHECK above as (later, operator, earlier), to test rows without a database; "one lag" where there is no room for more. */
const PAIRS: Record<string, [string, ">" | ">=" | "<>", string, "one lag"?][]> = {
  bookings: [["ends_at", ">", "starts_at"]],
  periods: [["end_date", ">=", "start_date"]],
  quantities: [["max_qty", ">", "min_qty"]],
  prices: [["price", ">=", "cost"]],
  chain: [["b", ">", "a"], ["c", ">", "b"]],
  shipments: [
    ["shipped_at", ">", "ordered_at"],
    ["delivered_at", ">=", "shipped_at"],
    ["paid", ">=", "refund"],
    ["gross", "<>", "weight"],
  ],
  narrow: [["hi", ">", "lo", "one lag"], ["late", ">", "early"], ["x", "<>", "y"]],
};

function column(
  spec: { tables: Record<string, { columns: Record<string, ColumnSpec> }> },
  t: string,
  c: string,
) {
  const out = spec.tables[t]?.columns[c];
  if (!out) throw new Error(`no column ${t}.${c}`);
  return out;
}

/** A CSV value as a number: temporal ones in ms, NULL as NaN. */
function valueOf(text: string): number {
  if (text === "") return NaN;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    return Date.parse(/[zZ]$/.test(text) ? text : `${text.replace(" ", "T")}Z`);
  }
  return Number(text);
}

Deno.test("comparisons of two columns are read as pairs, casts included, only when asked", () => {
  const isColumn = (n: string) => ["a", "b", "c", "price", "cost"].includes(n);
  const pairs = (e: string) => {
    const d = deriveCheck(e, isColumn, { pairs: true });
    return { derived: d.derived, pairs: d.pairs, bounds: Object.fromEntries(d.bounds) };
  };
  const pair = (earlier: string, later: string, strict: boolean, distinct = false) => ({
    earlier,
    later,
    strict,
    ...(distinct ? { distinct } : {}),
    casts: { earlier: [] as string[], later: [] as string[] },
  });
  deepStrictEqual(pairs("(b > a)").pairs, [pair("a", "b", true)]);
  deepStrictEqual(pairs("b >= a").pairs, [pair("a", "b", false)]);
  deepStrictEqual(pairs("a < b").pairs, [pair("a", "b", true)]);
  deepStrictEqual(pairs("a <= b").pairs, [pair("a", "b", false)]);
  deepStrictEqual(pairs("a != b").pairs, [pair("a", "b", true, true)]);
  deepStrictEqual(pairs("((price)::numeric >= cost)"), {
    derived: true,
    pairs: [{ earlier: "cost", later: "price", strict: false, casts: { earlier: [], later: ["numeric"] } }],
    bounds: {},
  });
  // With the constant forms, in one AND.
  deepStrictEqual(pairs("((a >= 1) AND (a < b) AND (b < c) AND (c <= 9))"), {
    derived: true,
    pairs: [pair("a", "b", true), pair("b", "c", true)],
    bounds: { a: { lo: { value: 1, inclusive: true } }, c: { hi: { value: 9, inclusive: true } } },
  });
  // Not pairs: equality, OR, a function, a column with itself, an unknown name.
  for (const e of ["a = b", "a < b OR a > c", "abs(a) < b", "a < a", "a < other"]) {
    strictEqual(pairs(e).derived, false, e);
  }
  // Without `pairs` (domains), a comparison of two columns is not derived, as before.
  deepStrictEqual(deriveCheck("a < b", isColumn), { bounds: new Map(), derived: false, pairs: [] });
});

Deno.test("derived specs keep comparisons of two columns: after, derived, bounds and NULLs", async () => {
  const { spec, planned, warnings } = specFromSchema(KEPT, { rows: 100 });
  deepStrictEqual(warnings, []);
  deepStrictEqual(validateSpec(spec), []);
  // The later timestamp is after the earlier one; the earlier one keeps the longest lag below the max.
  deepStrictEqual(column(spec, "bookings", "starts_at"), {
    method: "timestamps",
    min: "2000-01-01 00:00:00",
    max: "2030-12-01 23:59:59",
    format: "iso",
    type: "timestamptz",
  });
  deepStrictEqual(column(spec, "bookings", "ends_at"), {
    method: "timestamps",
    after: { column: "starts_at", min_lag: 1, max_lag: 720, unit: "hours" },
    format: "iso",
    type: "timestamptz",
  });
  // >= on dates: a lag from 0 days.
  deepStrictEqual(column(spec, "periods", "end_date"), {
    method: "dates",
    after: { column: "start_date", min_lag: 0, max_lag: 30 },
    type: "date",
    null_fraction: 0.1,
    not_null: false,
  });
  // Integers within 1..100: min_qty keeps to 99, max_qty is a step or more above, clamped to 100.
  deepStrictEqual(column(spec, "quantities", "min_qty"), {
    method: "integers",
    min: 1,
    max: 99,
    type: "integer",
  });
  deepStrictEqual(column(spec, "quantities", "max_qty"), {
    method: "derived",
    expression: "least(100, min_qty + 1 + (min_qty * 7919) % 25)",
    round: 0,
    type: "integer",
  });
  deepStrictEqual(column(spec, "prices", "price"), {
    method: "derived",
    expression: "least(99999999.99, cost + 0.01 * ((cost * 791900) % 1000000))",
    round: 2,
    type: "numeric(10,2)",
    null_fraction: 0.1,
    not_null: false,
  });
  // A chain: c is NOT NULL, so neither a nor b is ever NULL (but both stay nullable in DDL).
  for (const name of ["a", "b"]) {
    const c = column(spec, "chain", name);
    strictEqual(c.null_fraction, undefined, name);
    strictEqual(c.not_null, false, name);
  }
  strictEqual(column(spec, "chain", "b").method, "derived");
  strictEqual(column(spec, "chain", "c").method, "derived");
  // The bounded end of a chain of timestamps pulls the chain below it.
  const ordered = column(spec, "shipments", "ordered_at");
  ok(ordered.method === "timestamps" && ordered.max! < "2024-12", JSON.stringify(ordered));
  deepStrictEqual(column(spec, "shipments", "delivered_at"), {
    method: "timestamps",
    after: { column: "shipped_at", min_lag: 0, max_lag: 720, unit: "hours" },
    type: "timestamp",
    null_fraction: 0.1,
    not_null: false,
  });
  // A narrow pair: no room for a lag, so hi is lo + 1; a lone lag window of dates years later.
  deepStrictEqual(column(spec, "narrow", "lo"), { method: "integers", min: 0, max: 2, type: "smallint" });
  deepStrictEqual(column(spec, "narrow", "hi"), {
    method: "derived",
    expression: "lo + 1",
    round: 0,
    type: "smallint",
  });
  const late = column(spec, "narrow", "late");
  ok(late.method === "dates" && late.after?.column === "early" && late.after.min_lag > 3000);
  // x <> y with x above y: kept as x > y.
  strictEqual(column(spec, "narrow", "x").method, "derived");
  // The spec says what the planned tables do.
  const fromSpec = compileTables(plannedTables(normalizeSpec(spec), 1000), { seed: SEED });
  const direct = compileTables(planned, { seed: SEED });
  for (const t of direct.tables) {
    strictEqual(await csvOf(fromSpec, t.name), await csvOf(direct, t.name), t.name);
  }
});

Deno.test("rows of the kernel keep every comparison of two columns, 10,000 per table", async () => {
  const { planned } = specFromSchema(KEPT, { rows: ROWS });
  const compiled = compileTables(planned, { seed: SEED });
  for (const [table, pairs] of Object.entries(PAIRS)) {
    const [header, ...lines] = (await csvOf(compiled, table, { header: true })).trimEnd().split("\n");
    strictEqual(lines.length, ROWS, table);
    const names = header!.split(",");
    const at = (c: string) => names.indexOf(c);
    for (const [later, op, earlier, one] of pairs) {
      let kept = 0, both = 0;
      const gaps = new Set<number>();
      for (const line of lines) {
        const f = line.split(",");
        const l = valueOf(f[at(later)]!), e = valueOf(f[at(earlier)]!);
        if (Number.isNaN(l) || Number.isNaN(e)) {
          kept++;
          continue;
        }
        both++;
        gaps.add(l - e);
        if (op === ">" ? l > e : op === ">=" ? l >= e : l !== e) kept++;
      }
      strictEqual(kept, ROWS, `${table}: ${later} ${op} ${earlier}`);
      ok(both > ROWS / 2, `${table}: ${later} and ${earlier} are mostly set`);
      strictEqual(gaps.size > 1, !one, `${table}: ${later} ${op} ${earlier} by more than one lag`);
    }
  }
});

Deno.test({
  name: "PostgreSQL loads 10,000 derived rows per table under the real CHECKs, with no row breaking one",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await assertChecksHoldInPostgres(KEPT, ROWS, SEED, async (count) => {
      // Spread, not one fixed lag.
      ok(await count("SELECT count(DISTINCT ends_at - starts_at)::int AS n FROM bookings") > 100);
      ok(await count("SELECT count(DISTINCT max_qty - min_qty)::int AS n FROM quantities") > 10);
      strictEqual(await count("SELECT count(*)::int AS n FROM chain WHERE a IS NULL OR b IS NULL"), 0);
    });
  },
});

Deno.test("comparisons that cannot be kept still warn exactly as before, and leave the columns be", () => {
  const schema: Schema = {
    name: "w",
    tables: [
      {
        name: "t",
        unique: [["k"]],
        columns: [
          { name: "a", type: "integer" },
          { name: "b", type: "integer" },
          { name: "c", type: "integer" },
          { name: "k", type: "integer" },
          { name: "s", type: "text" },
          { name: "u", type: "text" },
          { name: "d", type: "date" },
          { name: "ts", type: "timestamptz" },
          { name: "r", type: "real" },
          { name: "n", type: "numeric(6,2)" },
          { name: "g", type: "integer", generated: "a + 1" },
          { name: "p", type: "integer" },
          { name: "q", type: "integer" },
        ],
        checks: [
          { name: "kept", expression: "b > a" },
          { name: "second source", expression: "b > c" },
          { name: "loop", expression: "a > b" },
          { name: "key", expression: "k > c" },
          { name: "text", expression: "u > s" },
          { name: "mixed", expression: "ts > d" },
          { name: "real", expression: "r > n" },
          { name: "generated", expression: "g > c" },
          { name: "equal", expression: "p = q" },
          { name: "or", expression: "p < q OR p IS NULL" },
          { name: "text cast", expression: "(p)::text < (q)::text" },
          { name: "no room", expression: "p BETWEEN 50 AND 60 AND q BETWEEN 1 AND 10 AND q > p" },
        ],
      },
      {
        name: "child",
        columns: [{ name: "t_k", type: "integer" }, { name: "v", type: "integer" }],
        foreignKeys: [{ columns: ["t_k"], references: { table: "t", columns: ["k"] } }],
        checks: [{ name: "reference", expression: "t_k > v" }],
      },
    ],
  };
  const { spec, warnings } = specFromSchema(schema, { rows: 20 });
  const check = (t: string, name: string, e: string) =>
    `table "${t}", check "${name}" (${e}): not a form bounds are derived from; generated rows may violate it`;
  deepStrictEqual(warnings, [
    check("t", "second source", "b > c"),
    check("t", "loop", "a > b"),
    check("t", "key", "k > c"),
    check("t", "text", "u > s"),
    check("t", "mixed", "ts > d"),
    check("t", "real", "r > n"),
    check("t", "generated", "g > c"),
    check("t", "equal", "p = q"),
    check("t", "or", "p < q OR p IS NULL"),
    check("t", "text cast", "(p)::text < (q)::text"),
    check("t", "no room", "p BETWEEN 50 AND 60 AND q BETWEEN 1 AND 10 AND q > p"),
    check("child", "reference", "t_k > v"),
  ]);
  // Only the kept CHECK changes a column; the others are drawn as before.
  strictEqual(column(spec, "t", "b").method, "derived");
  for (const c of ["c", "s", "u", "d", "ts", "r", "n", "q"]) ok(column(spec, "t", c).method !== "derived", c);
  deepStrictEqual(column(spec, "child", "v"), {
    method: "integers",
    min: -2147483648,
    max: 2147483647,
    type: "integer",
    null_fraction: 0.1,
    not_null: false,
  });
});
