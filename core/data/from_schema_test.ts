import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { loadParser } from "../exec/parser.ts";
import { parseSchema } from "../schema/parse.ts";
import type { Schema } from "../schema/model.ts";
import { randomSchema } from "../schema/random.ts";
import { type Dialect, parseDialect } from "../dialect/dialects.ts";
import { parseSeed, type Seed } from "../seed.ts";
import { type CompiledSpec, compileTables, plannedTables } from "./compile.ts";
import { writeRows } from "./rows.ts";
import { normalizeSpec } from "./normalize_spec.ts";
import { validateSpec } from "./parse_spec.ts";
import type { ColumnSpec, DataSpec, SpecValue } from "./spec.ts";
import { specFromSchema } from "./from_schema.ts";
import { deriveCheck, parsePartitionBound } from "./_from_schema_checks.ts";
import { arrayElement, recordField } from "./_from_schema_text.ts";

await loadParser();

const read = (path: string) => parseSchema(Deno.readTextFileSync(new URL(path, import.meta.url)));
const DEFAULT = read("../../configs/schemas/default.json");
const HOSTILE = read("../../tests/fixtures/hostile_schema.json");
const SEED: Seed = [7n, 8n, 9n, 10n];

function column(spec: DataSpec, table: string, name: string): ColumnSpec {
  const c = spec.tables[table]?.columns[name];
  if (!c) throw new Error(`no column ${table}.${name}`);
  return c;
}

/** The list of a distincts column. */
function valuesOf(c: ColumnSpec): SpecValue[] {
  if (c.method !== "distincts" || !Array.isArray(c.values)) {
    throw new Error(`not a distincts list: ${JSON.stringify(c)}`);
  }
  return c.values;
}

const strings = (c: ColumnSpec) => valuesOf(c) as string[];
const option = (c: ColumnSpec, key: string) => (c as unknown as Record<string, unknown>)[key];

/** Every table's rows as COPY text. */
async function copyText(compiled: CompiledSpec): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of compiled.tables) {
    let text = "";
    await writeRows(compiled, t, {
      format: "copy",
      write: (b) => void (text += new TextDecoder().decode(b)),
    });
    out[t.name] = text;
  }
  return out;
}

/** The spec says what the planned tables do: valid, and compiled through normalizeSpec it writes the same rows. */
async function assertEquivalent(spec: DataSpec, planned: Parameters<typeof compileTables>[0]): Promise<void> {
  deepStrictEqual(validateSpec(spec), []);
  const fromSpec = compileTables(plannedTables(normalizeSpec(spec), 1000), { seed: SEED });
  const direct = compileTables(planned, { seed: SEED });
  deepStrictEqual(fromSpec.tables.map((t) => [t.name, t.rows]), direct.tables.map((t) => [t.name, t.rows]));
  deepStrictEqual(await copyText(fromSpec), await copyText(direct));
}

