import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { loadParser } from "../exec/parser.ts";
import type { Schema } from "../schema/model.ts";
import type { Seed } from "../seed.ts";
import { introspect } from "../schema/introspect.ts";
import { compileTables, plannedTables } from "./compile.ts";
import { assertChecksHoldInPostgres } from "./_checks_in_postgres.ts";
import { normalizeSpec } from "./normalize_spec.ts";
import { validateSpec } from "./parse_spec.ts";
import type { ColumnSpec } from "./spec.ts";
import { specFromSchema } from "./from_schema.ts";
import { deriveCheck } from "./_from_schema_checks.ts";
import {
  fitPattern,
  likePattern,
  maxChars,
  minChars,
  patternMatcher,
  regexPattern,
  renderPattern,
  type TextFit,
} from "./_from_schema_text_checks.ts";
import { csvOf } from "./_fidelity_rows.ts";

await loadParser();

const SEED: Seed = [21n, 22n, 23n, 24n];
const ROWS = 10_000;

/** Tables with text CHECKs of the forms sample databases use, each kept by construction. */
const KEPT: Schema = {
  name: "texts",
  types: [{
    name: "product_code",
    kind: "domain",
    base: "varchar(10)",
    checks: ["VALUE ~ '^[A-Z]{3}-[0-9]+$'"],
  }],
  tables: [
    {
      name: "contacts",
      primaryKey: ["id"],
      columns: [
        { name: "id", type: "integer" },
        { name: "phone", type: "varchar(20)" },
        { name: "email", type: "varchar(254)", nullable: false },
        { name: "work_email", type: "text" },
        { name: "home_email", type: "text", vocabulary: "email" },
        { name: "nickname", type: "text" },
      ],
      checks: [
        // As PostgreSQL prints them (pg_get_constraintdef), casts included.
        { name: "phone_chars", expression: "((phone)::text ~ '^[0-9() .+-]*$'::text)" },
        {
          name: "email_format",
          expression: "((email)::text ~* '^[A-Za-z0-9._%-]+@[A-Za-z0-9.-]+[.][A-Za-z]+$'::text)",
        },
        {
          name: "work_email_format",
          expression:
            "((work_email ~ '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$'::text) AND (char_length(work_email) <= 16))",
        },
        { name: "home_email_format", expression: "home_email ~* '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$'" },
        { name: "nickname_letters", expression: "nickname ~ '^[a-z]+$'" },
      ],
    },
    {
      name: "addresses",
      columns: [
        { name: "postal_code", type: "varchar(10)" },
        { name: "country", type: "char(2)", nullable: false },
        { name: "region", type: "text" },
        { name: "street", type: "varchar(8)" },
      ],
      checks: [
        { name: "postal_code_format", expression: "postal_code ~ '^[0-9]{5}(-[0-9]{4})?$'" },
        { name: "country_iso", expression: "(country ~ '^[A-Z]{2}$'::text)" },
        { name: "region_names", expression: "region ~ '^(north|south|east|west)( [0-9]+)?$'" },
        // Unanchored: a value holding a match is enough; the value is exactly one.
        { name: "street_number", expression: "street ~ '[0-9]+ [A-Z][a-z]*'" },
      ],
    },
    {
      name: "products",
      columns: [
        { name: "sku", type: "varchar(12)", nullable: false },
        { name: "code", type: "text" },
        { name: "label", type: "varchar(6)" },
        { name: "kind", type: "text" },
        { name: "batch", type: "char(8)" },
        { name: "item", type: "product_code" },
        { name: "ref", type: "text" },
        { name: "tag", type: "varchar(5)" },
        { name: "note", type: "text" },
        { name: "qty", type: "integer" },
        { name: "grade", type: "char(3)" },
        { name: "pin", type: "varchar(6)" },
        { name: "symbols", type: "varchar(4)" },
        { name: "version", type: "text" },
      ],
      checks: [
        { name: "sku_prefix", expression: "((sku)::text ~~ 'SKU-%'::text)" },
        { name: "code_format", expression: "code ~ '^[A-Z]{3}[0-9]{2}$'" },
        { name: "label_format", expression: "(char_length(label) >= 3) AND (label ~ '^[a-z]+[0-9]*$')" },
        { name: "kind_list", expression: "kind IN ('A1', 'b2', 'C3', 'dd') AND kind ~ '^[A-Z][0-9]$'" },
        { name: "batch_prefix", expression: "batch LIKE 'B\\_%'" },
        { name: "ref_prefix", expression: "ref LIKE 'R!%_%' ESCAPE '!' AND qty > 0" },
        { name: "tag_case", expression: "tag ILIKE 'x%' AND tag <> ''" },
        { name: "note_any", expression: "note ~ '^(?:[[:upper:]][[:lower:]]+ ?){1,3}[.!?]$'" },
        { name: "grade_format", expression: "grade ~ '^[A-F][+-]?[0-9]?$'" },
        { name: "pin_digits", expression: "char_length(pin) >= 4 AND pin ~ '^[0-9]*$'" },
        // Punctuation, quotes and backslashes included, through CSV and COPY.
        { name: "symbols_only", expression: "symbols ~ '^[^[:alnum:]]+$'" },
        { name: "version_format", expression: "version ~ '^v(1|)\\.[0-9]$'" },
      ],
    },
  ],
};

