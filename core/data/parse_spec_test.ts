import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { assertValidSpec, parseSpec, readSpecText, SpecError, validateSpec } from "./parse_spec.ts";

/** Every message of a spec that should fail, or [] when it parses and validates. */
function messages(text: string, file = "s.yaml"): string[] {
  try {
    parseSpec(text, file);
    return [];
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    return e.message.split("\n").filter((line) => !line.startsWith("  "));
  }
}

/** A one-table spec `t` with the given column lines (each indented six spaces). */
const table = (columns: string[], extra: string[] = []) =>
  [
    "tables:",
    "  t:",
    ...extra.map((l) => `    ${l}`),
    "    columns:",
    ...columns.map((c) => `      ${c}`),
    "",
  ].join("\n");

const PARENT = [
  "  parent:",
  "    rows: 10",
  "    primary_key: [id]",
  "    columns:",
  "      id: { method: unique_ids, kind: sequential }",
  '      code: { method: pattern, pattern: "[A-Z]{4}" }',
];

/** A spec with `parent` (lines 2-7) and a `child` table from line 8 on. */
const withParent = (child: string[]) =>
  ["tables:", ...PARENT, "  child:", ...child.map((l) => `    ${l}`), ""].join("\n");

const METHODS_LIST =
  "integers, floats, booleans, nulls, distincts, correlated, tuples, unique_ids, dates, timestamps, pattern, derived, reference, ordinal, first_name, last_name, full_name, email, phone, street_address, city, country, country_code, company, job_title, product_name, word, sentence, ipv4, ipv6, user_agent";
const UNIQUE_HINT =
  "a key is unique by construction with a unique_ids column, a one_to_one foreign key, or a per_parent foreign key plus an ordinal column (or a distinct foreign key)";
const FK_EXAMPLE =
  "foreign_keys: [{ columns: [order_id, line_no], references: { table: order_items, columns: [order_id, line_no] } }]";

