import { deepStrictEqual as assertEquals, match, ok, throws } from "node:assert/strict";
import { allLocales, base, en, Faker } from "@faker-js/faker";
import importMap from "../../import_map.json" with { type: "json" };
import {
  buildLocale,
  EN_EXTRAS,
  FAKER_VERSION,
  LOCALES,
  phonePattern,
  SEED,
  serialize,
  slug,
} from "./build_locales.ts";
import { hasLocale, localeMeta, localeNames, localePool, POOL_NAMES } from "./locales.ts";

const dir = new URL("../../configs/vocab/", import.meta.url);
const text = (locale: string) => Deno.readTextFile(new URL(`${locale}.json`, dir));
const NON_ASCII = /[\u0080-\u{10ffff}]/u;
const PARALLEL = new Set(["first_name_slug", "last_name_slug", "country", "country_code", "currency_code"]);

Deno.test("the shipped locales are the built ones, each with _meta and every pool in order", async () => {
  assertEquals(localeNames(), [...LOCALES]);
  for (const locale of LOCALES) {
    const file = JSON.parse(await text(locale));
    assertEquals(Object.keys(file), ["_meta", ...POOL_NAMES], locale);
    assertEquals(Object.keys(file._meta), ["locale", "faker", "seed", "fallbacks"], locale);
    assertEquals(localeMeta(locale).locale, locale);
    assertEquals(localeMeta(locale).seed, SEED);
    for (const pool of localeMeta(locale).fallbacks) {
      ok((POOL_NAMES as readonly string[]).includes(pool), pool);
    }
    for (const pool of POOL_NAMES) ok(localePool(locale, pool).length > 0, `${locale}.${pool} is empty`);
  }
  assertEquals(localeMeta("en").fallbacks, []);
});

Deno.test("the faker version recorded is the one the import map pins", () => {
  assertEquals(importMap.imports["@faker-js/faker"], `npm:@faker-js/faker@${FAKER_VERSION}`);
  for (const locale of LOCALES) assertEquals(localeMeta(locale).faker, FAKER_VERSION);
});

Deno.test("rebuilding gives the shipped files byte for byte", async () => {
  for (const locale of LOCALES) {
    ok(
      serialize(buildLocale(locale)) === await text(locale),
      `${locale}.json is stale: run deno task vocab:locales`,
    );
  }
});

Deno.test("files stay under 600 KB", async () => {
  for (const locale of LOCALES) {
    const bytes = (await Deno.stat(new URL(`${locale}.json`, dir))).size;
    ok(bytes < 600_000, `${locale}.json is ${bytes} bytes`);
  }
});

Deno.test("entries are one-line well-formed text; pools are distinct and sorted", () => {
  for (const locale of LOCALES) {
    for (const pool of POOL_NAMES) {
      const entries = localePool(locale, pool);
      ok(entries.length <= 1000 + 5, `${locale}.${pool} has ${entries.length} entries`);
      for (const v of entries) {
        ok(typeof v === "string" && v !== "" && v === v.trim(), `${locale}.${pool}: ${JSON.stringify(v)}`);
        ok(
          v.isWellFormed() && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(v),
          `${locale}.${pool}: ${JSON.stringify(v)}`,
        );
      }
      if (!PARALLEL.has(pool)) assertEquals([...new Set(entries)].sort(), [...entries], `${locale}.${pool}`);
    }
  }
});

Deno.test("name and pool sizes: ~1000 names where faker has them, 200+ in the big pools", () => {
  assertEquals(localePool("en", "first_name").length, 1000 + EN_EXTRAS.first_name.length);
  assertEquals(localePool("de", "last_name").length, 1000);
  for (const locale of LOCALES) {
    for (const pool of ["street_address", "company", "job_title", "product_name", "sentence", "user_agent"]) {
      ok(localePool(locale, pool).length >= 200, `${locale}.${pool}`);
    }
  }
});

Deno.test("slugs align with names, are [a-z0-9]+, and fold diacritics", () => {
  for (const locale of LOCALES) {
    for (const names of ["first_name", "last_name"]) {
      const list = localePool(locale, names);
      const slugs = localePool(locale, `${names}_slug`);
      assertEquals(slugs.length, list.length, `${locale}.${names}`);
      slugs.forEach((s, i) => {
        match(s, /^[a-z0-9]+$/, `${locale}.${names}_slug[${i}]`);
        assertEquals(s, slug(list[i]!) || `user${i}`);
      });
    }
  }
  const enLast = localePool("en", "last_name");
  assertEquals(localePool("en", "last_name_slug")[enLast.indexOf("O'Brien")], "obrien");
  assertEquals(localePool("en", "last_name_slug")[enLast.indexOf("Nguyễn")], "nguyen");
  assertEquals(localePool("ja", "first_name_slug")[0], "user0");
});

