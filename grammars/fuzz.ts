/**
 * `fuzz`: deep, typed expression trees over the schema's columns, in the
 * spirit of SQLsmith but steered by weights and bounded by the grammar's
 * `maxDepth`.
 *
 * Every expression is produced for a result type, one rule per type:
 * `int`, `num` (numeric), `flt` (double precision), `txt`, `bool`, `ts`
 * (timestamp or timestamptz), `date`, `ivl` (interval) and `time`. A rule
 * either ends in a leaf (a column of that type class, a literal, a scalar
 * subquery) or applies an operator or function whose arguments come from
 * the rules of the types it takes, so every call exists for its arguments:
 * arithmetic, `CASE`, `COALESCE`, `NULLIF`, `GREATEST`/`LEAST`, casts,
 * string functions, comparisons, boolean connectives and date arithmetic.
 * Columns of other types enter through what they support (`::text`,
 * `->>`, `host()`, `length()`, `IS NULL`, `=` with a literal).
 *
 * The trees fill SELECT lists, WHERE, ORDER BY and GROUP BY (by ordinal)
 * of single-table queries and of joins along a foreign key. Runtime errors
 * are kept rare by construction: divisors go through `NULLIF(x, 0)`,
 * logarithms and roots take `abs(x) + 1` or `abs(x)`, multiplications of
 * integers use small constants, and day counts added to dates are reduced
 * modulo 1000 first.
 *
 * Table slots: `t` is the queried table, `p` the table it references in
 * joins, `s` the table of a scalar subquery. The leaf column slots are read
 * right after they are bound.
 *
 * @module
 */
import {
  choice,
  type ColumnFilter,
  columnName,
  columnType,
  eachForeignKeyPair,
  type Element,
  grammar,
  literal,
  maybe,
  number,
  pool,
  ref,
  repeat,
  tableName,
  template,
  withColumn,
  withForeignKey,
  withTable,
} from "../core/dsl/grammar.ts";

const g = grammar("fuzz", {
  description: "SQLsmith-like typed expression trees (arithmetic, CASE, COALESCE, NULLIF, casts, string, " +
    "date and boolean operators) over the schema's columns in SELECT lists, WHERE, ORDER BY and GROUP BY, " +
    "steered by weights and bounded by maxDepth.",
  start: "query",
  maxDepth: 9,
  maxStatementBytes: 262144,
});

/** The result types expressions are built for. */
const TYPES = ["int", "num", "flt", "txt", "bool", "ts", "date", "ivl", "time"] as const;
type ExprType = typeof TYPES[number];

/** Literal text pools. */
const WORDS = ["'alpha'", "'Beta gamma'", "''", "'x-17'", "'  padded  '", "'Zürich'", "'42'", "'a%b_c'"];
const PATTERNS = ["'a%'", "'%e%'", "'_%'", "'%1%'", "'Z%'", "'%'"];
const TIMESTAMPS = [
  "TIMESTAMP '2024-02-29 12:00:00'",
  "TIMESTAMP '1999-12-31 23:59:59'",
  "TIMESTAMPTZ '2020-06-15 08:30:00+02'",
  "TIMESTAMP '2030-01-01 00:00:00'",
];
const DATES = ["DATE '2024-02-29'", "DATE '2000-01-01'", "DATE '1970-01-01'", "DATE '2026-12-31'"];
const TIMES = ["TIME '00:00:00'", "TIME '12:34:56'", "TIME '23:59:59.5'"];
const UNITS = ["'year'", "'quarter'", "'month'", "'week'", "'day'", "'hour'", "'minute'"];
const FIELDS = ["year", "month", "day", "hour", "minute", "dow", "doy", "quarter"];

/**
 * Registers the expression rules of one scope: `<scope>_<type>` for every
 * type, with leaves taken from the tables in `aliases` (each alias is also
 * its table slot).
 */