const BAD: [string, string, string[]][] = [
  ["missing keys", table(["qty: { method: integers }"]), [
    's.yaml:4:7: tables.t.columns.qty: method "integers" needs "min" and "max", e.g. { method: integers, min: 1, max: 10 }',
  ]],
  ["integers min > max", table(["qty: { method: integers, min: 10, max: 1 }"]), [
    "s.yaml:4:37: tables.t.columns.qty: min 10 is greater than max 1, e.g. { method: integers, min: 1, max: 10 }",
  ]],
  ["floats min > max", table(["x: { method: floats, min: 2.5, max: 1 }"]), [
    "s.yaml:4:33: tables.t.columns.x: min 2.5 is greater than max 1, e.g. { method: floats, min: 0, max: 100, round: 2 }",
  ]],
  ["dates min > max", table(['d: { method: dates, min: "2024-12-31", max: "2024-01-01" }']), [
    's.yaml:4:32: tables.t.columns.d: min "2024-12-31" is later than max "2024-01-01", e.g. { method: dates, min: "2024-01-01", max: "2024-12-31" }',
  ]],
  [
    "timestamps min > max",
    table(['d: { method: timestamps, min: "2024-12-31 10:00:00", max: "2024-12-31 09:00:00" }']),
    [
      's.yaml:4:37: tables.t.columns.d: min "2024-12-31 10:00:00" is later than max "2024-12-31 09:00:00", e.g. { method: timestamps, min: "2024-01-01 00:00:00", max: "2024-12-31 23:59:59" }',
    ],
  ],
  ["unknown method, near", table(["qty: { method: intgers, min: 1, max: 2 }"]), [
    's.yaml:4:22: tables.t.columns.qty.method: unknown method "intgers" (did you mean "integers"?), e.g. { method: integers, min: 1, max: 10 }',
  ]],
  ["unknown method, far", table(["qty: { method: zzzzzz }"]), [
    `s.yaml:4:22: tables.t.columns.qty.method: unknown method "zzzzzz"; methods: ${METHODS_LIST}`,
  ]],
  ["missing method", table(["qty: { min: 1 }"]), [
    `s.yaml:4:7: tables.t.columns.qty: needs a "method", e.g. { method: integers, min: 1, max: 10 }; methods: ${METHODS_LIST}`,
  ]],
  ["unknown key, suggested", table(["qty: { method: integers, mni: 1, max: 2 }"]), [
    's.yaml:4:7: tables.t.columns.qty: method "integers" needs "min", e.g. { method: integers, min: 1, max: 10 }',
    's.yaml:4:32: tables.t.columns.qty.mni: unknown key "mni" for method "integers" (did you mean "min"?), e.g. { method: integers, min: 1, max: 10 }',
  ]],
  ["a key of another method", table(["qty: { method: integers, min: 1, max: 2, round: 2 }"]), [
    's.yaml:4:48: tables.t.columns.qty.round: "round" does not apply to method "integers" (it is for floats, derived)',
  ]],
  ["locale on a non-faker method", table(["qty: { method: integers, min: 1, max: 2, locale: de }"]), [
    's.yaml:4:48: tables.t.columns.qty.locale: "locale" does not apply to method "integers"; it is for faker methods such as first_name and city',
  ]],
  ["unknown locale", table(["c: { method: city, locale: de_DE }"]), [
    's.yaml:4:34: tables.t.columns.c.locale: unknown locale "de_DE"; did you mean "de_AT"?; faker\'s locales include en, en_US, de, fr, es, ja, pt_BR',
  ]],
  ["wrong value type", table(['qty: { method: integers, min: "ten", max: 2 }']), [
    's.yaml:4:37: tables.t.columns.qty.min: must be a whole number, not "ten", e.g. { method: integers, min: 1, max: 10 }',
  ]],
  ["a fraction for integers", table(["qty: { method: integers, min: 1.5, max: 2 }"]), [
    "s.yaml:4:37: tables.t.columns.qty.min: must be a whole number, not 1.5, e.g. { method: integers, min: 1, max: 10 }",
  ]],
  ["a zero weight", table(["s: { method: distincts, values: { a: 0, b: 1 } }"]), [
    's.yaml:4:44: tables.t.columns.s.values.a: the weight of "a" must be a positive number, not 0, e.g. { method: distincts, values: { active: 8, closed: 2 } }',
  ]],
  ["a value listed twice", table(["s: { method: distincts, values: [a, b, a] }"]), [
    's.yaml:4:46: tables.t.columns.s.values[2]: "a" is listed twice; to weight values use a mapping, e.g. { a: 2, b: 1 }',
  ]],
  [
    "a negative distribution weight",
    table([
      "qty: { method: integers, min: 1, max: 9, distribution: { type: weighted, weights: [1, -1] } }",
    ]),
    [
      "s.yaml:4:93: tables.t.columns.qty.distribution.weights[1]: a weight must be a positive number, not -1, e.g. { type: weighted, weights: [5, 3, 1] }",
    ],
  ],
  ["a probability above 1", table(["b: { method: booleans, true_probability: 1.5 }"]), [
    "s.yaml:4:48: tables.t.columns.b.true_probability: must be a number from 0 to 1, not 1.5, e.g. { method: booleans, true_probability: 0.3 }",
  ]],
  ["a negative null fraction", table(["b: { method: booleans, null_fraction: -0.1 }"]), [
    "s.yaml:4:45: tables.t.columns.b.null_fraction: must be a number from 0 to 1, not -0.1, e.g. null_fraction: 0.1",
  ]],
  ["null_fraction with not_null", table(["b: { method: booleans, null_fraction: 0.2, not_null: true }"]), [
    "s.yaml:4:60: tables.t.columns.b.not_null: not_null: true contradicts null_fraction: 0.2; drop one of them",
  ]],
  ["unknown distribution", table(["q: { method: floats, min: 0, max: 1, distribution: { type: nromal } }"]), [
    's.yaml:4:66: tables.t.columns.q.distribution.type: unknown distribution "nromal"; did you mean "normal"?',
  ]],
  [
    "distribution parameter missing",
    table([
      "q: { method: floats, min: 0, max: 1, distribution: { type: normal, mean: 0.5 } }",
    ]),
    [
      's.yaml:4:44: tables.t.columns.q.distribution: distribution "normal" needs "stddev", e.g. { type: normal, mean: 50, stddev: 10 }',
    ],
  ],
  ["stddev 0", table(["q: { method: floats, min: 0, max: 1, distribution: { type: normal, stddev: 0 } }"]), [
    "s.yaml:4:82: tables.t.columns.q.distribution.stddev: must be a number above 0, not 0, e.g. { type: normal, mean: 50, stddev: 10 }",
  ]],
  [
    "exponent 0",
    table(["q: { method: floats, min: 0, max: 1, distribution: { type: zipf, exponent: 0 } }"]),
    [
      "s.yaml:4:82: tables.t.columns.q.distribution.exponent: must be a number above 0, not 0, e.g. { type: zipf, exponent: 1.1 }",
    ],
  ],
  [
    "lambda < 0",
    table(["q: { method: integers, min: 0, max: 9, distribution: { type: poisson, lambda: -1 } }"]),
    [
      "s.yaml:4:85: tables.t.columns.q.distribution.lambda: must be a number above 0, not -1, e.g. { type: poisson, lambda: 3 }",
    ],
  ],
  [
    "rate 0",
    table(["q: { method: integers, min: 0, max: 9, distribution: { type: exponential, rate: 0 } }"]),
    [
      "s.yaml:4:87: tables.t.columns.q.distribution.rate: must be a number above 0, not 0, e.g. { type: exponential, rate: 0.5 }",
    ],
  ],
  [
    "weights not a list",
    table([
      "q: { method: integers, min: 0, max: 9, distribution: { type: weighted, weights: abc } }",
    ]),
    [
      's.yaml:4:87: tables.t.columns.q.distribution.weights: must be a non-empty list of positive numbers, not "abc", e.g. { type: weighted, weights: [5, 3, 1] }',
    ],
  ],
  ["round out of range", table(["q: { method: floats, min: 0, max: 1, round: 12 }"]), [
    "s.yaml:4:51: tables.t.columns.q.round: must be a whole number from 0 to 9, not 12, e.g. { method: floats, min: 0, max: 100, round: 2 }",
  ]],
  [
    "correlated on an unknown column",
    table([
      "country: { method: distincts, values: [US, DE] }",
      "cur: { method: correlated, on: contry, map: { US: [USD], DE: [EUR] } }",
    ]),
    ['s.yaml:5:38: tables.t.columns.cur.on: on "contry" is not a column of table "t"; did you mean "country"?'],
  ],
  ["correlated on itself", table(["cur: { method: correlated, on: cur, map: { US: [USD] } }"]), [
    "s.yaml:4:38: tables.t.columns.cur.on: a correlated column cannot depend on itself; name a distincts, tuples or correlated column",
  ]],
  [
    "correlated on an integers column",
    table([
      "n: { method: integers, min: 1, max: 2 }",
      "cur: { method: correlated, on: n, map: { '1': [USD] } }",
    ]),
    [
      's.yaml:5:38: tables.t.columns.cur.on: "n" is a column of method integers; "on" must name a distincts, tuples or correlated column, whose values can key "map"',
    ],
  ],
  [
    "correlated map missing values",
    table([
      "country: { method: distincts, values: [US, DE, FR] }",
      "cur: { method: correlated, on: country, map: { US: [USD] } }",
    ]),
    [
      `s.yaml:5:47: tables.t.columns.cur.map: map has no entry for "DE" and "FR" of "country"'s values; add them or a default, e.g. default: [other]`,
    ],
  ],
  [
    "correlated map with a default is complete",
    table([
      "country: { method: distincts, values: [US, DE, FR] }",
      "cur: { method: correlated, on: country, map: { US: [USD] }, default: [EUR] }",
    ]),
    [],
  ],
  [
    "correlated map key that is no value",
    table([
      "country: { method: distincts, values: [US, DE] }",
      "cur: { method: correlated, on: country, map: { US: [USD], DE: [EUR], Germany: [EUR] } }",
    ]),
    ['s.yaml:5:76: tables.t.columns.cur.map.Germany: "Germany" is not a value of "country"; known: US, DE'],
  ],
  [
    "correlated on a tuple member",
    table([
      "city: { method: tuples, columns: [city, country], values: [{ tuple: [Paris, FR] }, { tuple: [Berlin, DE] }] }",
      "cur: { method: correlated, on: country, map: { FR: [EUR] } }",
    ]),
    [
      `s.yaml:5:47: tables.t.columns.cur.map: map has no entry for "DE" of "country"'s values; add it or a default, e.g. default: [other]`,
    ],
  ],
  ["tuple length", table(["city: { method: tuples, columns: [city, zip], values: [{ tuple: [Paris] }] }"]), [
    's.yaml:4:71: tables.t.columns.city.values[0].tuple: has 1 value but "columns" names 2 (city, zip)',
  ]],
  [
    "tuple member declared elsewhere",
    table([
      "city: { method: tuples, columns: [city, zip], values: [{ tuple: [Paris, '75001'] }] }",
      "zip: { method: integers, min: 1, max: 2 }",
    ]),
    [
      's.yaml:4:47: tables.t.columns.city.columns[1]: "zip" is also declared as a column of "t"; a tuple member is declared only here',
    ],
  ],
  [
    "tuples not led by its own column",
    table([
      "city: { method: tuples, columns: [zip, city], values: [{ tuple: [Paris, '75001'] }] }",
    ]),
    [
      's.yaml:4:40: tables.t.columns.city.columns: the first of "columns" must be this column, "city", e.g. { method: tuples, columns: [city, zip], values: [{ tuple: [Paris, "75001"], weight: 2 }] }',
    ],
  ],
  ["unique_ids kind", table(["id: { method: unique_ids, kind: sequental }"]), [
    's.yaml:4:39: tables.t.columns.id.kind: unknown kind "sequental"; did you mean "sequential"?',
  ]],
  ["unique_ids key of another kind", table(["id: { method: unique_ids, kind: uuid4, width: 4 }"]), [
    's.yaml:4:46: tables.t.columns.id.width: "width" applies to kind sequential, not uuid4, e.g. { method: unique_ids, kind: uuid4 }',
  ]],
  ["hash too short", table(["id: { method: unique_ids, kind: hash, length: 4 }"], ["rows: 100"]), [
    "s.yaml:5:53: tables.t.columns.id.length: 4 hex characters give 16^4 values, too few to keep 100 rows apart (at least 1000 times the rows: 100000); use length: 5 or more",
  ]],
  [
    "base62 hash too short",
    table(["id: { method: unique_ids, kind: hash, length: 2, alphabet: base62 }"], ["rows: 10"]),
    [
      "s.yaml:5:53: tables.t.columns.id.length: 2 base62 characters give 62^2 values, too few to keep 10 rows apart (at least 1000 times the rows: 10000); use length: 3 or more",
    ],
  ],
  ["width too small", table(["id: { method: unique_ids, kind: sequential, width: 2 }"], ["rows: 500"]), [
    's.yaml:5:58: tables.t.columns.id.width: width 2 holds numbers up to 99, but table "t" numbers rows up to 500; use width: 3 or more',
  ]],
  [
    "width counts from start",
    table(["id: { method: unique_ids, kind: sequential, width: 3, start: 950 }"], ["rows: 50"]),
    [],
  ],
  ["not an ISO date", table(['d: { method: dates, min: "2024-02-30", max: "2024-12-01" }']), [
    's.yaml:4:32: tables.t.columns.d.min: "2024-02-30" is not an ISO date like "2024-05-01", e.g. { method: dates, min: "2024-01-01", max: "2024-12-31" }',
  ]],
  ["not an ISO timestamp", table(['d: { method: timestamps, min: "yesterday", max: "2024-12-01 10:00" }']), [
    's.yaml:4:37: tables.t.columns.d.min: "yesterday" is not an ISO timestamp like "2024-05-01 13:45:10" or a date, e.g. { method: timestamps, min: "2024-01-01 00:00:00", max: "2024-12-31 23:59:59" }',
  ]],
  [
    "after an unknown column",
    table([
      'a: { method: timestamps, min: "2024-01-01", max: "2024-02-01" }',
      "b: { method: timestamps, after: { column: aa, min_lag: 1, max_lag: 2 } }",
    ]),
    ['s.yaml:5:49: tables.t.columns.b.after.column: after.column "aa" is not a column of table "t"; did you mean "a"?'],
  ],
  [
    "after a non-temporal column",
    table([
      "a: { method: integers, min: 1, max: 2 }",
      "b: { method: timestamps, after: { column: a, min_lag: 1, max_lag: 2 } }",
    ]),
    [
      's.yaml:5:49: tables.t.columns.b.after.column: "a" is a column of method integers; "after" needs a dates or timestamps column',
    ],
  ],
  [
    "after with min",
    table([
      'a: { method: dates, min: "2024-01-01", max: "2024-02-01" }',
      'b: { method: dates, min: "2024-01-01", after: { column: a, min_lag: 3, max_lag: 1 } }',
    ]),
    [
      's.yaml:5:27: tables.t.columns.b.min: "min" cannot be combined with "after": the lag decides the value, e.g. { method: dates, after: { column: order_date, min_lag: 1, max_lag: 7 } }',
      "s.yaml:5:75: tables.t.columns.b.after: min_lag 3 is greater than max_lag 1, e.g. { method: dates, after: { column: order_date, min_lag: 1, max_lag: 7 } }",
    ],
  ],
  ["invalid pattern", table(["p: { method: pattern, pattern: 'ab[^c]' }"]), [
    "s.yaml:4:42: tables.t.columns.p.pattern: negated classes like [^...] are not supported; list the allowed characters instead",
  ]],
  ["email from a non-name column", table(["n: { method: city }", "e: { method: email, from: n }"]), [
    's.yaml:5:33: tables.t.columns.e.from: "n" is a column of method city; "from" must name a first_name, last_name or full_name column',
  ]],
  [
    "derived over an unknown column",
    table([
      "quantity: { method: integers, min: 1, max: 2 }",
      "total: { method: derived, expression: 'quantty * 2' }",
    ]),
    [
      's.yaml:5:46: tables.t.columns.total.expression: the expression\'s column "quantty" is not a column of table "t"; did you mean "quantity"?',
    ],
  ],
  [
    "derived columns in a loop",
    table([
      "a: { method: derived, expression: 'b + 1' }",
      "b: { method: derived, expression: 'a * 2' }",
    ]),
    [
      "s.yaml:4:7: tables.t.columns.a: columns are computed from each other in a loop (a → b → a); compute one of them from other columns",
    ],
  ],
  ["derived syntax", table(["a: { method: derived, expression: 'round(1, ' }"]), [
    's.yaml:4:51: tables.t.columns.a.expression: expected a number, a column or "(", found end of expression',
  ]],
  ["primary key not declared", table(["a: { method: unique_ids, kind: uuid4 }"], ["primary_key: [id]"]), [
    's.yaml:3:19: tables.t.primary_key[0]: primary key column "id" is not a column of table "t"; known: a',
  ]],
  ["primary key not unique", table(["a: { method: email }"], ["primary_key: [a]"]), [
    `s.yaml:3:18: tables.t.primary_key: primary key column "a" (method email) is not unique by construction, so rows could repeat it; ${UNIQUE_HINT}`,
  ]],
  [
    "primary key nullable",
    table(["a: { method: unique_ids, kind: uuid4, null_fraction: 0.1 }"], ["primary_key: [a]"]),
    [
      's.yaml:3:19: tables.t.primary_key[0]: primary key column "a" cannot be NULL; drop its null_fraction and not_null: false',
    ],
  ],
  [
    "a pattern key is drawn at random, so not unique",
    table(['c: { method: pattern, pattern: "[A-Z]{8}" }'], ["rows: 100", "primary_key: [c]"]),
    [
      `s.yaml:4:18: tables.t.primary_key: primary key column "c" (method pattern) is not unique by construction, so rows could repeat it; ${UNIQUE_HINT}`,
    ],
  ],
  ["ordinal without per_parent", table(["n: { method: ordinal }"]), [
    's.yaml:4:7: tables.t.columns.n: method "ordinal" numbers the children of a per_parent parent, but table "t" has no foreign key with per_parent, e.g. order_id: { method: reference, table: orders, column: order_id, per_parent: { min: 1, max: 5 } }',
  ]],
  [
    "foreign key to an unknown table",
    withParent(["columns:", "  pid: { method: reference, table: parnt, column: id }"]),
    [
      's.yaml:10:40: tables.child.columns.pid.table: table "parnt" is not in the spec; did you mean "parent"?',
    ],
  ],
  [
    "foreign key to an unknown column",
    withParent(["columns:", "  pid: { method: reference, table: parent, column: idd }"]),
    [
      's.yaml:10:56: tables.child.columns.pid.column: "idd" is not a column of table "parent"; did you mean "id"?',
    ],
  ],
  [
    "foreign key to a column that is no key",
    withParent(["columns:", "  pid: { method: reference, table: parent, column: code }"]),
    [
      's.yaml:10:56: tables.child.columns.pid.column: a foreign key must reference the primary key or a unique key of "parent", but its primary key is id; reference id',
    ],
  ],
  [
    "foreign key column count",
    withParent([
      "foreign_keys:",
      "  - { columns: [a, b], references: { table: parent, columns: [id] } }",
      "columns:",
      "  x: { method: integers, min: 1, max: 2 }",
    ]),
    [
      `s.yaml:10:66: tables.child.foreign_keys[0].references.columns: 2 columns (a, b) reference 1 (id); name as many on each side, e.g. ${FK_EXAMPLE}`,
    ],
  ],
  [
    "foreign key column declared with another method",
    withParent([
      "foreign_keys:",
      "  - { columns: [pid], references: { table: parent, columns: [id] } }",
      "columns:",
      "  pid: { method: integers, min: 1, max: 2 }",
    ]),
    [
      's.yaml:10:21: tables.child.foreign_keys[0].columns[0]: "pid" is declared with method "integers", but this foreign key fills it; declare it as { method: reference, table: parent, column: id } or leave it out',
    ],
  ],
  [
    "per_parent with rows",
    withParent([
      "rows: 5",
      "columns:",
      "  pid: { method: reference, table: parent, column: id, per_parent: { min: 1, max: 3 } }",
    ]),
    ['s.yaml:9:5: tables.child.rows: table "child" takes its rows from per_parent on pid; drop "rows" (or drop per_parent)'],
  ],
  [
    "two keys setting the rows",
    withParent([
      "columns:",
      "  a: { method: reference, table: parent, column: id, per_parent: { min: 1, max: 3 } }",
      "  b: { method: reference, table: parent, column: id, one_to_one: true }",
    ]),
    [
      "s.yaml:11:58: tables.child.columns.b.one_to_one: only one foreign key of a table can set its rows, and a already does with per_parent; drop one_to_one here",
    ],
  ],
  [
    "per_parent min > max",
    withParent([
      "columns:",
      "  a: { method: reference, table: parent, column: id, per_parent: { min: 5, max: 3 } }",
    ]),
    ["s.yaml:10:77: tables.child.columns.a.per_parent: min 5 is greater than max 3, e.g. per_parent: { min: 1, max: 5 }"],
  ],
  [
    "a table without rows takes the default",
    withParent(["columns:", "  a: { method: reference, table: parent, column: id }"]),
    [],
  ],
  [
    "distinct with too few parents",
    withParent([
      "columns:",
      "  pid: { method: reference, table: parent, column: id, per_parent: { min: 1, max: 30 } }",
      "  other: { method: reference, table: parent, column: id, distinct: true }",
    ]),
    [
      's.yaml:11:62: tables.child.columns.other.distinct: distinct needs at least 30 rows in "parent" (the most children per parent of pid), but it has 10; raise its rows or lower per_parent',
    ],
  ],
  [
    "a key of per_parent and ordinal is unique",
    withParent([
      "primary_key: [pid, n]",
      "columns:",
      "  pid: { method: reference, table: parent, column: id, per_parent: { min: 1, max: 3 } }",
      "  n: { method: ordinal }",
    ]),
    [],
  ],
  [
    "a key of per_parent and an integer is not",
    withParent([
      "primary_key: [pid, n]",
      "columns:",
      "  pid: { method: reference, table: parent, column: id, per_parent: { min: 1, max: 3 } }",
      "  n: { method: integers, min: 1, max: 3 }",
    ]),
    [
      `s.yaml:9:18: tables.child.primary_key: primary key (pid, n) (methods pid: reference, n: integers) is not unique by construction, so rows could repeat it; ${UNIQUE_HINT}`,
    ],
  ],
  [
    "self reference NOT NULL",
    [
      "tables:",
      "  e:",
      "    primary_key: [id]",
      "    columns:",
      "      id: { method: unique_ids, kind: sequential }",
      "      boss: { method: reference, table: e, column: id }",
      "",
    ].join("\n"),
    [
      's.yaml:6:7: tables.e.columns.boss: a foreign key to its own table must be nullable, since the first row has no earlier row to reference; add null_fraction: 0.1 (or not_null: false) to "boss"',
    ],
  ],
];