/** Each kept CHECK as a JavaScript test of a value (NULL passes), to check rows without a database. */
const JS_CHECKS: Record<string, Record<string, (v: string) => boolean>> = {
  contacts: {
    phone: (v) => /^[0-9() .+-]*$/.test(v),
    email: (v) => /^[A-Za-z0-9._%-]+@[A-Za-z0-9.-]+[.][A-Za-z]+$/i.test(v),
    work_email: (v) => /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(v) && v.length <= 16,
    home_email: (v) => /^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$/i.test(v),
    nickname: (v) => /^[a-z]+$/.test(v),
  },
  addresses: {
    postal_code: (v) => /^[0-9]{5}(-[0-9]{4})?$/.test(v),
    country: (v) => /^[A-Z]{2}$/.test(v),
    region: (v) => /^(north|south|east|west)( [0-9]+)?$/.test(v),
    street: (v) => /[0-9]+ [A-Z][a-z]*/.test(v) && v.length <= 8,
  },
  products: {
    sku: (v) => /^SKU-/.test(v) && v.length <= 12,
    code: (v) => /^[A-Z]{3}[0-9]{2}$/.test(v),
    label: (v) => /^[a-z]+[0-9]*$/.test(v) && v.length >= 3 && v.length <= 6,
    kind: (v) => ["A1", "C3"].includes(v),
    batch: (v) => /^B_.{6}$/.test(v),
    item: (v) => /^[A-Z]{3}-[0-9]+$/.test(v) && v.length <= 10,
    ref: (v) => /^R%./s.test(v),
    tag: (v) => /^x/i.test(v) && v.length >= 1 && v.length <= 5,
    note: (v) => /^(?:[A-Z][a-z]+ ?){1,3}[.!?]$/.test(v),
    grade: (v) => /^[A-F][+-][0-9]$/.test(v),
    pin: (v) => /^[0-9]{4,6}$/.test(v),
    symbols: (v) => /^[^A-Za-z0-9]{1,4}$/.test(v),
    version: (v) => /^v(1|)\.[0-9]$/.test(v),
  },
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

/** Rows of a CSV (RFC 4180: quoted fields may hold commas, quotes and newlines); an unquoted empty field is NULL. */
function parseCsv(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | null;
    if (text[i] === '"') {
      let v = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        v += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          v += '"';
          i++;
        } else break;
      }
      value = v;
    } else {
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "\n") end++;
      value = end === i ? null : text.slice(i, end);
      i = end;
    }
    row.push(value);
    if (text[i] === ",") i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