function family(scope: string, aliases: readonly string[]): void {
  /** A reference to this scope's rule for type `t`. */
  const e = (t: ExprType | "any") => ref(`${scope}_${t}`);

  /** A column of `where` from one of the aliases, rendered by `render`; `fallback` if none matches. */
  const column = (
    where: ColumnFilter,
    fallback: Element,
    render: (alias: string) => Element = (a) => template(`${a}.{c}`, { c: columnName("lf") }),
  ) => choice(...aliases.map((a) => withColumn("lf", a, where, render(a), fallback)));

  /** A literal of a column of `where` (typed by a cast), or `fallback`. */
  const columnLiteral = (where: ColumnFilter, fallback: Element) =>
    choice(
      ...aliases.map((a) =>
        withColumn(
          "lf",
          a,
          where,
          template("CAST({v} AS {t})", { v: literal("lf", { nulls: 0 }), t: columnType("lf") }),
          fallback,
        )
      ),
    );

  /** Shared conditional forms for type `t`. */
  const conditional = (t: ExprType): [number, Element][] => [
    [3, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e(t), y: e(t) })],
    [
      1,
      template("CASE WHEN {b} THEN {x} WHEN {c} THEN {y} END", {
        b: e("bool"),
        x: e(t),
        c: e("bool"),
        y: e(t),
      }),
    ],
    [2, template("COALESCE({x}, {y})", { x: e(t), y: e(t) })],
    [1, template("NULLIF({x}, {y})", { x: e(t), y: e(t) })],
    [1, template("{f}({x}, {y})", { f: pool(["GREATEST", "LEAST"]), x: e(t), y: e(t) })],
  ];

  const intLiteral = number(-20, 200);
  const numLiteral = template("{a}.{b}", { a: number(0, 9999), b: number(0, 99) });
  const txtLiteral = pool(WORDS);

  g.rule(
    `${scope}_int`,
    choice(
      [24, column({ type: "integer" }, intLiteral)],
      [8, intLiteral],
      [3, columnLiteral({ type: "integer" }, intLiteral)],
      [1, "CAST(NULL AS integer)"],
      [6, template("({x} + {y})", { x: e("int"), y: e("int") })],
      [4, template("({x} - {y})", { x: e("int"), y: e("int") })],
      [3, template("({x} * {k})", { x: e("int"), k: number(-3, 9) })],
      [3, template("({x} / NULLIF({y}, 0))", { x: e("int"), y: e("int") })],
      [2, template("({x} % NULLIF({y}, 0))", { x: e("int"), y: e("int") })],
      [2, template("abs({x})", { x: e("int") })],
      [1, template("(-({x}))", { x: e("int") })],
      [1, template("({x} {op} {y})", { x: e("int"), op: pool(["&", "|", "#"]), y: e("int") })],
      [1, template("(~({x}))", { x: e("int") })],
      [1, template("({x} {op} {k})", { x: e("int"), op: pool(["<<", ">>"]), k: number(0, 4) })],
      [1, template("gcd(({x})::bigint, ({y})::bigint)", { x: e("int"), y: e("int") })],
      [3, template("{f}({s})", { f: pool(["length", "char_length", "octet_length"]), s: e("txt") })],
      [1, template("strpos({s}, {w})", { s: e("txt"), w: txtLiteral })],
      [1, template("ascii({s})", { s: e("txt") })],
      [2, template("({x} - {y})", { x: e("date"), y: e("date") })],
      [2, template("extract({f} FROM {x})::integer", { f: pool(FIELDS), x: e("ts") })],
      [1, template("extract({f} FROM {x})::integer", { f: pool(["day", "hour", "minute"]), x: e("ivl") })],
      [1, template("({b})::integer", { b: e("bool") })],
      [1, template("trunc({x})::bigint", { x: e("num") })],
      [1, template("round({x})::bigint", { x: e("flt") })],
      [1, template("width_bucket({x}, 0, 10000, {n})", { x: e("num"), n: number(1, 20) })],
      [
        1,
        template("CASE {x} WHEN {a} THEN {y} WHEN {b} THEN {z} ELSE {w} END", {
          x: e("int"),
          a: number(0, 9),
          y: e("int"),
          b: number(10, 99),
          z: e("int"),
          w: e("int"),
        }),
      ],
      ...conditional("int"),
      [
        1,
        column(
          { type: "inet" },
          intLiteral,
          (a) => template(`{f}(${a}.{c})`, { f: pool(["masklen", "family"]), c: columnName("lf") }),
        ),
      ],
      [
        1,
        column({ type: "bytea" }, intLiteral, (a) => template(`length(${a}.{c})`, { c: columnName("lf") })),
      ],
      [
        1,
        column(
          { type: "json" },
          intLiteral,
          (a) => template(`length(${a}.{c}::text)`, { c: columnName("lf") }),
        ),
      ],
      // Scalar subqueries: an aggregate keeps them to one row.
      [
        2,
        withTable(
          "s",
          template("(SELECT count(*) FROM {t} AS s WHERE {p})", { t: tableName("s"), p: subPredicate }),
        ),
      ],
      [
        1,
        withTable(
          "s",
          withColumn(
            "lf",
            "s",
            { type: "integer" },
            template("(SELECT {f}(s.{c}) FROM {t} AS s)", {
              f: pool(["max", "min"]),
              c: columnName("lf"),
              t: tableName("s"),
            }),
            intLiteral,
          ),
        ),
      ],
      [1, correlatedCount(aliases)],
    ),
  );

  g.rule(
    `${scope}_num`,
    choice(
      [16, column({ type: "numeric" }, numLiteral)],
      [6, numLiteral],
      [2, columnLiteral({ type: "numeric" }, numLiteral)],
      [1, "CAST(NULL AS numeric)"],
      [3, template("({x})::numeric", { x: e("int") })],
      [1, template("({x})::numeric", { x: e("flt") })],
      [5, template("({x} + {y})", { x: e("num"), y: e("num") })],
      [3, template("({x} - {y})", { x: e("num"), y: e("num") })],
      [3, template("({x} * {y})", { x: e("num"), y: e("int") })],
      [3, template("({x} / NULLIF({y}, 0))", { x: e("num"), y: e("num") })],
      [2, template("round({x}, {k})", { x: e("num"), k: number(0, 4) })],
      [1, template("trunc({x}, {k})", { x: e("num"), k: number(0, 3) })],
      [2, template("{f}({x})", { f: pool(["ceil", "floor", "abs", "round"]), x: e("num") })],
      [1, template("sqrt(abs({x}))", { x: e("num") })],
      [1, template("ln(abs({x}) + 1)", { x: e("num") })],
      [1, template("mod({x}, NULLIF({y}, 0))", { x: e("num"), y: e("num") })],
      [1, template("extract(epoch FROM {x})::numeric", { x: e("ivl") })],
      ...conditional("num"),
      [
        1,
        withTable(
          "s",
          withColumn(
            "lf",
            "s",
            { type: ["integer", "numeric"] },
            template("(SELECT avg(s.{c}) FROM {t} AS s)", { c: columnName("lf"), t: tableName("s") }),
            numLiteral,
          ),
        ),
      ],
    ),
  );

  const fltLiteral = template("CAST({a}.{b} AS double precision)", { a: number(0, 999), b: number(0, 9) });
  g.rule(
    `${scope}_flt`,
    choice(
      [14, column({ type: "float" }, fltLiteral)],
      [4, fltLiteral],
      [1, "CAST(NULL AS double precision)"],
      [2, template("({x})::double precision", { x: e("int") })],
      [2, template("({x})::double precision", { x: e("num") })],
      [4, template("({x} + {y})", { x: e("flt"), y: e("flt") })],
      [2, template("({x} - {y})", { x: e("flt"), y: e("flt") })],
      [2, template("({x} * {y})", { x: e("flt"), y: e("flt") })],
      [2, template("({x} / NULLIF({y}, 0))", { x: e("flt"), y: e("flt") })],
      [1, template("sqrt(abs({x}))", { x: e("flt") })],
      [1, template("ln(abs({x}) + 1)", { x: e("flt") })],
      [
        2,
        template("{f}({x})", {
          f: pool(["cbrt", "sin", "cos", "atan", "degrees", "radians", "abs", "floor", "ceil"]),
          x: e("flt"),
        }),
      ],
      [1, template("date_part('epoch', {x})", { x: e("ts") })],
      ...conditional("flt"),
    ),
  );

  g.rule(
    `${scope}_txt`,
    choice(
      [16, column({ type: "text" }, txtLiteral)],
      [5, txtLiteral],
      [4, column({}, txtLiteral, (a) => template(`${a}.{c}::text`, { c: columnName("lf") }))],
      [2, columnLiteral({ type: "text" }, txtLiteral)],
      [1, "CAST(NULL AS text)"],
      [5, template("({x} || {y})", { x: e("txt"), y: e("txt") })],
      [3, template("{f}({x})", { f: pool(["lower", "upper", "initcap", "reverse", "md5"]), x: e("txt") })],
      [2, template("{f}({x})", { f: pool(["btrim", "ltrim", "rtrim"]), x: e("txt") })],
      [2, template("substr({x}, {k}, {n})", { x: e("txt"), k: number(1, 6), n: number(0, 12) })],
      [1, template("{f}({x}, {k})", { f: pool(["left", "right"]), x: e("txt"), k: number(-3, 8) })],
      [1, template("{f}({x}, {k}, '*')", { f: pool(["lpad", "rpad"]), x: e("txt"), k: number(0, 16) })],
      [1, template("repeat({x}, {k})", { x: e("txt"), k: number(0, 2) })],
      [1, template("replace({x}, {a}, {b})", { x: e("txt"), a: txtLiteral, b: txtLiteral })],
      [1, template("split_part({x}, ' ', {k})", { x: e("txt"), k: number(1, 3) })],
      [1, template("translate({x}, 'aeiou', 'AEIOU')", { x: e("txt") })],
      [1, template("regexp_replace({x}, '[0-9]+', '#', 'g')", { x: e("txt") })],
      [
        1,
        template("concat_ws({sep}, {x}, {y})", {
          sep: pool(["'-'", "', '", "''"]),
          x: e("txt"),
          y: e("int"),
        }),
      ],
      [1, template("format('%s/%s', {x}, {y})", { x: e("txt"), y: e("num") })],
      [2, template("({x})::text", { x: e("int") })],
      [1, template("({x})::text", { x: e("num") })],
      [1, template("({x})::text", { x: e("bool") })],
      [1, template("({x})::text", { x: e("ivl") })],
      [
        1,
        template("to_char({x}, {f})", {
          x: e("ts"),
          f: pool(["'YYYY-MM-DD HH24:MI'", "'Dy DD Mon'", "'IYYY-IW'"]),
        }),
      ],
      [1, template("to_char({x}, {f})", { x: e("num"), f: pool(["'FM999999990.00'", "'9.99EEEE'"]) })],
      ...conditional("txt"),
      [
        1,
        column({ type: "json" }, txtLiteral, (a) =>
          template(`(${a}.{c} ->> {k})`, {
            c: columnName("lf"),
            k: pool(["'color'", "'size'", "'status'"]),
          })),
      ],
      [
        1,
        column(
          { type: "json" },
          txtLiteral,
          (a) => template(`jsonb_typeof(${a}.{c})`, { c: columnName("lf") }),
        ),
      ],
      [1, column({ type: "inet" }, txtLiteral, (a) => template(`host(${a}.{c})`, { c: columnName("lf") }))],
      [
        1,
        column(
          { type: "bytea" },
          txtLiteral,
          (a) => template(`encode(${a}.{c}, 'hex')`, { c: columnName("lf") }),
        ),
      ],
      [
        1,
        withTable(
          "s",
          withColumn(
            "lf",
            "s",
            { type: "text" },
            template("(SELECT max(s.{c}) FROM {t} AS s)", { c: columnName("lf"), t: tableName("s") }),
            txtLiteral,
          ),
        ),
      ],
    ),
  );

  /** `x <op> y` for two expressions of type `t`. */
  const compare = (t: ExprType) =>
    template("({x} {op} {y})", { x: e(t), op: pool(["=", "<>", "<", "<=", ">", ">="]), y: e(t) });

  g.rule(
    `${scope}_bool`,
    choice(
      [8, column({ type: "bool" }, pool(["TRUE", "FALSE"]))],
      [2, pool(["TRUE", "FALSE"])],
      [1, "CAST(NULL AS boolean)"],
      // A column against a literal of its own type.
      [
        8,
        choice(
          ...aliases.map((a) =>
            withColumn(
              "lf",
              a,
              { orderable: true },
              template(`(${a}.{c} {op} {v})`, {
                c: columnName("lf"),
                op: pool(["=", "<>", "<", "<=", ">", ">="]),
                v: literal("lf", { nulls: 0 }),
              }),
              "TRUE",
            )
          ),
        ),
      ],
      [
        2,
        choice(
          ...aliases.map((a) =>
            withColumn(
              "lf",
              a,
              { comparable: true },
              template(`(${a}.{c} {op} {v})`, {
                c: columnName("lf"),
                op: pool(["=", "<>", "IS DISTINCT FROM"]),
                v: literal("lf", { nulls: 0 }),
              }),
              "FALSE",
            )
          ),
        ),
      ],
      [
        2,
        column(
          {},
          "TRUE",
          (a) => template(`(${a}.{c} IS {n}NULL)`, { c: columnName("lf"), n: maybe("NOT ", 0.5) }),
        ),
      ],
      [5, compare("int")],
      [2, compare("num")],
      [1, compare("flt")],
      [3, compare("txt")],
      [2, compare("ts")],
      [2, compare("date")],
      [1, compare("ivl")],
      [1, compare("time")],
      [1, template("({x} IS {n}NULL)", { x: e("int"), n: maybe("NOT ", 0.5) })],
      [1, template("({x} IS {n}NULL)", { x: e("txt"), n: maybe("NOT ", 0.5) })],
      [1, template("({x} IS DISTINCT FROM {y})", { x: e("int"), y: e("int") })],
      [
        2,
        template("({x} BETWEEN {s}{y} AND {z})", {
          x: e("int"),
          s: maybe("SYMMETRIC ", 0.3),
          y: e("int"),
          z: e("int"),
        }),
      ],
      [1, template("({x} BETWEEN {y} AND {z})", { x: e("date"), y: e("date"), z: e("date") })],
      [
        2,
        template("({x} {op} {p})", {
          x: e("txt"),
          op: pool(["LIKE", "NOT LIKE", "ILIKE"]),
          p: pool(PATTERNS),
        }),
      ],
      [1, template("({x} ~ {p})", { x: e("txt"), p: pool(["'^[a-m]'", "'[0-9]'", "'^$'"]) })],
      [1, template("({x} IN ({y}, {z}, {k}))", { x: e("int"), y: e("int"), z: e("int"), k: number(0, 9) })],
      [1, template("({x} = ANY (ARRAY[{y}, {z}]))", { x: e("int"), y: e("int"), z: e("int") })],
      [4, template("({x} AND {y})", { x: e("bool"), y: e("bool") })],
      [3, template("({x} OR {y})", { x: e("bool"), y: e("bool") })],
      [2, template("(NOT {x})", { x: e("bool") })],
      [
        1,
        template("({x} IS {v})", {
          x: e("bool"),
          v: pool(["TRUE", "NOT TRUE", "FALSE", "NOT FALSE", "UNKNOWN"]),
        }),
      ],
      [1, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e("bool"), y: e("bool") })],
      [1, template("COALESCE({x}, {y})", { x: e("bool"), y: e("bool") })],
      [
        1,
        column(
          { type: "json" },
          "TRUE",
          (a) => template(`(${a}.{c} ? {k})`, { c: columnName("lf"), k: pool(["'color'", "'size'"]) }),
        ),
      ],
      [
        1,
        column(
          { type: "inet" },
          "TRUE",
          (a) => template(`(${a}.{c} << inet '10.0.0.0/9')`, { c: columnName("lf") }),
        ),
      ],
      [
        1,
        withTable(
          "s",
          template("{n}EXISTS (SELECT 1 FROM {t} AS s WHERE {p})", {
            n: maybe("NOT ", 0.4),
            t: tableName("s"),
            p: subPredicate,
          }),
        ),
      ],
      [
        1,
        withTable(
          "s",
          withColumn(
            "lf",
            "s",
            { type: "integer" },
            // The slots are read before {x}, whose expansion may bind them again.
            template("EXISTS (SELECT 1 FROM {t} AS s WHERE s.{c} = {x})", {
              t: tableName("s"),
              c: columnName("lf"),
              x: e("int"),
            }),
            "TRUE",
          ),
        ),
      ],
    ),
  );

  const tsLiteral = pool(TIMESTAMPS);
  g.rule(
    `${scope}_ts`,
    choice(
      [12, column({ type: "timestamp" }, tsLiteral)],
      [4, tsLiteral],
      [2, columnLiteral({ type: "timestamp" }, tsLiteral)],
      [1, "CAST(NULL AS timestamp)"],
      [4, template("({x} + {i})", { x: e("ts"), i: e("ivl") })],
      [2, template("({x} - {i})", { x: e("ts"), i: e("ivl") })],
      [2, template("date_trunc({u}, {x})", { u: pool(UNITS), x: e("ts") })],
      [2, template("({d})::timestamp", { d: e("date") })],
      [1, template("({d} + {t})", { d: e("date"), t: e("time") })],
      ...conditional("ts"),
      [
        1,
        withTable(
          "s",
          withColumn(
            "lf",
            "s",
            { type: "timestamp" },
            template("(SELECT max(s.{c}) FROM {t} AS s)", { c: columnName("lf"), t: tableName("s") }),
            tsLiteral,
          ),
        ),
      ],
    ),
  );

  const dateLiteral = pool(DATES);
  g.rule(
    `${scope}_date`,
    choice(
      [12, column({ type: "date" }, dateLiteral)],
      [4, dateLiteral],
      [2, columnLiteral({ type: "date" }, dateLiteral)],
      [1, "CAST(NULL AS date)"],
      [
        1,
        template("make_date({y}, {m}, {d})", { y: number(1990, 2030), m: number(1, 12), d: number(1, 28) }),
      ],
      [4, template("({d} + ({n} % 1000)::integer)", { d: e("date"), n: e("int") })],
      [2, template("({d} - ({n} % 1000)::integer)", { d: e("date"), n: e("int") })],
      [2, template("({x})::date", { x: e("ts") })],
      [1, template("date_trunc({u}, {d})::date", { u: pool(UNITS), d: e("date") })],
      ...conditional("date"),
    ),
  );

  const ivlLiteral = template("INTERVAL '{n} {u}'", {
    n: number(0, 400),
    u: pool(["seconds", "minutes", "hours", "days", "months"]),
  });
  g.rule(
    `${scope}_ivl`,
    choice(
      [10, column({ type: "interval" }, ivlLiteral)],
      [5, ivlLiteral],
      [1, "CAST(NULL AS interval)"],
      [3, template("({x} - {y})", { x: e("ts"), y: e("ts") })],
      [2, template("({x} + {y})", { x: e("ivl"), y: e("ivl") })],
      [1, template("({x} - {y})", { x: e("ivl"), y: e("ivl") })],
      [1, template("({x} {op} {k})", { x: e("ivl"), op: pool(["*", "/"]), k: number(1, 4) })],
      [2, template("(({n} % 1000) * INTERVAL '1 {u}')", { n: e("int"), u: pool(["minute", "hour", "day"]) })],
      [1, template("age({x}, {y})", { x: e("ts"), y: e("ts") })],
      [
        1,
        template("{f}({x})", { f: pool(["justify_hours", "justify_days", "justify_interval"]), x: e("ivl") }),
      ],
      [1, template("(-({x}))", { x: e("ivl") })],
      [1, template("({x} - {y})", { x: e("time"), y: e("time") })],
      [1, template("make_interval(days => ({n} % 100)::integer)", { n: e("int") })],
      ...conditional("ivl"),
    ),
  );

  const timeLiteral = pool(TIMES);
  g.rule(
    `${scope}_time`,
    choice(
      [10, column({ type: "time" }, timeLiteral)],
      [4, timeLiteral],
      [1, "CAST(NULL AS time)"],
      [2, template("({x})::time", { x: e("ts") })],
      [2, template("({x} + {i})", { x: e("time"), i: e("ivl") })],
      [1, template("({x} - {i})", { x: e("time"), i: e("ivl") })],
      ...conditional("time"),
    ),
  );

  g.rule(
    `${scope}_any`,
    choice(
      [6, e("int")],
      [3, e("num")],
      [2, e("flt")],
      [6, e("txt")],
      [4, e("bool")],
      [2, e("ts")],
      [2, e("date")],
      [1, e("ivl")],
      [1, e("time")],
    ),
  );

  /** An aggregate over an expression, typed so the function exists for it. */
  g.rule(
    `${scope}_agg`,
    choice(
      [4, "count(*)"],
      [3, template("sum({x})", { x: e("int") })],
      [2, template("{f}({x})", { f: pool(["avg", "sum", "min", "max"]), x: e("num") })],
      [1, template("{f}({x})", { f: pool(["avg", "sum", "stddev", "variance"]), x: e("flt") })],
      [2, template("{f}({x})", { f: pool(["min", "max"]), x: e("txt") })],
      [1, template("string_agg({x}, ', ')", { x: e("txt") })],
      [1, template("{f}({x})", { f: pool(["bool_and", "bool_or", "every"]), x: e("bool") })],
      [1, template("{f}({x})", { f: pool(["min", "max"]), x: e("ts") })],
      [1, template("{f}({x})", { f: pool(["min", "max"]), x: e("date") })],
      [1, template("{f}({x})", { f: pool(["sum", "avg", "max"]), x: e("ivl") })],
      [2, template("count(DISTINCT {x})", { x: e("any") })],
      [1, template("count({x})", { x: e("any") })],
      [1, template("sum({x}) FILTER (WHERE {b})", { x: e("int"), b: e("bool") })],
    ),
  );

  /**
   * A sort key: a column or an operator over expressions, never a bare
   * constant (ORDER BY 5 means the fifth output column; ORDER BY 'x' fails).
   */
  g.rule(
    `${scope}_sort_key`,
    choice(
      [6, column({ comparable: true }, "CAST(NULL AS integer)")],
      [3, template("({x} + {y})", { x: e("int"), y: e("int") })],
      [1, template("({x} * {y})", { x: e("num"), y: e("int") })],
      [1, template("abs({x})", { x: e("flt") })],
      [3, template("({x} || {y})", { x: e("txt"), y: e("txt") })],
      [1, template("lower({x})", { x: e("txt") })],
      [1, template("({x} OR {y})", { x: e("bool"), y: e("bool") })],
      [1, template("date_trunc({u}, {x})", { u: pool(UNITS), x: e("ts") })],
      [1, template("({x} + ({n} % 1000)::integer)", { x: e("date"), n: e("int") })],
      [1, template("({x} + {y})", { x: e("ivl"), y: e("ivl") })],
      [1, template("({x} + {i})", { x: e("time"), i: e("ivl") })],
      [1, template("CASE WHEN {b} THEN {x} ELSE {y} END", { b: e("bool"), x: e("int"), y: e("int") })],
    ),
  );

  /** A condition on aggregates, for HAVING. */
  g.rule(
    `${scope}_having`,
    choice(
      [3, template("count(*) {op} {n}", { op: pool([">", ">=", "<", "<>"]), n: number(0, 5) })],
      [2, template("sum({x}) {op} {n}", { x: e("int"), op: pool([">", "<", "<>"]), n: number(-100, 1000) })],
      [1, template("min({x}) < max({y})", { x: e("txt"), y: e("txt") })],
      [1, template("bool_or({b})", { b: e("bool") })],
      [1, template("count(DISTINCT {x}) > {n}", { x: e("int"), n: number(0, 3) })],
    ),
  );
}