const CYCLE = (nullable: string) =>
  [
    "tables:",
    "  a:",
    "    primary_key: [id]",
    "    columns:",
    "      id: { method: unique_ids, kind: sequential }",
    `      b_id: { method: reference, table: b, column: id${nullable} }`,
    "  b:",
    "    primary_key: [id]",
    "    columns:",
    "      id: { method: unique_ids, kind: sequential }",
    "      a_id: { method: reference, table: a, column: id }",
    "",
  ].join("\n");

Deno.test("each bad spec gets exactly its message, with file:line:column", () => {
  for (const [name, text, expected] of BAD) deepStrictEqual(messages(text), expected, name);
});

Deno.test("a loop of NOT NULL foreign keys is named; one nullable key allows it", () => {
  deepStrictEqual(messages(CYCLE("")), [
    "s.yaml:6:7: tables.a.columns.b_id: foreign keys form a loop in which none can be NULL (a.b_id → b, b.a_id → a), so no table can be loaded first; make one nullable so it is filled in a second pass, e.g. null_fraction: 0.1 or not_null: false on a.b_id",
  ]);
  deepStrictEqual(messages(CYCLE(", not_null: false")), []);
  deepStrictEqual(messages(CYCLE(", null_fraction: 0.2")), []);
});

Deno.test("every error of a spec is reported, sorted by position", () => {
  const text = table([
    "c: { method: booleans, true_probability: 2 }",
    "a: { method: integers, min: 3, max: 1 }",
    "b: { method: intgers }",
  ], ["rows: -1"]);
  deepStrictEqual(messages(text), [
    "s.yaml:3:11: tables.t.rows: must be a whole number at least 1, not -1, e.g. rows: 1000",
    "s.yaml:5:48: tables.t.columns.c.true_probability: must be a number from 0 to 1, not 2, e.g. { method: booleans, true_probability: 0.3 }",
    "s.yaml:6:35: tables.t.columns.a: min 3 is greater than max 1, e.g. { method: integers, min: 1, max: 10 }",
    's.yaml:7:20: tables.t.columns.b.method: unknown method "intgers" (did you mean "integers"?), e.g. { method: integers, min: 1, max: 10 }',
  ]);
  throws(
    () => parseSpec(text, "s.yaml"),
    (e: unknown) =>
      e instanceof SpecError && e.file === "s.yaml" && e.line === 3 && e.column === 11 &&
      e.issues.length === 4,
  );
});