Deno.test("regular expressions of the subset are read as the strings they match", () => {
  const cases: [string, string][] = [
    ["^[0-9() .+-]*$", "[ ()+\\-.0-9]{0,8}"],
    ["^[A-Z]{3}[0-9]{2}$", "[A-Z]{3}[0-9]{2}"],
    ["^[0-9]{5}(-[0-9]{4})?$", "[0-9]{5}(\\-[0-9]{4})?"],
    ["^[A-Z]{2}$", "[A-Z]{2}"],
    [
      "^[A-Za-z0-9._%-]+@[A-Za-z0-9.-]+[.][A-Za-z]+$",
      "[%\\-.0-9A-Z_a-z]{1,8}@[\\-.0-9A-Za-z]{1,8}[.][A-Za-z]{1,8}",
    ],
    // Negated classes draw from the letters and digits they leave; \D \W \S likewise.
    ["^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", "[0-9A-Za-z]{1,8}@[0-9A-Za-z]{1,8}\\.[a-z]{2,8}"],
    ["\\D\\S\\W", "[A-Za-z][0-9A-Za-z][ -/:-@\\[-\\^`{-~]"],
    ["^\\d{3}-\\d{4}$", "[0-9]{3}\\-[0-9]{4}"],
    ["^\\w+$", "[0-9A-Z_a-z]{1,8}"],
    // Unanchored: exactly a match.
    ["abc", "abc"],
    ["^a|b$", "a|b"],
    ["^(red|green|blue)$", "red|green|blue"],
    ["^(?:ab)+$", "(ab){1,8}"],
    ["[[:upper:]][[:digit:]]+[[:punct:]]", "[A-Z][0-9]{1,8}[!-/:-@\\[-`{-~]"],
    ["^[[:alpha:]_][[:alnum:]_]*$", "[A-Z_a-z][0-9A-Z_a-z]{0,8}"],
    // Lazy quantifiers match the same strings; {m,} is open-ended, closed at 8 or m.
    ["x{2,}?y+?z{9,}", "x{2,8}y{1,8}z{9}"],
    ["[]a-]", "[\\-\\]a]"],
    ["[^]a]", "[0-9A-Zb-z]"],
    ["^.{2}$", "[0-9A-Za-z]{2}"],
    ["(a|)b", "(a|)b"],
    ["é[ü]\\$", "éü\\$"],
  ];
  for (const [regex, pattern] of cases) {
    const p = regexPattern(regex, false);
    ok(p, regex);
    strictEqual(renderPattern(p), pattern, regex);
  }
  // Case-insensitive: as written, but a negated class leaves out both cases.
  strictEqual(renderPattern(regexPattern("^[^a-z]+$", true)!), "[0-9]{1,8}");
  strictEqual(renderPattern(regexPattern("^[^a-z]+$", false)!), "[0-9A-Z]{1,8}");
  strictEqual(renderPattern(regexPattern("^[a-z]+$", true)!), "[a-z]{1,8}");
});

Deno.test("regular expressions outside the subset are not read", () => {
  for (
    const regex of [
      "(a)\\1", // back-reference
      "(?=a)b", // lookahead
      "(?!a)b",
      "(?<=a)b",
      "\\bfoo", // backspace in an ARE
      "\\mfoo\\M", // word boundaries
      "\\yfoo",
      "a^b", // anchors inside
      "a$b",
      "(^a)",
      "(?i)abc", // embedded options
      "***:abc",
      "[[:foo:]]",
      "[[.a.]]",
      "[[=a=]]",
      "\\x41", // character-entry escapes
      "\\t",
      "a**",
      "a+*",
      "*a",
      "a{,3}",
      "a{3,2}",
      "a{x}",
      "]",
      "(a",
      "a)",
      "[a",
      "[z-a]",
      "[\\d-z]",
      "\t",
      "^$", // only the empty string
      "",
    ]
  ) {
    strictEqual(regexPattern(regex, false), undefined, regex);
  }
});