Deno.test("the default schema: keys, references, vocabularies, ranges and CHECKs", async () => {
  const { spec, planned, warnings, secondPass } = specFromSchema(DEFAULT, { rows: 50 });
  deepStrictEqual(warnings, []);
  deepStrictEqual(secondPass, []);
  deepStrictEqual(Object.keys(spec.tables), ["customers", "products", "orders", "order_items", "reviews"]);
  deepStrictEqual(column(spec, "customers", "id"), {
    method: "unique_ids",
    kind: "sequential",
    start: 1,
    type: "bigint",
  });
  // UNIQUE varchar(120): sequential with a prefix; uuid: uuid4.
  deepStrictEqual(column(spec, "customers", "email"), {
    method: "unique_ids",
    kind: "sequential",
    prefix: "email-",
    type: "varchar(120)",
  });
  deepStrictEqual(column(spec, "customers", "external_id"), {
    method: "unique_ids",
    kind: "uuid4",
    type: "uuid",
    not_null: false,
  });
  deepStrictEqual(column(spec, "customers", "country"), {
    method: "country_code",
    type: "char(2)",
    null_fraction: 0.1,
    not_null: false,
  });
  // range [0, 50000] and CHECK credit_limit >= 0.
  deepStrictEqual(column(spec, "customers", "credit_limit"), {
    method: "floats",
    min: 0,
    max: 50000,
    round: 2,
    type: "numeric(12,2)",
    null_fraction: 0.1,
    not_null: false,
  });
  // A DEFAULT keeps being generated.
  strictEqual(column(spec, "customers", "is_active").method, "booleans");
  // CHECK price > 0 on numeric(10,2) with range [0.01, 9999.99].
  const price = column(spec, "products", "price");
  ok(price.method === "floats" && price.min === 0.01 && price.max === 9999.99 && price.round === 2);
  const category = column(spec, "products", "category");
  ok(category.method === "distincts" && Array.isArray(category.values) && category.values.includes("Books"));
  // interval: text forms in seconds within [3600, 1209600].
  const window = column(spec, "orders", "delivery_window");
  ok(window.method === "distincts" && Array.isArray(window.values) && window.values.length >= 64);
  for (const v of window.values as string[]) {
    const m = /^(\d+) seconds$|^(\d+) days (\d\d):(\d\d):(\d\d)$/.exec(v)!;
    const s = m[1]
      ? Number(m[1])
      : Number(m[2]) * 86400 + Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5]);
    ok(s >= 3600 && s <= 1209600, v);
  }
  deepStrictEqual(column(spec, "orders", "customer_id"), {
    method: "reference",
    table: "customers",
    column: "id",
    type: "bigint",
  });
  // PK (order_id, line_no) with order_id a foreign key: per_parent and an ordinal.
  deepStrictEqual(column(spec, "order_items", "order_id"), {
    method: "reference",
    table: "orders",
    column: "id",
    type: "bigint",
    per_parent: { min: 0, max: 2 },
  });
  deepStrictEqual(column(spec, "order_items", "line_no"), { method: "ordinal", type: "smallint" });
  strictEqual(spec.tables.order_items!.rows, undefined);
  const discount = column(spec, "order_items", "discount");
  ok(discount.method === "floats" && discount.min === 0 && discount.max === 0.5);
  // A nullable foreign key gets NULLs; rating keeps CHECK rating BETWEEN 1 AND 5.
  strictEqual(column(spec, "reviews", "customer_id").null_fraction, 0.1);
  const rating = column(spec, "reviews", "rating");
  ok(rating.method === "integers" && rating.min === 1 && rating.max === 5);
  // varchar(80) with the sentence vocabulary: only sentences that fit.
  const title = column(spec, "reviews", "title");
  ok(title.method === "distincts" && (title.values as string[]).every((v) => [...v].length <= 80));
  deepStrictEqual(planned.map((t) => t.name), Object.keys(spec.tables));
  await assertEquivalent(spec, planned);
});