Deno.test("the spec itself: unknown keys and missing tables", () => {
  deepStrictEqual(messages("name: x\ntabels: {}\n"), [
    's.yaml:1:1: a spec needs "tables", e.g. tables: { customers: { rows: 1000, columns: { id: { method: unique_ids, kind: sequential } } } }',
    's.yaml:2:1: tabels: unknown key "tabels" for a spec (did you mean "tables"?), e.g. tables: { customers: { rows: 1000, columns: { id: { method: unique_ids, kind: sequential } } } }',
  ]);
  deepStrictEqual(messages("tables:\n  t:\n    rowz: 5\n    columns: { a: { method: word } }\n"), [
    's.yaml:3:5: tables.t.rowz: unknown key "rowz" for a table (did you mean "rows"?), e.g. tables: { customers: { rows: 1000, columns: { id: { method: unique_ids, kind: sequential } } } }',
  ]);
});

Deno.test("an expression error points into the expression and keeps its caret", () => {
  try {
    parseSpec(table(["a: { method: derived, expression: '1 + * 2' }"]), "s.yaml");
    throw new Error("expected an error");
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    deepStrictEqual(
      e.message,
      's.yaml:4:46: tables.t.columns.a.expression: expected a number, a column or "(", found "*"\n  1 + * 2\n      ^',
    );
  }
  // Inside a double-quoted YAML string, escapes are counted back to the source.
  deepStrictEqual(messages(table(['p: { method: pattern, pattern: "\\\\d[^x]" }'])), [
    "s.yaml:4:43: tables.t.columns.p.pattern: negated classes like [^...] are not supported; list the allowed characters instead",
  ]);
});