/**
 * A comparison on one column of subquery table `s` against its literal:
 * no recursion, so slot `s` is never rebound inside it.
 */
const subPredicate = withColumn(
  "lf",
  "s",
  { orderable: true },
  template("s.{c} {op} {v}", {
    c: columnName("lf"),
    op: pool(["<", ">=", "=", "<>"]),
    v: literal("lf", { nulls: 0 }),
  }),
  withColumn("lf", "s", {}, template("s.{c} IS NOT NULL", { c: columnName("lf") }), "true"),
);

/** `(SELECT count(*) FROM s WHERE s.int = <alias>.int)`: correlated, one row by the aggregate. */
function correlatedCount(aliases: readonly string[]): Element {
  return choice(
    ...aliases.map((a) =>
      withColumn(
        "lf",
        a,
        { type: "integer" },
        withTable(
          "s",
          withColumn(
            "lf2",
            "s",
            { type: "integer" },
            template(`(SELECT count(*) FROM {t} AS s WHERE s.{c2} = ${a}.{c})`, {
              t: tableName("s"),
              c2: columnName("lf2"),
              c: columnName("lf"),
            }),
            "0",
          ),
        ),
        "0",
      )
    ),
  );
}

family("s", ["t"]);
family("j", ["t", "p"]);

// ---------------------------------------------------------------------------
// Statements.