Deno.test("LIKE patterns are read as the strings they match", () => {
  const like = (text: string, escape?: string) => {
    const p = likePattern(text, escape);
    return p && renderPattern(p);
  };
  strictEqual(like("SKU-%"), "SKU\\-[0-9A-Za-z]{0,8}");
  strictEqual(like("a_b"), "a[0-9A-Za-z]b");
  strictEqual(like("%x%"), "[0-9A-Za-z]{0,8}x[0-9A-Za-z]{0,8}");
  strictEqual(like("100\\%"), "100%");
  strictEqual(like("B\\_%"), "B_[0-9A-Za-z]{0,8}");
  strictEqual(like("R!%_", "!"), "R%[0-9A-Za-z]");
  strictEqual(like("a\\b", ""), "a\\\\b");
  strictEqual(like("(x)[y]{z}.*+?|^$"), "\\(x\\)\\[y\\]\\{z\\}\\.\\*\\+\\?\\|\\^\\$");
  strictEqual(like("abc\\"), undefined);
  strictEqual(like(""), undefined);
  strictEqual(like("a\tb"), undefined);
});

Deno.test("patterns fit a column's lengths: open runs shortened, short ones lengthened, char(n) exact", () => {
  const fit = (text: string, f: TextFit, like = false) => {
    const p = fitPattern((like ? likePattern(text) : regexPattern(text, false))!, f);
    return p && { pattern: renderPattern(p), min: minChars(p), max: maxChars(p) };
  };
  const within = (minLength: number, maxLength: number): TextFit => ({ minLength, maxLength });
  deepStrictEqual(fit("^A[0-9]+$", within(0, 6)), { pattern: "A[0-9]{1,5}", min: 2, max: 6 });
  // The room is shared: each run keeps some.
  deepStrictEqual(fit("^[a-z]+@[a-z]+\\.[a-z]{2,}$", within(0, 12)), {
    pattern: "[a-z]{1,3}@[a-z]{1,3}\\.[a-z]{2,4}",
    min: 6,
    max: 12,
  });
  deepStrictEqual(fit("SKU-%", within(10, 10), true), { pattern: "SKU\\-[0-9A-Za-z]{6}", min: 10, max: 10 });
  deepStrictEqual(fit("^[a-z]*$", within(1, Infinity)), { pattern: "[a-z]{1,8}", min: 1, max: 8 });
  deepStrictEqual(fit("^([a-z]+\\.)*[a-z]+$", within(12, 20)), {
    pattern: "[a-z]{5,8}\\.[a-z]{6,8}",
    min: 12,
    max: 17,
  });
  // Alternatives that cannot fit are left out.
  deepStrictEqual(fit("^(ab|abcdef)$", within(0, 4)), { pattern: "ab", min: 2, max: 2 });
  deepStrictEqual(fit("^(ab|abcdef)$", within(3, 10)), { pattern: "abcdef", min: 6, max: 6 });
  // char(n): exactly n characters, no spaces (the class loses its space; a literal one cannot be drawn).
  deepStrictEqual(fit("^[A-Z ]+$", { minLength: 0, maxLength: 3, fixed: 3 }), {
    pattern: "[A-Z]{3}",
    min: 3,
    max: 3,
  });
  strictEqual(fit("^A B$", { minLength: 0, maxLength: 3, fixed: 3 }), undefined);
  strictEqual(fit("^[A-Z]{2}$", { minLength: 0, maxLength: 3, fixed: 3 }), undefined);
  // No value fits, or an excluded one could be drawn.
  strictEqual(fit("^[A-Z]{5}$", within(0, 4)), undefined);
  strictEqual(fit("^[A-Z]{2}$", within(3, 9)), undefined);
  strictEqual(fit("^(a|b)$", { minLength: 0, maxLength: 9, exclude: new Set(["a"]) }), undefined);
  deepStrictEqual(fit("^(a|b)$", { minLength: 0, maxLength: 9, exclude: new Set(["c"]) }), {
    pattern: "a|b",
    min: 1,
    max: 1,
  });
  // Without a column length, a value is at most 1000 characters.
  deepStrictEqual(fit("^(a{1,200}){1,100}$", within(0, Infinity))?.max, 1000);
  // The matcher follows the open runs, not their caps; char(n) needs n characters.
  const matches = patternMatcher([regexPattern("^[a-z]+$", false)!]);
  ok(matches("abcdefghijklmnop") && !matches("abc1") && !matches(""));
  const fixed = patternMatcher([regexPattern("^[A-Z]+$", false)!], 3);
  ok(fixed("ABC") && !fixed("AB"));
});

