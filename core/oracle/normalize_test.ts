import { deepStrictEqual, ok } from "node:assert/strict";
import {
  canonicalJson,
  cellsEqual,
  normalizeCell,
  normalizeNumeric,
  OID,
  timestampToUtc,
} from "./normalize.ts";
import { compareResults } from "./results.ts";

Deno.test("normalize: numeric scale, time zones, jsonb keys and numbers, bytea case", () => {
  deepStrictEqual(["1.50", "-0.00", "007", "12.0", "NaN"].map(normalizeNumeric), [
    "1.5",
    "0",
    "7",
    "12",
    "NaN",
  ]);
  deepStrictEqual(timestampToUtc("2020-01-01 01:30:00.25+02:30"), "2019-12-31 23:00:00.25+00");
  deepStrictEqual(timestampToUtc("infinity"), "infinity");
  deepStrictEqual(
    canonicalJson('{"b": 1.50, "a": [1e2, {"d": null, "c": "x"}]}'),
    '{"a":[1e2,{"c":"x","d":null}],"b":1.5}',
  );
  deepStrictEqual(normalizeCell("\\xABCD", OID.bytea), { kind: "text", text: "\\xabcd" });
  deepStrictEqual(normalizeCell(null, OID.int4), { kind: "null" });
});

Deno.test("normalize: floats within the tolerance are equal, NULL is not a value", () => {
  const f = (t: string, oid: number = OID.float8) => normalizeCell(t, oid);
  ok(cellsEqual(f("0.30000000000000004"), f("0.3"), 1e-9));
  ok(!cellsEqual(f("0.31"), f("0.3"), 1e-9));
  ok(cellsEqual(f("1.0000001", OID.float4), f("1", OID.float4), 1e-9), "float4 gets at least 1e-5");
  ok(cellsEqual(f("NaN"), f("NaN"), 1e-9));
  ok(!cellsEqual(normalizeCell(null, 25), normalizeCell("NULL", 25), 1e-9));
});

Deno.test("results: multisets ignore order, ordered results do not", () => {
  const a = { types: [OID.int4, OID.numeric], rows: [["1", "2.50"], ["2", "3"]] };
  const b = { types: [OID.int4, OID.numeric], rows: [["2", "3.00"], ["1", "2.5"]] };
  deepStrictEqual(compareResults(a, b, { ordered: false }), undefined);
  ok(compareResults(a, b, { ordered: true })?.startsWith("row 1"));
  deepStrictEqual(compareResults(a, { ...b, rows: b.rows.slice(1) }, { ordered: false }), "2 rows against 1");
});