Deno.test("the hostile schema: types, CHECK forms, keys, partitions and the loop of keys", async () => {
  const { spec, planned, warnings, secondPass } = specFromSchema(HOSTILE, { rows: 60 });
  deepStrictEqual(warnings, [
    'table "Customer Accounts", check "score plus priority" (score + priority <= 16): not a form bounds are derived from; generated rows may violate it',
  ]);
  const c = (name: string) => column(spec, "Customer Accounts", name);
  // Generated and identity ALWAYS columns are left to the database.
  ok(
    !("seq" in spec.tables["Customer Accounts"]!.columns) &&
      !("doubled" in spec.tables["Customer Accounts"]!.columns),
  );
  ok(!("seq" in spec.tables.player!.columns));
  // Enum labels exactly, less the one a CHECK excludes.
  deepStrictEqual(valuesOf(c("mood")), [
    "it's",
    "naïve",
    '"quoted"',
    "日本",
    "back\\slash",
    "a,b",
    "{brace}",
    " lead space",
    "tab\there",
  ]);
  deepStrictEqual(c("status"), {
    method: "distincts",
    values: ["new", "shipped", "it's done"],
    type: '"Order Status"',
  });
  // col <> '' and char_length(col) <= n.
  const select = c("select");
  ok(select.method === "word");
  const naive = c("naïve column");
  ok(naive.method === "word" || naive.method === "distincts");
  // >= AND < on numeric(5,2); BETWEEN with a negative bound; >= and <= in two CHECKs; > AND <.
  const ratio = c('ratio "q"');
  ok(
    ratio.method === "floats" && ratio.min === 0 && ratio.max === 499.99 && ratio.round === 2,
    JSON.stringify(ratio),
  );
  const user = c("user");
  ok(user.method === "integers" && user.min === -1000 && user.max === 1000);
  const score = c("score");
  ok(score.method === "integers" && score.min === 1 && score.max === 10 && score.null_fraction === undefined);
  const priority = c("priority");
  ok(priority.method === "integers" && priority.min === 1 && priority.max === 5);
  // IN lists.
  deepStrictEqual(valuesOf(c("level")), [1, 2, 3]);
  deepStrictEqual(valuesOf(c("tier")), ["gold", "silver", "it's bronze"]);
  // varchar(3) with length(note) >= 2.
  const note = c("note");
  ok(
    note.method === "distincts" &&
      (note.values as string[]).every((v) => [...v].length >= 2 && [...v].length <= 3),
  );
  // Dates: >= AND <; timestamptz: > a zone-less bound, kept 14 hours inside.
  const birthday = c("birthday");
  ok(birthday.method === "dates" && birthday.min === "1900-01-01" && birthday.max === "2009-12-31");
  const created = c("created");
  ok(created.method === "timestamps" && created.min === "2001-01-01 14:00:01" && created.format === "iso");
  // Domains: short_code is NOT NULL, 2 to 5 characters; percent is 0 to 100 on numeric(5,2).
  const code = c("code");
  ok(code.method === "distincts" && code.null_fraction === undefined);
  ok((code.values as string[]).every((v) => [...v].length >= 2 && [...v].length <= 5));
  const pct = c("pct");
  ok(pct.method === "floats" && pct.min === 0 && pct.max === 100);
  // Text forms: bit(4) has 16 values; arrays and composites are quoted.
  const flags = c("flags");
  ok(flags.method === "distincts" && (flags.values as string[]).every((v) => /^[01]{4}$/.test(v)));
  strictEqual((flags.values as string[]).length, 16);
  for (const name of ["tags", "nums", "home", "pair", "period", "slots", "doc", "blob", "balance"]) {
    const col = c(name);
    ok(col.method === "distincts" && (col.values as string[]).length >= 64, name);
  }
  ok(strings(c("home")).every((v) => /^\(.*\)$/.test(v)));
  ok(strings(c("tags")).some((v) => v === "{}"));
  ok(strings(c("blob")).every((v) => /^\\x([0-9a-f]{2})*$/.test(v)));
  strictEqual(c("ip").method, "ipv4");
  // A foreign key to a UNIQUE column, a self reference, a composite key.
  deepStrictEqual(column(spec, "Order", "customer e-mail"), {
    method: "reference",
    table: "Customer Accounts",
    column: "e-mail",
    type: "varchar(120)",
    null_fraction: 0.1,
  });
  strictEqual(column(spec, "Order", "parent order").null_fraction, 0.1);
  deepStrictEqual(spec.tables.shipments!.foreign_keys, [
    {
      columns: ["order id", "line_no"],
      references: { table: "order lines", columns: ["order id", "line_no"] },
    },
  ]);
  strictEqual(spec.tables.shipments!.primary_key, undefined);
  // Composite keys: ordinal, distinct link, one-to-one, a varchar(3) key within its length.
  strictEqual(column(spec, "order lines", "line_no").method, "ordinal");
  const link = column(spec, "link table", "ключ");
  ok(link.method === "reference" && link.distinct === true);
  ok(option(column(spec, "link table", "account"), "per_parent"));
  ok(option(column(spec, "profile", "account id"), "one_to_one"));
  // No room for a prefix within 3 characters next to 2 digits.
  deepStrictEqual(column(spec, "日本の表", "ключ"), {
    method: "unique_ids",
    kind: "sequential",
    type: "varchar(3)",
  });
  strictEqual(column(spec, "日本の表", "uid").method, "unique_ids");
  // Partitions: a range of dates, ranges with a gap, list values; DEFAULT and hash need nothing.
  const day = column(spec, "events", "day");
  ok(day.method === "dates" && day.min === "2024-01-01" && day.max === "2024-12-31");
  const sensor = column(spec, "readings", "sensor");
  ok(sensor.method === "distincts" && Array.isArray(sensor.values));
  deepStrictEqual(sensor.values, [
    ...Array.from({ length: 99 }, (_, i) => i + 1),
    ...Array.from({ length: 100 }, (_, i) => i + 200),
  ]);
  deepStrictEqual(
    valuesOf(column(spec, "regions", "zone")),
    [
      "north",
      "south",
      "east",
      "west",
      "it's middle",
    ],
  );
  const bucket = column(spec, "metrics", "bucket");
  ok(bucket.method === "integers" && bucket.min === -2147483648 && bucket.max === 2147483647);
  // The loop: team comes first, its captains referencing players generated after it.
  const names = planned.map((t) => t.name);
  ok(names.indexOf("team") < names.indexOf("player"));
  deepStrictEqual(column(spec, "team", "captain"), {
    method: "reference",
    table: "player",
    column: "id",
    type: "integer",
    null_fraction: 0.1,
  });
  const captain = {
    columns: ["captain"],
    references: { table: "player", columns: ["id"] },
    nullFraction: 0.1,
  };
  deepStrictEqual(planned.find((t) => t.name === "team")!.foreignKeys, [{ ...captain, secondPass: true }]);
  deepStrictEqual(secondPass, [{ table: "team", foreignKey: { ...captain, secondPass: true } }]);
  await assertEquivalent(spec, planned);
});

