/**
 * Builds the per-locale vocabulary pools that `quarry data` draws text values
 * from, and writes them to `configs/vocab/<locale>.json`. The kernel picks an
 * entry by index, so every pool is a plain, sorted, deduplicated string array;
 * `core/vocab/locales.ts` loads the files.
 *
 * Each pool is drawn from faker's own data for the locale, seeded with
 * {@link SEED} and the pool's name, so a pool does not shift when another
 * changes. Faker's per-locale instances (`fakerDE` is `new Faker({ locale:
 * [de, en, base] })`) quietly borrow en's data for anything the locale lacks;
 * to know when that happens, a pool is first drawn from an instance holding
 * only the locale's data and faker's locale-free `base`. If that instance
 * reports missing data, the pool is drawn from an instance built like the
 * per-locale one instead and named in `_meta.fallbacks`: it holds en data in
 * whole or in part. Instances are built here rather than reseeding faker's
 * shared ones, so `buildLocale` leaves no state behind.
 *
 * Text is kept as it is: apostrophes, commas, quotes and non-ASCII letters
 * are wanted (output formats escape them). Only control and format
 * characters and line breaks are refused. Faker's en names and cities are
 * ASCII, so a few real ones with diacritics and apostrophes are added to the
 * en pools ({@link EN_EXTRAS}).
 *
 * Usage: `deno task vocab:locales` (Requires `--allow-write=configs/vocab`).
 *
 * @module
 */
import { allLocales, base, en, Faker, FakerError, type LocaleDefinition } from "@faker-js/faker";
// Types only: the loader imports the JSON files this script writes.
import type { LocaleFile, PoolName } from "./locales.ts";

/** The faker version the pools come from; the import map pins the same one. */
export const FAKER_VERSION = "10.6.0";

/** The seed every pool is drawn with (combined with the pool's name). */
export const SEED = 20260517;

/** The locales built, in the order their files are written. */
export const LOCALES = ["en", "de", "fr", "es", "it", "pt_BR", "nl", "pl", "sv", "ja"] as const;

/** A built locale. */
export type Locale = typeof LOCALES[number];

const NAMES = 1000;
const POOL = 1000;
const SENTENCES = 500;
const USER_AGENTS = 300;

/**
 * Real names and US places with apostrophes and diacritics, added to en's
 * pools so en data exercises escaping and slug folding too.
 */
export const EN_EXTRAS: Readonly<Record<"first_name" | "last_name" | "city", readonly string[]>> = {
  first_name: ["André", "Chloé", "José", "Renée", "Zoë"],
  last_name: ["Müller", "Nguyễn", "Núñez", "O'Brien", "Peña"],
  city: ["Cañon City", "Coeur d'Alene", "Española", "O'Fallon"],
};

/** RFC 2606 domains from faker's en data, added to every locale's free-mail domains. */
const EXAMPLE_DOMAINS: readonly string[] = en.internet?.example_email ?? [];

/** Letters NFD does not decompose, folded by hand for slugs. */
const FOLD: Readonly<Record<string, string>> = {
  "ß": "ss",
  "æ": "ae",
  "œ": "oe",
  "ø": "o",
  "ł": "l",
  "đ": "d",
  "ð": "d",
  "þ": "th",
  "ı": "i",
  "ħ": "h",
  "ŧ": "t",
  "ŋ": "ng",
};

/**
 * About 60 countries as [ISO 3166 alpha-2, ISO 4217 currency]. Faker has
 * localized country names but no codes or currencies; names come from
 * `Intl.DisplayNames`.
 */