/** 1–`max` expressions of `scope` joined by commas. */
const items = (scope: string, max: number) => repeat(ref(`${scope}_any`), 1, max, ", ");

const limit = (p = 0.8) => maybe(template(" LIMIT {n}", { n: number(1, 50) }), p);

/** ` ORDER BY` over expressions of `scope` (never a bare constant, which would be an ordinal). */
const orderBy = (scope: string) =>
  template(" ORDER BY {o}", {
    o: repeat(
      template("{x}{d}{n}", {
        x: ref(`${scope}_sort_key`),
        d: pool(["", " ASC", " DESC"]),
        n: maybe(pool([" NULLS FIRST", " NULLS LAST"]), 0.2),
      }),
      1,
      2,
      ", ",
    ),
  });

/** ` ORDER BY 1[, 2]` in a grouped or distinct query with `keys` leading columns. */
const ordinals = (keys: number) =>
  keys === 1 ? " ORDER BY 1" : template(" ORDER BY 1{d}, 2", { d: pool(["", " DESC"]) });

/** The FROM clause and the expression scope: one table, or a child joined to its parent. */
function fromClauses(body: (scope: string, from: Element) => Element): Element {
  const single = withTable("t", body("s", template("{t} AS t", { t: tableName("t") })));
  const joined = withTable(
    "t",
    withForeignKey(
      "fk",
      "t",
      "p",
      body(
        "j",
        template("{t} AS t {jt} {p} AS p ON {on}", {
          t: tableName("t"),
          jt: choice([4, "JOIN"], [1, "LEFT JOIN"]),
          p: tableName("p"),
          on: eachForeignKeyPair(
            "fk",
            "fk_c",
            "fk_p",
            template("t.{c} = p.{k}", { c: columnName("fk_c"), k: columnName("fk_p") }),
          ),
        }),
      ),
    ),
    { hasForeignKey: true },
    single,
  );
  return choice([3, single], [2, joined]);
}