Deno.test("CHECKs as PostgreSQL prints them (introspection) are derived too", () => {
  const isColumn = (n: string) => ["credit_limit", "status", "name", "x", "value"].includes(n);
  const one = (e: string) => {
    const d = deriveCheck(e, isColumn);
    return { derived: d.derived, bounds: Object.fromEntries(d.bounds) };
  };
  deepStrictEqual(one("(credit_limit >= (0)::numeric)"), {
    derived: true,
    bounds: { credit_limit: { lo: { value: 0, inclusive: true } } },
  });
  deepStrictEqual(
    one("((status)::text = ANY ((ARRAY['a'::character varying, 'it''s'::character varying])::text[]))"),
    { derived: true, bounds: { status: { values: ["a", "it's"] } } },
  );
  deepStrictEqual(one("(char_length((name)::text) <= 3)"), {
    derived: true,
    bounds: { name: { maxLength: 3 } },
  });
  deepStrictEqual(one("((x >= 1) AND (x <= 5))"), {
    derived: true,
    bounds: { x: { lo: { value: 1, inclusive: true }, hi: { value: 5, inclusive: true } } },
  });
  deepStrictEqual(one("(x <> ALL (ARRAY[1, 2]))"), { derived: true, bounds: { x: { exclude: [1, 2] } } });
  deepStrictEqual(one("x NOT IN (3)"), { derived: true, bounds: { x: { exclude: [3] } } });
  deepStrictEqual(one("5 > x"), { derived: true, bounds: { x: { hi: { value: 5, inclusive: false } } } });
  deepStrictEqual(one("VALUE BETWEEN SYMMETRIC 9 AND -2"), {
    derived: true,
    bounds: { value: { lo: { value: -2, inclusive: true }, hi: { value: 9, inclusive: true } } },
  });
  deepStrictEqual(one("x IS NOT NULL AND name <> ''"), {
    derived: true,
    bounds: { x: { notNull: true }, name: { exclude: [""] } },
  });
  // Not derivable: two columns, OR, a function of the column, an unknown column.
  strictEqual(one("x < credit_limit").derived, false);
  strictEqual(one("x > 0 OR x < -5").derived, false);
  strictEqual(one("abs(x) < 5").derived, false);
  strictEqual(one("other > 1").derived, false);
  // Part of an AND is still derived.
  deepStrictEqual(one("x >= 0 AND lower(name) = name"), {
    derived: false,
    bounds: { x: { lo: { value: 0, inclusive: true } } },
  });
});