const COUNTRIES: readonly (readonly [string, string])[] = [
  ["AE", "AED"],
  ["AR", "ARS"],
  ["AT", "EUR"],
  ["AU", "AUD"],
  ["BE", "EUR"],
  ["BR", "BRL"],
  ["CA", "CAD"],
  ["CH", "CHF"],
  ["CI", "XOF"],
  ["CL", "CLP"],
  ["CN", "CNY"],
  ["CO", "COP"],
  ["CZ", "CZK"],
  ["DE", "EUR"],
  ["DK", "DKK"],
  ["EG", "EGP"],
  ["ES", "EUR"],
  ["FI", "EUR"],
  ["FR", "EUR"],
  ["GB", "GBP"],
  ["GR", "EUR"],
  ["HK", "HKD"],
  ["HR", "EUR"],
  ["HU", "HUF"],
  ["ID", "IDR"],
  ["IE", "EUR"],
  ["IL", "ILS"],
  ["IN", "INR"],
  ["IS", "ISK"],
  ["IT", "EUR"],
  ["JP", "JPY"],
  ["KE", "KES"],
  ["KR", "KRW"],
  ["LU", "EUR"],
  ["MA", "MAD"],
  ["MX", "MXN"],
  ["MY", "MYR"],
  ["NG", "NGN"],
  ["NL", "EUR"],
  ["NO", "NOK"],
  ["NZ", "NZD"],
  ["PE", "PEN"],
  ["PH", "PHP"],
  ["PK", "PKR"],
  ["PL", "PLN"],
  ["PT", "EUR"],
  ["QA", "QAR"],
  ["RO", "RON"],
  ["RS", "RSD"],
  ["SA", "SAR"],
  ["SE", "SEK"],
  ["SG", "SGD"],
  ["TH", "THB"],
  ["TR", "TRY"],
  ["TW", "TWD"],
  ["UA", "UAH"],
  ["US", "USD"],
  ["UY", "UYU"],
  ["VN", "VND"],
  ["ZA", "ZAR"],
];

/**
 * Folds a name to an email-safe slug: lowercase, diacritics removed (NFD and
 * combining marks stripped, `ß`→`ss`, `ł`→`l`, ...), then only `[a-z0-9]`
 * kept. Returns `""` for a name with no Latin letters or digits.
 *
 * @param name The name to fold.
 * @returns The slug, possibly empty.
 *
 * @example Folding names
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { slug } from "./build_locales.ts";
 *
 * equal(slug("Müller-Lüdenscheidt"), "mullerludenscheidt");
 * equal(slug("O'Brien"), "obrien");
 * equal(slug("Łukasz Weiß"), "lukaszweiss");
 * equal(slug("中村"), "");
 * ```
 */
export function slug(name: string): string {
  let folded = "";
  for (const ch of name.toLowerCase()) folded += FOLD[ch] ?? ch;
  return folded.normalize("NFD").replace(/\p{M}/gu, "").replace(/[^a-z0-9]/g, "");
}

/**
 * Converts a faker phone format (`#` any digit, `!` a digit 2-9, anything
 * else literal) to the regex subset Quarry's `pattern` method reads: literals
 * (metacharacters escaped), `\d`, `[2-9]` and `{n}` counts.
 *
 * @param format A faker phone format such as `(!##) !##-####`.
 * @returns The pattern, e.g. `\([2-9]\d{2}\) [2-9]\d{2}-\d{4}`.
 *
 * @example Converting US formats
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { phonePattern } from "./build_locales.ts";
 *
 * equal(phonePattern("###-###-####"), "\\d{3}-\\d{3}-\\d{4}");
 * equal(phonePattern("+1 (!##) !##.####"), "\\+1 \\([2-9]\\d{2}\\) [2-9]\\d{2}\\.\\d{4}");
 * ```
 */
