/**
 * Aggregates over one column of the table bound to `a`, typed so the
 * function exists for the column: sums, averages and ordered-set aggregates
 * of numbers, string_agg and mode of text, percentiles of temporal values,
 * bool_and/bool_or, and counts with FILTER over the `cmp_a` rule.
 *
 * @module
 */
import { choice, type Element, pool, ref, template, withColumn } from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";

/** One aggregate over a column of `a`, typed so the function exists for it. */
export const typedAggregateOverA = (): Element =>
  choice(
    [3, "count(*)"],
    [
      2,
      template("count(*) FILTER (WHERE {p})", { p: ref("cmp_a") }),
    ],
    [
      3,
      withColumn(
        "ag",
        "a",
        { type: "number" },
        choice(
          template("sum({c})", { c: qualified("a", "ag") }),
          template("round(avg({c})::numeric, 2)", { c: qualified("a", "ag") }),
          template("percentile_cont({f}) WITHIN GROUP (ORDER BY {c})", {
            f: pool(["0.5", "0.25", "0.9"]),
            c: qualified("a", "ag"),
          }),
          template("round(stddev_samp({c})::numeric, 3)", { c: qualified("a", "ag") }),
          template("sum({c}) FILTER (WHERE {p})", { c: qualified("a", "ag"), p: ref("cmp_a") }),
          template("max({c}) - min({c})", { c: qualified("a", "ag") }),
          template("(array_agg({c} ORDER BY {c2} DESC NULLS LAST))[1]", {
            c: qualified("a", "ag"),
            c2: qualified("a", "ag"),
          }),
        ),
        "count(*)",
      ),
    ],
    [
      2,
      withColumn(
        "ag",
        "a",
        { type: "text" },
        choice(
          template("string_agg({c}, ', ' ORDER BY {c2})", {
            c: qualified("a", "ag"),
            c2: qualified("a", "ag"),
          }),
          template("string_agg(DISTINCT left({c}, 3), '/')", { c: qualified("a", "ag") }),
          template("array_agg({c} ORDER BY {c2}) FILTER (WHERE {c3} IS NOT NULL)", {
            c: qualified("a", "ag"),
            c2: qualified("a", "ag"),
            c3: qualified("a", "ag"),
          }),
          template("max(length({c}))", { c: qualified("a", "ag") }),
          template("mode() WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
        ),
        "count(*)",
      ),
    ],
    [
      2,
      withColumn(
        "ag",
        "a",
        { type: "temporal" },
        choice(
          template("min({c})", { c: qualified("a", "ag") }),
          template("max({c})", { c: qualified("a", "ag") }),
          template("percentile_disc(0.5) WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
          template("count(DISTINCT {c})", { c: qualified("a", "ag") }),
        ),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "ag",
        "a",
        { type: "interval" },
        choice(
          template("avg({c})", { c: qualified("a", "ag") }),
          template("sum({c})", { c: qualified("a", "ag") }),
          template("percentile_cont(0.5) WITHIN GROUP (ORDER BY {c})", { c: qualified("a", "ag") }),
        ),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "ag",
        "a",
        { type: "bool" },
        template("{f}({c})", { f: pool(["bool_and", "bool_or", "every"]), c: qualified("a", "ag") }),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "ag",
        "a",
        { type: ["integer", "numeric", "date", "uuid", "enum", "bool"] },
        template("array_length(array_agg(DISTINCT {c}), 1)", { c: qualified("a", "ag") }),
        "count(*)",
      ),
    ],
    [
      1,
      withColumn(
        "ag",
        "a",
        { comparable: true },
        template("count(DISTINCT {c})", { c: qualified("a", "ag") }),
        "count(*)",
      ),
    ],
  );