Deno.test("partition bounds are read with the parser", () => {
  deepStrictEqual(parsePartitionBound("FOR VALUES FROM (MINVALUE) TO ('7')"), {
    kind: "range",
    from: ["minvalue"],
    to: ["7"],
  });
  deepStrictEqual(parsePartitionBound("FOR VALUES FROM (1, MINVALUE) TO (10, MAXVALUE)"), {
    kind: "range",
    from: [1, "minvalue"],
    to: [10, "maxvalue"],
  });
  deepStrictEqual(parsePartitionBound("FOR VALUES IN ('a', 'it''s', NULL)"), {
    kind: "list",
    values: ["a", "it's", null],
  });
  deepStrictEqual(parsePartitionBound("DEFAULT"), { kind: "default" });
  deepStrictEqual(parsePartitionBound("FOR VALUES WITH (modulus 2, remainder 0)"), { kind: "hash" });
});

Deno.test("array elements and record fields are quoted as PostgreSQL reads them", () => {
  deepStrictEqual(
    ["a", "b c", "", "NULL", "null", 'q"', "back\\slash", "{x}", "a,b", null].map(arrayElement),
    [
      "a",
      '"b c"',
      '""',
      '"NULL"',
      '"null"',
      '"q\\""',
      '"back\\\\slash"',
      '"{x}"',
      '"a,b"',
      "NULL",
    ],
  );
  deepStrictEqual(["a", "b c", "", "NULL", 'q"', "back\\slash", "(p)", "a,b", null].map(recordField), [
    "a",
    '"b c"',
    '""',
    "NULL",
    '"q"""',
    '"back\\\\slash"',
    '"(p)"',
    '"a,b"',
    "",
  ]);
});

Deno.test("keys that cannot be unique within their type or CHECK are warned about", () => {
  const schema: Schema = {
    name: "narrow",
    tables: [
      { name: "small", primaryKey: ["id"], columns: [{ name: "id", type: "smallint" }] },
      {
        name: "checked",
        primaryKey: ["id"],
        columns: [{ name: "id", type: "integer" }],
        checks: [{ name: "few", expression: "id BETWEEN 1 AND 100" }],
      },
      { name: "short", unique: [["code"]], columns: [{ name: "code", type: "char(1)" }] },
    ],
  };
  // 65536 values of smallint: from -32768 when they do not fit from 1.
  const fits = specFromSchema(schema, { rows: 40000 });
  deepStrictEqual(fits.spec.tables.small!.columns.id, {
    method: "unique_ids",
    kind: "sequential",
    start: -32768,
    type: "smallint",
  });
  const { warnings } = specFromSchema(schema, { rows: 70000 });
  deepStrictEqual(warnings, [
    'table "small": key (id) cannot be made unique by construction; rows may repeat it',
    'table "checked": key (id) cannot be made unique by construction; rows may repeat it',
    'table "short": key (code) cannot be made unique by construction; rows may repeat it',
  ]);
});