export function phonePattern(format: string): string {
  let out = "";
  for (const [run, ch] of format.matchAll(/([#!])\1*|[^#!]/g)) {
    if (ch === "#" || ch === "!") {
      out += (ch === "#" ? "\\d" : "[2-9]") + (run.length > 1 ? `{${run.length}}` : "");
    } else if (run === "{" || run === "}") {
      throw new RangeError(`Faker phone format "${format}" has a placeholder; only # and ! are supported`);
    } else {
      out += run.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
    }
  }
  return out;
}

/** An entry as it goes into a pool, or undefined when it cannot. */
function clean(value: string): string | undefined {
  const v = value.replace(/\s+/g, " ").trim();
  if (v === "" || v.length > 200 || !v.isWellFormed() || /[\p{Cc}\p{Cf}]/u.test(v)) return undefined;
  return v;
}

/** Distinct, sorted (by UTF-16 code unit, so locale-independent) entries. */
function distinct(values: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const v = clean(value);
    if (v !== undefined) seen.add(v);
  }
  return [...seen].sort();
}

/**
 * Draws until `size` distinct entries are found, or until the source looks
 * exhausted (a long run of repeats), for locales with less data.
 */
function collect(make: () => string, size: number, keep: (v: string) => boolean = () => true): string[] {
  const seen = new Set<string>();
  for (let tries = 0, stale = 0; seen.size < size && tries < size * 40 && stale < 5000; tries++) {
    const v = clean(make());
    if (v === undefined || !keep(v) || seen.has(v)) {
      stale++;
    } else {
      seen.add(v);
      stale = 0;
    }
  }
  return [...seen].sort();
}

/** 32-bit FNV-1a of a pool name, so each pool has its own seeded stream. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h;
}

/** Slugs for names, `fallback` + index where a name folds to nothing. */
function slugs(names: readonly string[], fallback: string): string[] {
  return names.map((name, i) => slug(name) || `${fallback}${i}`);
}

const LATIN_LOREM = new Set(en.lorem?.word ?? []);

/**
 * A word: the locale's nouns, adjectives, verbs and adverbs, as many kinds as
 * it has; else its lorem words when they are in its language (faker's lorem
 * is Latin in most locales, Japanese in ja).
 */
function words(f: Faker): string[] {
  const w = f.rawDefinitions.word;
  const kinds = [
    w?.noun ? () => f.word.noun() : undefined,
    w?.adjective ? () => f.word.adjective() : undefined,
    w?.verb ? () => f.word.verb() : undefined,
    w?.adverb ? () => f.word.adverb() : undefined,
  ].filter((k) => k !== undefined);
  // One token each; ja's lorem also lists affixes such as `〜系`.
  const noSpace = (v: string) => !v.includes(" ") && !v.includes("〜");
  if (kinds.length > 0) return collect(() => f.helpers.arrayElement(kinds)(), POOL, noSpace);
  const lorem = f.rawDefinitions.lorem?.word ?? [];
  if (lorem.length > 0 && !lorem.some((x) => LATIN_LOREM.has(x))) {
    return collect(() => f.lorem.word(), POOL, noSpace);
  }
  throw new FakerError("The locale data for 'word' are missing in this locale.");
}

/** Country names for `locale` in {@link COUNTRIES} order. */
function countryNames(locale: Locale): string[] {
  const names = new Intl.DisplayNames([locale.replace("_", "-")], { type: "region", fallback: "none" });
  return COUNTRIES.map(([code]) => {
    const name = names.of(code);
    if (name === undefined) throw new RangeError(`Intl has no ${locale} name for region ${code}`);
    return name;
  });
}

/**
 * Builds one locale's pools. Pure: the same faker version, seed and ICU data
 * give the same result, which is what the shipped file holds.
 *
 * @param locale One of {@link LOCALES}.
 * @returns The file's contents, `_meta` first and pools in a fixed order.
 *
 * @example Building the German pools
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { buildLocale } from "./build_locales.ts";
 *
 * const de = buildLocale("de");
 * equal(de._meta.locale, "de");
 * equal(de.first_name.length, de.first_name_slug.length);
 * ```
 */
export function buildLocale(locale: Locale): LocaleFile {
  const own: LocaleDefinition = allLocales[locale];
  const fallbacks: string[] = [];
  const draw = (pool: string, make: (f: Faker) => string[]): string[] => {
    const seeded = (f: Faker) => (f.seed([SEED, fnv1a(pool)]), f);
    try {
      return make(seeded(new Faker({ locale: [own, base] })));
    } catch (e) {
      if (!(e instanceof FakerError) || locale === "en") throw e;
      fallbacks.push(pool);
      return make(seeded(new Faker({ locale: [own, en, base] })));
    }
  };
  const extras = (pool: keyof typeof EN_EXTRAS, values: string[]) =>
    locale === "en" ? distinct([...values, ...EN_EXTRAS[pool]]) : values;

  const firstName = extras(
    "first_name",
    draw("first_name", (f) => collect(() => f.person.firstName(), NAMES)),
  );
  const lastName = extras("last_name", draw("last_name", (f) => collect(() => f.person.lastName(), NAMES)));
  const pools: Record<PoolName, string[]> = {
    first_name: firstName,
    first_name_slug: slugs(firstName, "user"),
    last_name: lastName,
    last_name_slug: slugs(lastName, "user"),
    email_domain: draw(
      "email_domain",
      (f) => distinct([...f.definitions.internet.free_email, ...EXAMPLE_DOMAINS]),
    ),
    city: extras("city", draw("city", (f) => collect(() => f.location.city(), POOL))),
    street_address: draw(
      "street_address",
      (f) => collect(() => f.location.streetAddress(f.datatype.boolean(0.3)), POOL),
    ),
    country: countryNames(locale),
    country_code: COUNTRIES.map(([code]) => code),
    currency_code: COUNTRIES.map(([, currency]) => currency),
    company: draw("company", (f) => collect(() => f.company.name(), POOL)),
    job_title: draw("job_title", (f) => collect(() => f.person.jobTitle(), POOL)),
    product_name: draw("product_name", (f) => collect(() => f.commerce.productName(), POOL)),
    product_category: draw("product_category", (f) => collect(() => f.commerce.department(), POOL)),
    word: draw("word", words),
    sentence: draw("sentence", (f) => collect(() => f.lorem.sentence({ min: 3, max: 10 }), SENTENCES)),
    user_agent: draw("user_agent", (f) => collect(() => f.internet.userAgent(), USER_AGENTS)),
    phone_pattern: draw(
      "phone_pattern",
      (f) => distinct(Object.values(f.definitions.phone_number.format).flat().map(phonePattern)),
    ),
  };
  return { _meta: { locale, faker: FAKER_VERSION, seed: SEED, fallbacks }, ...pools };
}

/**
 * The text of a locale file: one entry per line, indented as `deno fmt`
 * writes JSON so the repository's format check passes on it.
 *
 * @param vocabulary What {@link buildLocale} returned.
 * @returns The JSON text written to `configs/vocab/<locale>.json`.
 *
 * @example Serializing
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { buildLocale, serialize } from "./build_locales.ts";
 *
 * ok(serialize(buildLocale("sv")).startsWith('{\n  "_meta": {\n    "locale": "sv",'));
 * ```
 */
export function serialize(vocabulary: LocaleFile): string {
  return JSON.stringify(vocabulary, null, 2) + "\n";
}

if (import.meta.main) {
  const dir = new URL("../../configs/vocab/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  for (const locale of LOCALES) {
    const vocabulary = buildLocale(locale);
    const text = serialize(vocabulary);
    await Deno.writeTextFile(new URL(`${locale}.json`, dir), text);
    const sizes = Object.entries(vocabulary).flatMap(([k, v]) =>
      Array.isArray(v) ? [`${k}=${v.length}`] : []
    );
    const { fallbacks } = vocabulary._meta;
    console.error(
      `${locale}.json ${(new TextEncoder().encode(text).length / 1024).toFixed(0)} KiB (${sizes.join(" ")})` +
        (fallbacks.length ? ` en for: ${fallbacks.join(", ")}` : ""),
    );
  }
}