Deno.test("text CHECKs are read as PostgreSQL prints them, alone or with other forms", () => {
  const isColumn = (n: string) => ["code", "sku", "n", "value"].includes(n);
  const read = (e: string, texts?: (c: string) => boolean) => {
    const d = deriveCheck(e, isColumn, texts ? { texts } : {});
    const b = d.bounds.get("code") ?? d.bounds.get("sku") ?? d.bounds.get("value");
    return {
      derived: d.derived,
      patterns: (b?.patterns ?? []).map(renderPattern),
      maxLength: b?.maxLength,
    };
  };
  const kept = (patterns: string[], maxLength?: number) => ({ derived: true, patterns, maxLength });
  deepStrictEqual(read("((code)::text ~ '^[A-Z]{3}$'::text)"), kept(["[A-Z]{3}"]));
  deepStrictEqual(read("code ~* '^[a-z]{3}$'"), kept(["[a-z]{3}"]));
  deepStrictEqual(read("((code)::character varying ~ '^x'::character varying::text)"), kept(["x"]));
  deepStrictEqual(read("sku LIKE 'SKU-%'"), kept(["SKU\\-[0-9A-Za-z]{0,8}"]));
  deepStrictEqual(read("((sku)::text ~~ 'SKU-%'::text)"), kept(["SKU\\-[0-9A-Za-z]{0,8}"]));
  deepStrictEqual(read("sku ILIKE 'a_'"), kept(["a[0-9A-Za-z]"]));
  deepStrictEqual(read("((sku)::text ~~* 'a_'::text)"), kept(["a[0-9A-Za-z]"]));
  deepStrictEqual(read("sku LIKE 'a!%' ESCAPE '!'"), kept(["a%"]));
  deepStrictEqual(read("((sku)::text ~~ like_escape('a!%'::text, '!'::text))"), kept(["a%"]));
  deepStrictEqual(read("(char_length(code) <= 5) AND (code ~ '^[A-Z]+$')"), kept(["[A-Z]{1,8}"], 5));
  deepStrictEqual(read("VALUE ~ '^[0-9]{5}$'"), kept(["[0-9]{5}"]));
  deepStrictEqual(read("code ~ '^a' AND code ~ 'b$'"), kept(["a", "b"]));
  // Not read: negations, SIMILAR TO, functions, a cast that cuts, the column as the expression, other columns.
  for (
    const e of [
      "code !~ '^a'",
      "code !~* '^a'",
      "code NOT LIKE 'a%'",
      "code NOT ILIKE 'a%'",
      "code SIMILAR TO 'a%'",
      "upper(code) = code",
      "lower(code) ~ '^a'",
      "(code)::varchar(3) ~ '^a'",
      "'abc' ~ code",
      "code ~ other",
      "code ~ '(a)\\1'",
      "code LIKE 'a%' ESCAPE 'ab'",
      "code ~ '^a' OR code IS NULL",
      "(n)::integer ~ '^1'",
    ]
  ) {
    strictEqual(read(e).derived, false, e);
  }
  // Columns that are not text are not read (a table passes which are).
  strictEqual(read("(n)::text ~ '^[0-9]+$'", (c) => c !== "n").derived, false);
  strictEqual(read("code ~ '^[0-9]+$'", (c) => c !== "n").derived, true);
});