Deno.test("YAML syntax errors carry their line and column", () => {
  const cases: [string, string][] = [
    ["a: 1\n\tb: 2\n", "y.yaml:2:1: YAML cannot indent with tabs; use spaces"],
    [
      "tables:\n  t: [\n",
      "y.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["a: 1\na: 2\n", "y.yaml:2:1: this key appears twice in the same mapping; keep one"],
    ["- x\n---\n- y\n", "y.yaml:2:1: a spec file holds one YAML document; remove the --- separator"],
    ["", 'y.yaml:1:1: the file is empty; a spec needs "tables"'],
  ];
  for (const [text, expected] of cases) {
    deepStrictEqual(messages(text, "y.yaml"), [expected], JSON.stringify(text));
  }
  try {
    parseSpec("a: 1\na: 2\n", "y.yaml");
  } catch (e) {
    ok(e instanceof SyntaxError);
    deepStrictEqual([(e as SpecError).line, (e as SpecError).column], [2, 1]);
  }
});

Deno.test("JSON files are held to strict JSON, with positions", () => {
  const cases: [string, string][] = [
    ['{"tables": {"a": 1,}}', 'j.json:1:19: invalid JSON: a comma cannot come before "}"'],
    ['{"tables":\n  {"a" 1}}', 'j.json:2:8: invalid JSON: expected ":" after the key, found "1"'],
    ["{'a': 1}", `j.json:1:2: invalid JSON: expected a key in double quotes, found "'"`],
    ['{"a": tru}', 'j.json:1:7: invalid JSON: expected a value, found "t"'],
    ["", "j.json:1:1: invalid JSON: expected a value, found the end of the file"],
    ['{"a": 1} x', 'j.json:1:10: invalid JSON: unexpected "x" after the end of the JSON value'],
    [
      '{"a": "b\nc"}',
      "j.json:1:9: invalid JSON: a string cannot hold a raw line break or control character; write \\n or \\t",
    ],
  ];
  for (const [text, expected] of cases) {
    deepStrictEqual(messages(text, "j.json"), [expected], JSON.stringify(text));
  }
});

Deno.test("JSON specs validate with positions like YAML ones", () => {
  const json =
    '{\n  "tables": {\n    "t": {\n      "columns": {\n        "n": { "method": "integers", "min": 5, "max": 1 }\n      }\n    }\n  }\n}\n';
  deepStrictEqual(messages(json, "t.json"), [
    "t.json:5:45: tables.t.columns.n: min 5 is greater than max 1, e.g. { method: integers, min: 1, max: 10 }",
  ]);
  const spec = parseSpec(json.replace('"min": 5', '"min": 0'), "t.json");
  deepStrictEqual(spec.tables.t?.columns.n, { method: "integers", min: 0, max: 1 });
});

Deno.test("TypeScript objects: errors name paths instead of lines, in document order", () => {
  const issues = validateSpec({
    tables: {
      orders: {
        columns: {
          qty: { method: "integers", min: 1 },
          total: { method: "derived", expression: "qty * prize" },
        },
      },
    },
  });
  deepStrictEqual(issues, [
    {
      path: "tables.orders.columns.qty",
      message: 'method "integers" needs "max", e.g. { method: integers, min: 1, max: 10 }',
    },
    {
      path: "tables.orders.columns.total.expression",
      message: 'the expression\'s column "prize" is not a column of table "orders"; known: qty, total',
    },
  ]);
  throws(
    () => assertValidSpec({ tables: { t: { columns: { n: { method: "integers", min: 1 } } } } }),
    (e: unknown) =>
      e instanceof SpecError && e.file === undefined && e.line === undefined &&
      e.message ===
        'tables.t.columns.n: method "integers" needs "max", e.g. { method: integers, min: 1, max: 10 }',
  );
  deepStrictEqual(
    validateSpec("nope")[0]?.message.startsWith('a spec must be a mapping with "tables"'),
    true,
  );
});

Deno.test("defaultRows feeds the id checks", () => {
  const spec = { tables: { t: { columns: { id: { method: "unique_ids", kind: "sequential", width: 4 } } } } };
  deepStrictEqual(validateSpec(spec), []);
  deepStrictEqual(validateSpec(spec, undefined, { defaultRows: 20000 }).map((i) => i.path), [
    "tables.t.columns.id.width",
  ]);
});

Deno.test("readSpecText keeps positions without validating", () => {
  const doc = readSpecText("tables:\n  t:\n    columns:\n      n: { method: word }\n", "r.yaml");
  deepStrictEqual(doc.positions.locate(["tables", "t", "columns", "n"], "key"), { line: 4, column: 7 });
  deepStrictEqual(doc.positions.locate(["tables", "t", "columns", "n", "method"], "value"), {
    line: 4,
    column: 20,
  });
  deepStrictEqual(doc.positions.locate(["nope"], "key"), undefined);
});
