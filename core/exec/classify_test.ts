import { deepStrictEqual } from "node:assert/strict";
import { classifyError, ERROR_CLASSES, EXPECTED_KINDS, type Family, verdictLabel } from "./classify.ts";

const label = (code: string, family: Family = "postgres", message = "") =>
  verdictLabel(classifyError(code, message, family));

Deno.test("every row of dialects.md §3 gets its verdict", () => {
  const table: [string, string[]][] = [
    ["expected/data", [
      "22012",
      "22003",
      "22001",
      "22P02",
      "22007",
      "22008",
      "2201E",
      "2202E",
      "2203G",
      "21000",
    ]],
    ["expected/integrity", ["23505", "23503", "23502", "23514", "23P01", "23001", "44000", "27000"]],
    ["expected/concurrency", ["40001", "40P01", "55P03", "57014"]],
    ["expected/resource", ["53100", "53200", "53300", "54000", "54001"]],
    ["connection", ["08000", "08003", "08006", "57P01", "57P02", "57P03"]],
    ["generator_bug", ["42601", "42703", "42P01", "42883", "42804", "42P10", "428C9", "42501", "0A000"]],
    ["runner_bug", ["25P02", "25001", "25P01", "25006", "2D000", "3B001", "34000", "26000"]],
    ["server_fault", ["XX000", "XX001", "XX002"]],
  ];
  for (const [want, codes] of table) {
    deepStrictEqual(codes.map((c) => [c, label(c)]), codes.map((c) => [c, want]));
  }
});

Deno.test("YugabyteDB XX000 with a §2.5 retry message is expected concurrency; on PostgreSQL it is a fault", () => {
  const message = "schema version mismatch for table 000033e1000030008000000000004000: expected 1, got 0";
  deepStrictEqual(classifyError("XX000", message, "yugabyte"), { class: "expected", kind: "concurrency" });
  deepStrictEqual(
    label("XX000", "yugabyte", "Restart read required at: { read: ... }"),
    "expected/concurrency",
  );
  deepStrictEqual(
    label("XX000", "yugabyte", "Try again: Conflicts with higher priority transaction"),
    "expected/concurrency",
  );
  deepStrictEqual(label("XX000", "postgres", message), "server_fault");
  deepStrictEqual(label("XX000", "yugabyte", "unexpected null pointer in tablet"), "server_fault");
  // Messages are read for XX000 only: a syntax error mentioning "try again" is still a bug.
  deepStrictEqual(label("42601", "yugabyte", "try again"), "generator_bug");
});

Deno.test("YugabyteDB 0A000 (a gated feature) is a generator bug; its 40001 retries are expected", () => {
  deepStrictEqual(label("0A000", "yugabyte", "ALTER TABLE ... not supported yet"), "generator_bug");
  deepStrictEqual(
    label("40001", "yugabyte", "Catalog Version Mismatch: A DDL occurred"),
    "expected/concurrency",
  );
  deepStrictEqual(label("40P01", "yugabyte", "deadlock detected"), "expected/concurrency");
  deepStrictEqual(label("72000", "yugabyte", "Snapshot too old"), "expected/concurrency");
});

Deno.test("catalog races are bugs unless sessions run DDL concurrently", () => {
  for (const code of ["42P01", "42703", "42704", "42P07", "42710", "42701", "2BP01"]) {
    deepStrictEqual(label(code), "generator_bug", code);
    deepStrictEqual(
      verdictLabel(classifyError(code, "", "postgres", { concurrentDdl: true })),
      "expected/concurrency",
      code,
    );
  }
  // Codes outside the race list keep their verdict.
  deepStrictEqual(
    verdictLabel(classifyError("42601", "", "postgres", { concurrentDdl: true })),
    "generator_bug",
  );
});

Deno.test("unlisted codes fall back by SQLSTATE class, and to generator_bug otherwise", () => {
  deepStrictEqual(label("23000"), "expected/integrity");
  deepStrictEqual(label("40003"), "expected/concurrency");
  deepStrictEqual(label("53400"), "expected/resource");
  deepStrictEqual(label("54011"), "expected/resource");
  deepStrictEqual(label("08P01"), "connection");
  deepStrictEqual(label("28P01"), "connection");
  deepStrictEqual(label("3D000"), "connection");
  deepStrictEqual(label("57P04"), "connection");
  deepStrictEqual(label("25008"), "runner_bug");
  deepStrictEqual(label("XX999"), "server_fault");
  // Unlisted data exceptions usually mean a malformed literal: stop and look.
  deepStrictEqual(label("22021"), "generator_bug");
  deepStrictEqual(label("22025"), "generator_bug");
  deepStrictEqual(label("42P99"), "generator_bug");
  deepStrictEqual(label("55006"), "generator_bug");
  deepStrictEqual(label("P0001"), "generator_bug");
});

Deno.test("data exceptions a well-formed call raises on the values it met are expected data", () => {
  for (const code of ["22004", "22000", "2200F", "2200M", "22026", "2201G"]) {
    deepStrictEqual(label(code), "expected/data", code);
  }
});

Deno.test("a code that is no SQLSTATE is a runner bug", () => {
  for (const code of ["?????", "ECONNREFUSED", "", "4200"]) deepStrictEqual(label(code), "runner_bug", code);
});

Deno.test("the class and kind lists cover every verdict", () => {
  deepStrictEqual([...ERROR_CLASSES], [
    "expected",
    "connection",
    "generator_bug",
    "runner_bug",
    "server_fault",
  ]);
  deepStrictEqual([...EXPECTED_KINDS], ["data", "integrity", "concurrency", "resource"]);
});