Deno.test("derived specs keep text CHECKs: patterns, vocabularies, IN lists, lengths", async () => {
  const { spec, planned, warnings } = specFromSchema(KEPT, { rows: 100 });
  deepStrictEqual(warnings, []);
  deepStrictEqual(validateSpec(spec), []);
  const pattern = (t: string, c: string) => {
    const s = column(spec, t, c);
    return s.method === "pattern" ? s.pattern : `(${s.method})`;
  };
  strictEqual(pattern("contacts", "phone"), "[ ()+\\-.0-9]{0,8}");
  strictEqual(
    pattern("contacts", "email"),
    "[%\\-.0-9A-Z_a-z]{1,8}@[\\-.0-9A-Za-z]{1,8}[.][A-Za-z]{1,8}",
  );
  // Clamped to char_length(work_email) <= 16.
  strictEqual(pattern("contacts", "work_email"), "[0-9A-Za-z]{1,4}@[0-9A-Za-z]{1,5}\\.[a-z]{2,5}");
  // A vocabulary whose entries match keeps to them; so do the words, unless too few match.
  strictEqual(pattern("contacts", "home_email"), "(distincts)");
  strictEqual(pattern("contacts", "nickname"), "(distincts)");
  const nickname = column(spec, "contacts", "nickname");
  ok(nickname.method === "distincts" && nickname.values.length > 300);
  strictEqual(pattern("addresses", "postal_code"), "[0-9]{5}(\\-[0-9]{4})?");
  strictEqual(pattern("addresses", "country"), "[A-Z]{2}");
  strictEqual(pattern("addresses", "region"), "(north|south|east|west)( [0-9]{1,8})?");
  strictEqual(pattern("addresses", "street"), "[0-9]{1,3} [A-Z][a-z]{0,3}");
  strictEqual(pattern("products", "sku"), "SKU\\-[0-9A-Za-z]{0,8}");
  strictEqual(pattern("products", "code"), "[A-Z]{3}[0-9]{2}");
  strictEqual(pattern("products", "label"), "(distincts)");
  // Lengthened to char_length(pin) >= 4, shortened to varchar(6).
  strictEqual(pattern("products", "pin"), "[0-9]{4,6}");
  strictEqual(pattern("products", "symbols"), "[ -/:-@\\[-`{-~]{1,4}");
  strictEqual(pattern("products", "version"), "v(1|)\\.[0-9]");
  // An IN list keeps the entries the pattern matches.
  deepStrictEqual(column(spec, "products", "kind"), {
    method: "distincts",
    values: ["A1", "C3"],
    type: "text",
    null_fraction: 0.1,
    not_null: false,
  });
  // char(8): exactly 8 characters.
  strictEqual(pattern("products", "batch"), "B_[0-9A-Za-z]{6}");
  // A domain's CHECK, within its varchar(10).
  strictEqual(pattern("products", "item"), "[A-Z]{3}\\-[0-9]{1,6}");
  strictEqual(pattern("products", "ref"), "R%[0-9A-Za-z][0-9A-Za-z]{0,8}");
  strictEqual(pattern("products", "tag"), "x[0-9A-Za-z]{0,4}");
  // char(3): exactly 3 characters, so the optional parts are drawn always.
  strictEqual(pattern("products", "grade"), "[A-F][+\\-][0-9]");
  // The spec says what the planned tables do.
  const fromSpec = compileTables(plannedTables(normalizeSpec(spec), 1000), { seed: SEED });
  const direct = compileTables(planned, { seed: SEED });
  for (const t of direct.tables) {
    strictEqual(await csvOf(fromSpec, t.name), await csvOf(direct, t.name), t.name);
  }
});

