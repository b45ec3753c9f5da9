/**
 * Casts of one column of the table bound to `a` from its type to the types
 * it converts to without failing on the data.
 *
 * @module
 */
import { byColumn, choice, type Element } from "../../core/dsl/grammar.ts";
import { qualified } from "./columns.ts";
import { overColumn } from "./column_templates.ts";

/** Casts from the column's type to others it converts to. */
export const castOf = (col: string): Element => {
  const f = overColumn(qualified("a", col));
  return byColumn(col, [
    [
      { type: "integer" },
      choice(
        f("{c}::numeric(30,2)"),
        f("{c}::float8"),
        f("{c}::text"),
        f("CAST({c} AS bigint)"),
        f("({c} % 2 = 0)::text"),
      ),
    ],
    [
      { type: ["numeric", "float"] },
      choice(f("{c}::float8"), f("{c}::numeric"), f("round({c})::bigint"), f("{c}::text")),
    ],
    [
      { type: "text" },
      choice(
        f("{c}::varchar(8)"),
        f("CAST({c} AS char(4))"),
        f("left(nullif(regexp_replace({c}, '[^0-9]', '', 'g'), ''), 9)::integer"),
        f("length({c})::text::integer"),
        f("convert_to({c}, 'UTF8')"),
      ),
    ],
    [
      { type: "date" },
      choice(
        f("{c}::timestamp"),
        f("{c}::timestamptz"),
        f("{c}::text"),
        f("to_char({c}, 'YYYYMMDD')::integer"),
      ),
    ],
    [
      { type: "timestamp" },
      choice(f("{c}::date"), f("{c}::time"), f("{c}::timestamptz"), f("{c}::timestamp(0)"), f("{c}::text")),
    ],
    [{ type: "time" }, choice(f("{c}::text"), f("{c}::interval"), f("{c}::time(0)"))],
    [{ type: "interval" }, choice(f("{c}::text"), f("{c}::time"), f("extract(epoch FROM {c})::bigint"))],
    [{ type: "bool" }, choice(f("{c}::int"), f("{c}::text"), f("{c}::text::boolean"))],
    [{ type: "uuid" }, choice(f("{c}::text"), f("{c}::text::uuid"))],
    [{ type: "json" }, choice(f("{c}::text"), f("{c}::json"), f("({c} ->> 'k')::text"))],
    [{ type: "inet" }, choice(f("{c}::text"), f("{c}::cidr"), f("host({c})::inet"))],
    [{ type: "enum" }, f("{c}::text")],
  ], f("{c}::text"));
};