g.rule(
  "query",
  choice(
    [30, ref("plain")],
    [8, ref("distinct")],
    [20, ref("grouped")],
    [10, ref("filter_count")],
    [6, ref("derived")],
  ),
);

g.rule(
  "plain",
  fromClauses((scope, from) =>
    template("SELECT {items} FROM {from}{w}{o}{l}", {
      items: items(scope, 4),
      from,
      w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.8),
      o: maybe(orderBy(scope), 0.5),
      l: limit(),
    })
  ),
);

g.rule(
  "distinct",
  fromClauses((scope, from) =>
    choice(
      template("SELECT DISTINCT {x} FROM {from}{w}{o}{l}", {
        x: ref(`${scope}_any`),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
        o: ordinals(1),
        l: limit(),
      }),
      template("SELECT DISTINCT {x}, {y} FROM {from}{w}{o}{l}", {
        x: ref(`${scope}_any`),
        y: ref(`${scope}_any`),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
        o: ordinals(2),
        l: limit(),
      }),
    )
  ),
);

g.rule(
  "grouped",
  fromClauses((scope, from) =>
    choice(
      template("SELECT {k}, {aggs} FROM {from}{w} GROUP BY 1{h}{o}{l}", {
        k: ref(`${scope}_any`),
        aggs: repeat(ref(`${scope}_agg`), 1, 3, ", "),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
        h: maybe(template(" HAVING {h}", { h: ref(`${scope}_having`) }), 0.3),
        o: ordinals(1),
        l: limit(),
      }),
      template("SELECT {k1}, {k2}, {aggs} FROM {from}{w} GROUP BY 1, 2{h}{o}{l}", {
        k1: ref(`${scope}_any`),
        k2: ref(`${scope}_any`),
        aggs: repeat(ref(`${scope}_agg`), 1, 2, ", "),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.6),
        h: maybe(template(" HAVING {h}", { h: ref(`${scope}_having`) }), 0.3),
        o: ordinals(2),
        l: limit(),
      }),
      template("SELECT {aggs} FROM {from} WHERE {b}", {
        aggs: repeat(ref(`${scope}_agg`), 1, 3, ", "),
        from,
        b: ref(`${scope}_bool`),
      }),
    )
  ),
);

// Predicate-heavy: every row goes through a deep condition.
g.rule(
  "filter_count",
  fromClauses((scope, from) =>
    template("SELECT count(*) FROM {from} WHERE {a}{b}", {
      from,
      a: ref(`${scope}_bool`),
      b: maybe(template(" {op} {b}", { op: pool(["AND", "OR"]), b: ref(`${scope}_bool`) }), 0.5),
    })
  ),
);

// Expressions computed in a derived table, then filtered and sorted outside.
g.rule(
  "derived",
  fromClauses((scope, from) =>
    template(
      "SELECT d.x, d.y FROM (SELECT {x} AS x, {y} AS y FROM {from}{w}) AS d WHERE d.x IS NOT NULL{o}{l}",
      {
        x: ref(`${scope}_any`),
        y: ref(`${scope}_int`),
        from,
        w: maybe(template(" WHERE {b}", { b: ref(`${scope}_bool`) }), 0.5),
        o: maybe(" ORDER BY d.y DESC, d.x", 0.5),
        l: limit(),
      },
    )
  ),
);

export default g;