Deno.test("rows of the kernel keep every text CHECK, 10,000 per table", async () => {
  const { planned } = specFromSchema(KEPT, { rows: ROWS });
  const compiled = compileTables(planned, { seed: SEED });
  for (const [table, checks] of Object.entries(JS_CHECKS)) {
    const [header, ...rows] = parseCsv(await csvOf(compiled, table, { header: true }));
    strictEqual(rows.length, ROWS, table);
    for (const [name, check] of Object.entries(checks)) {
      const at = header!.indexOf(name);
      const values = rows.map((r) => r[at]!).filter((v) => v !== null);
      ok(values.length > ROWS / 2, `${table}.${name} is mostly set`);
      const broken = values.filter((v) => !check(v));
      deepStrictEqual(broken.slice(0, 5), [], `${table}.${name}`);
      ok(new Set(values).size >= 2, `${table}.${name} varies`);
    }
  }
});

Deno.test({
  name: "PostgreSQL loads 10,000 derived rows per table under the real text CHECKs, with no row breaking one",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await assertChecksHoldInPostgres(KEPT, ROWS, SEED, async (count, sql) => {
      strictEqual(
        await count(
          "SELECT count(*)::int AS n FROM products WHERE NOT ((item)::text ~ '^[A-Z]{3}-[0-9]+$')",
        ),
        0,
      );
      // Varied values, both forms of a postal code, full-length char(n).
      ok(await count("SELECT count(DISTINCT email)::int AS n FROM contacts") > 5000);
      ok(await count("SELECT count(DISTINCT postal_code)::int AS n FROM addresses") > 5000);
      ok(await count("SELECT count(*)::int AS n FROM addresses WHERE length(postal_code) = 10") > 1000);
      ok(await count("SELECT count(*)::int AS n FROM addresses WHERE length(postal_code) = 5") > 1000);
      ok(await count("SELECT count(DISTINCT country)::int AS n FROM addresses") > 600);
      strictEqual(await count("SELECT count(*)::int AS n FROM products WHERE octet_length(batch) <> 8"), 0);
      // As `--from-db` reads them back (pg_get_constraintdef: casts, `~~`, like_escape), every CHECK is kept alike.
      const read = await introspect((q, params) => sql.unsafe(q, params as never[]));
      const again = specFromSchema(read, { rows: ROWS });
      deepStrictEqual(again.warnings, []);
      const original = specFromSchema(KEPT, { rows: ROWS }).spec;
      for (const t of KEPT.tables) {
        for (const c of t.columns) {
          // The vocabulary is the schema file's, not the database's.
          if (c.vocabulary) continue;
          deepStrictEqual(
            column(again.spec, t.name, c.name),
            column(original, t.name, c.name),
            `${t.name}.${c.name}`,
          );
        }
      }
    });
  },
});

Deno.test("text CHECKs that cannot be read still warn exactly as before, and leave the columns be", () => {
  const checks = [
    { name: "backref", expression: "a ~ '^(x)\\1$'" },
    { name: "upper", expression: "upper(b) = b" },
    { name: "negated", expression: "c !~ '^x'" },
    { name: "not like", expression: "d NOT LIKE 'x%'" },
    { name: "similar", expression: "e SIMILAR TO 'x%'" },
    { name: "posix", expression: "f ~ '^[[:foo:]]+$'" },
    { name: "boundary", expression: "g ~ '\\mword\\M'" },
    { name: "number", expression: "((n)::text ~ '^[0-9]+$'::text)" },
    { name: "or", expression: "h ~ '^x' OR h IS NULL" },
  ];
  const columns = [..."abcdefgh"].map((name) => ({ name, type: "text" }));
  const table = (withChecks: boolean): Schema => ({
    name: "w",
    types: [{
      name: "lookahead",
      kind: "domain",
      base: "text",
      checks: withChecks ? ["VALUE ~ '(?=x)x'"] : [],
    }],
    tables: [{
      name: "t",
      columns: [...columns, { name: "n", type: "integer" }, { name: "l", type: "lookahead" }],
      ...(withChecks ? { checks } : {}),
    }],
  });
  const { spec, warnings } = specFromSchema(table(true), { rows: 20 });
  deepStrictEqual(warnings, [
    "domain lookahead, check (VALUE ~ '(?=x)x'): not a form bounds are derived from; generated values may violate it",
    ...checks.map((c) =>
      `table "t", check ${
        JSON.stringify(c.name)
      } (${c.expression}): not a form bounds are derived from; generated rows may violate it`
    ),
  ]);
  deepStrictEqual(spec.tables.t!.columns, specFromSchema(table(false), { rows: 20 }).spec.tables.t!.columns);
});

