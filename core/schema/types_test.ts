import { deepStrictEqual } from "node:assert/strict";
import { parseType } from "./types.ts";

Deno.test("types: fractional-second precision, as PostgreSQL prints it, is kept in the type", () => {
  const sql = (name: string) => {
    const t = parseType(name);
    return typeof t === "string" ? t : `${t.sql} ${t.typeClass}`;
  };
  deepStrictEqual(sql("timestamp(3) without time zone"), "timestamp(3) timestamp");
  deepStrictEqual(sql("timestamp(0) with time zone"), "timestamptz(0) timestamp");
  deepStrictEqual(sql("TIME(6)"), "time(6) time");
  deepStrictEqual(sql("interval(2)"), "interval(2) interval");
  deepStrictEqual(sql("timestamp(7)"), 'precision 7 of "timestamp(7)" is out of range 0..6');
  deepStrictEqual(sql("date(3)"), 'type "date" takes no modifier');
});