Deno.test("slug folds diacritics and special letters and drops everything else", () => {
  assertEquals(slug("Müller"), "muller");
  assertEquals(slug("Weiß"), "weiss");
  assertEquals(slug("Ærø Søren"), "aerosoren");
  assertEquals(slug("Łódź"), "lodz");
  assertEquals(slug("São Paulo"), "saopaulo");
  assertEquals(slug("D'Angelo-Smith Jr."), "dangelosmithjr");
  assertEquals(slug("さくら"), "");
});

Deno.test("countries, codes and currencies are parallel and right", () => {
  const codes = localePool("en", "country_code");
  const currencies = localePool("en", "currency_code");
  assertEquals(new Set(codes).size, codes.length);
  const currencyOf = (code: string) => currencies[codes.indexOf(code)];
  assertEquals(["DE", "US", "JP", "GB", "BR", "CH"].map(currencyOf), [
    "EUR",
    "USD",
    "JPY",
    "GBP",
    "BRL",
    "CHF",
  ]);
  for (const locale of LOCALES) {
    const names = localePool(locale, "country");
    assertEquals(names.length, codes.length, locale);
    assertEquals(new Set(names).size, names.length, locale);
    assertEquals(localePool(locale, "country_code"), codes, locale);
    assertEquals(localePool(locale, "currency_code"), currencies, locale);
    for (const c of codes) match(c, /^[A-Z]{2}$/);
    for (const c of currencies) match(c, /^[A-Z]{3}$/);
  }
  const nameOf = (locale: string, code: string) => localePool(locale, "country")[codes.indexOf(code)];
  assertEquals(nameOf("de", "DE"), "Deutschland");
  assertEquals(nameOf("fr", "US"), "États-Unis");
  assertEquals(nameOf("ja", "JP"), "日本");
});

Deno.test("de has non-ASCII letters; en keeps apostrophes, commas and non-ASCII", () => {
  const has = (locale: string, pool: string, re: RegExp) => localePool(locale, pool).some((v) => re.test(v));
  for (const pool of ["last_name", "city", "street_address", "company"]) {
    ok(has("de", pool, NON_ASCII), pool);
  }
  ok(has("de", "street_address", /ß|ä|ö|ü/));
  ok(has("en", "last_name", /'/));
  ok(has("en", "first_name", NON_ASCII));
  ok(has("en", "city", /'/) && has("en", "city", NON_ASCII));
  ok(has("en", "company", /,/));
  ok(has("en", "country", NON_ASCII));
});

/** One atom (literal, escaped metacharacter, `\d`, `[a-b]`), optionally counted. */
const PATTERN_SUBSET =
  /^(?:(?:\\d|\\[\\^$.|?*+()[\]{}]|\[[0-9a-z]-[0-9a-z]\]|[^\\^$.|?*+()[\]{}])(?:\{\d+(?:,\d+)?\})?)+$/;

Deno.test("phone patterns use only the pattern subset and match faker's own phone numbers", () => {
  for (const locale of LOCALES) {
    const patterns = localePool(locale, "phone_pattern");
    for (const p of patterns) match(p, PATTERN_SUBSET, `${locale}: ${p}`);
    const res = patterns.map((p) => new RegExp(`^(?:${p})$`));
    const f = new Faker({ locale: [allLocales[locale], en, base], seed: SEED });
    for (const style of ["human", "national", "international"] as const) {
      for (let i = 0; i < 50; i++) {
        const number = f.phone.number({ style });
        ok(res.some((re) => re.test(number)), `${locale}: ${number} (${style}) matches no phone_pattern`);
      }
    }
  }
});

Deno.test("phonePattern converts faker formats and escapes metacharacters", () => {
  assertEquals(phonePattern("###-###-####"), String.raw`\d{3}-\d{3}-\d{4}`);
  assertEquals(phonePattern("(!##) !##-#### x###"), String.raw`\([2-9]\d{2}\) [2-9]\d{2}-\d{4} x\d{3}`);
  assertEquals(phonePattern("+49-!!#.#"), String.raw`\+49-[2-9]{2}\d\.\d`);
  throws(() => phonePattern("{{phone.number}}"), RangeError);
});

Deno.test("unknown locales and pools throw RangeError naming the known ones and the nearest", () => {
  ok(hasLocale("pt_BR") && !hasLocale("pt-BR") && !hasLocale("toString"));
  throws(() => localePool("pt-BR", "city"), (e: Error) => {
    ok(e instanceof RangeError);
    match(e.message, /^Unknown locale "pt-BR"; did you mean "pt_BR"\? Known locales: en, de, /);
    return true;
  });
  throws(() => localePool("en", "citys"), /did you mean "city"\?.*Known pools: first_name, /);
  throws(() => localePool("en", "zzzzzzzzzzzz"), /^RangeError: Unknown pool "zzzzzzzzzzzz"\. Known pools: /);
  throws(() => localeMeta("klingon"), RangeError);
});

Deno.test("pools are frozen", () => {
  ok(Object.isFrozen(localePool("en", "city")));
  ok(Object.isFrozen(localeMeta("de")));
  throws(() => (localePool("en", "city") as string[]).push("x"), TypeError);
});