Deno.test("text CHECKs on keys, references and inside arrays are warned about, not silently broken", () => {
  const schema: Schema = {
    name: "w",
    types: [
      { name: "upper_code", kind: "domain", base: "varchar(8)", checks: ["VALUE ~ '^[A-Z]+$'"] },
      { name: "code_list", kind: "domain", base: "upper_code[]" },
      { name: "digits", kind: "domain", base: "integer", checks: ["(VALUE)::text ~ '^[1-9]'"] },
    ],
    tables: [
      {
        name: "parent",
        primaryKey: ["code"],
        columns: [{ name: "code", type: "text" }, { name: "codes", type: "upper_code[]" }, {
          name: "n",
          type: "digits",
        }],
        checks: [{ name: "code_format", expression: "code ~ '^[A-Z]{3}$'" }],
      },
      {
        name: "child",
        columns: [{ name: "parent_code", type: "text" }, { name: "list", type: "code_list" }],
        foreignKeys: [{ columns: ["parent_code"], references: { table: "parent", columns: ["code"] } }],
        checks: [{ name: "parent_code_format", expression: "parent_code LIKE 'P%'" }],
      },
    ],
  };
  const { spec, warnings } = specFromSchema(schema, { rows: 20 });
  deepStrictEqual(warnings, [
    `table "parent", check "code_format" (code ~ '^[A-Z]{3}$'): table "parent", column "code" is a key, made unique by construction rather than by its pattern; generated values may violate it`,
    "domain upper_code, check (VALUE ~ '^[A-Z]+$'): not a form bounds are derived from; generated values may violate it",
    "domain digits, check ((VALUE)::text ~ '^[1-9]'): not a form bounds are derived from; generated values may violate it",
    `table "child", check "parent_code_format" (parent_code LIKE 'P%'): table "child", column "parent_code" takes its values from "parent", which may not keep it`,
  ]);
  strictEqual(column(spec, "parent", "code").method, "unique_ids");
});

Deno.test("two text CHECKs on a column: matching words keep both, else one pattern and a warning", () => {
  const schema: Schema = {
    name: "w",
    tables: [{
      name: "t",
      columns: [{ name: "w", type: "text" }, { name: "c", type: "varchar(3)" }],
      checks: [
        { name: "w_letters", expression: "w ~ '^[a-z]+$'" },
        { name: "w_has_e", expression: "w LIKE '%e%'" },
        { name: "c_upper", expression: "c ~ '^[A-Z]+$'" },
        { name: "c_x", expression: "c LIKE 'X%'" },
      ],
    }],
  };
  const { spec, warnings } = specFromSchema(schema, { rows: 20 });
  deepStrictEqual(warnings, [
    `table "t", check "c_x" (c LIKE 'X%'): table "t", column "c" is drawn from one of its text patterns, not from all of them at once; generated values may violate it`,
  ]);
  const w = column(spec, "t", "w");
  if (w.method !== "distincts" || !Array.isArray(w.values)) throw new Error(`w is drawn by ${w.method}`);
  ok(w.values.length >= 64);
  ok(w.values.every((v) => typeof v === "string" && /^[a-z]*e[a-z]*$/.test(v)));
  deepStrictEqual(column(spec, "t", "c"), {
    method: "pattern",
    pattern: "[A-Z]{1,3}",
    type: "varchar(3)",
    null_fraction: 0.1,
    not_null: false,
  });
});