Deno.test("introspected spellings: quoted user types, character varying, bit varying, nextval defaults", () => {
  const schema: Schema = {
    name: "live",
    types: [{ name: "Level", kind: "enum", labels: ["low", "high"] }],
    tables: [{
      name: "t",
      primaryKey: ["id"],
      columns: [
        { name: "id", type: "integer", nullable: false, default: "nextval('t_id_seq'::regclass)" },
        { name: "lvl", type: '"Level"' },
        { name: "levels", type: '"Level"[]' },
        { name: "name", type: "character varying(4)" },
        { name: "bits", type: "bit varying(3)" },
        { name: "at", type: "timestamp with time zone" },
      ],
      checks: [{ name: "t_name_check", expression: "(char_length((name)::text) >= 2)" }],
    }],
  };
  const { spec, warnings } = specFromSchema(schema, { rows: 10 });
  deepStrictEqual(warnings, []);
  const t = spec.tables.t!.columns;
  deepStrictEqual(t.lvl, {
    method: "distincts",
    values: ["low", "high"],
    type: '"Level"',
    null_fraction: 0.1,
    not_null: false,
  });
  ok(
    (t.levels as { values: string[] }).values.every((v) =>
      /^\{((low|high|NULL)(,(low|high|NULL))*)?\}$/.test(v)
    ),
  );
  ok((t.name as { values: string[] }).values.every((v) => [...v].length >= 2 && [...v].length <= 4));
  ok((t.bits as { values: string[] }).values.every((v) => /^[01]{0,3}$/.test(v)));
  strictEqual(t.at!.method, "timestamps");
});

Deno.test("random schemas of high complexity give valid specs that compile", () => {
  const dialect = parseDialect("postgres@15") as Dialect;
  for (let n = 1; n <= 12; n++) {
    const schema = randomSchema({
      tables: 6,
      seed: parseSeed(String(n)) as Seed,
      dialect,
      complexity: "high",
    });
    const { spec, planned } = specFromSchema(schema, { rows: 30 });
    deepStrictEqual(validateSpec(spec), [], `schema ${n}`);
    const compiled = compileTables(planned, { seed: SEED });
    strictEqual(compiled.tables.length, schema.tables.length, `schema ${n}`);
  }
});

Deno.test("one warning per constraint, and the same spec on every call", () => {
  const schema: Schema = {
    name: "w",
    // A back-reference: a regular expression that is not read (core/data/_from_schema_text_checks.ts).
    types: [{ name: "tag", kind: "domain", base: "text", checks: ["VALUE ~ '^([a-z])\\1+$'"] }],
    tables: [
      {
        name: "t",
        primaryKey: ["id"],
        columns: [
          { name: "id", type: "integer" },
          { name: "a", type: "text" },
          { name: "b", type: "text" },
          { name: "c", type: "tag" },
          { name: "d", type: "tag" },
          { name: "e", type: "xml", nullable: false },
        ],
        checks: [
          { name: "ordered", expression: "a > 'm' AND b > 'm'" },
          { name: "mixed", expression: "a <> 'x' AND (b = 'q' OR b IS NULL)" },
        ],
      },
      {
        name: "child",
        columns: [{ name: "t_id", type: "integer" }],
        checks: [{ name: "small", expression: "t_id < 10" }],
        foreignKeys: [{ columns: ["t_id"], references: { table: "t", columns: ["id"] } }],
      },
    ],
  };
  const first = specFromSchema(schema, { rows: 20 });
  deepStrictEqual(first.warnings, [
    "domain tag, check (VALUE ~ '^([a-z])\\1+$'): not a form bounds are derived from; generated values may violate it",
    'table "t", column "e": unsupported type "xml"; the column is left to its default, so loading fails',
    `table "t", check "mixed" (a <> 'x' AND (b = 'q' OR b IS NULL)): not a form bounds are derived from; generated rows may violate it`,
    `table "t", check "ordered" (a > 'm' AND b > 'm'): does not apply to table "t", column "a" of type text; generated values may violate it`,
    `table "child", check "small" (t_id < 10): table "child", column "t_id" takes its values from "t", which may not keep it`,
  ]);
  deepStrictEqual(specFromSchema(schema, { rows: 20 }), first);
});
