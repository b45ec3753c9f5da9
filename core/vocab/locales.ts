/**
 * Per-locale vocabulary pools for `quarry data`: names, places, companies and
 * the like, built ahead of time from @faker-js/faker by
 * `core/vocab/build_locales.ts` and shipped as `configs/vocab/<locale>.json`.
 * The kernel picks an entry by index, so each pool is a plain string array.
 *
 * The files are imported statically, so bundles and workers need no read
 * permission.
 *
 * @module
 */
import en from "../../configs/vocab/en.json" with { type: "json" };
import de from "../../configs/vocab/de.json" with { type: "json" };
import fr from "../../configs/vocab/fr.json" with { type: "json" };
import es from "../../configs/vocab/es.json" with { type: "json" };
import it from "../../configs/vocab/it.json" with { type: "json" };
import ptBR from "../../configs/vocab/pt_BR.json" with { type: "json" };
import nl from "../../configs/vocab/nl.json" with { type: "json" };
import pl from "../../configs/vocab/pl.json" with { type: "json" };
import sv from "../../configs/vocab/sv.json" with { type: "json" };
import ja from "../../configs/vocab/ja.json" with { type: "json" };

/**
 * Every pool a locale file holds. Pools that are parallel (same length, entry
 * `i` of each describing one thing): `first_name`/`first_name_slug`,
 * `last_name`/`last_name_slug`, and `country`/`country_code`/`currency_code`.
 * Slugs are `[a-z0-9]+` pieces for email local parts; `phone_pattern` holds
 * regexes in the subset the `pattern` method reads.
 */
export const POOL_NAMES = [
  "first_name",
  "first_name_slug",
  "last_name",
  "last_name_slug",
  "email_domain",
  "city",
  "street_address",
  "country",
  "country_code",
  "currency_code",
  "company",
  "job_title",
  "product_name",
  "product_category",
  "word",
  "sentence",
  "user_agent",
  "phone_pattern",
] as const;

/** A pool's name. */
export type PoolName = typeof POOL_NAMES[number];

/** How a locale file was built. */
export interface LocaleMeta {
  /** The locale, as in the file name (`pt_BR`). */
  locale: string;
  /** The @faker-js/faker version the pools come from. */
  faker: string;
  /** The seed they were drawn with. */
  seed: number;
  /** Pools drawn with en data, in whole or in part, because faker's locale lacks it. */
  fallbacks: string[];
}

/** The contents of one locale file. */
export type LocaleFile = { _meta: LocaleMeta } & Record<PoolName, string[]>;

const FILES: Readonly<Record<string, LocaleFile>> = { en, de, fr, es, it, pt_BR: ptBR, nl, pl, sv, ja };

for (const file of Object.values(FILES)) {
  Object.freeze(file._meta.fallbacks);
  Object.freeze(file._meta);
  for (const pool of POOL_NAMES) Object.freeze(file[pool]);
}

/**
 * The shipped locales, `en` first.
 *
 * @returns Locale names as `localePool` accepts them (`pt_BR`, not `pt-BR`).
 *
 * @example Listing locales
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { localeNames } from "./locales.ts";
 *
 * equal(localeNames()[0], "en");
 * ok(localeNames().includes("pt_BR"));
 * ```
 */
export function localeNames(): string[] {
  return Object.keys(FILES);
}

/**
 * Whether a locale is shipped.
 *
 * @param name A locale name such as `de` or `pt_BR`.
 * @returns True when `localePool` accepts it.
 *
 * @example Checking a locale
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { hasLocale } from "./locales.ts";
 *
 * ok(hasLocale("de"));
 * ok(!hasLocale("klingon"));
 * ```
 */
export function hasLocale(name: string): boolean {
  return Object.hasOwn(FILES, name);
}

/**
 * One pool of a locale. The array is frozen and shared.
 *
 * @param locale A locale from {@link localeNames}.
 * @param pool A name from {@link POOL_NAMES}.
 * @returns The pool's entries, sorted and distinct (parallel pools excepted).
 * @throws {RangeError} For an unknown locale or pool, naming the known ones and the nearest.
 *
 * @example Picking a German city
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { localePool } from "./locales.ts";
 *
 * const cities = localePool("de", "city");
 * ok(cities.includes("Aachen"));
 * ```
 *
 * @example A misspelt pool
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { localePool } from "./locales.ts";
 *
 * throws(() => localePool("en", "citys"), /RangeError: Unknown pool "citys"; did you mean "city"\?/);
 * ```
 */
export function localePool(locale: string, pool: string): readonly string[] {
  return file(locale)[known("pool", pool, POOL_NAMES)];
}

/**
 * How a locale file was built: faker version, seed, and which pools fell
 * back to en data.
 *
 * @param locale A locale from {@link localeNames}.
 * @returns The file's `_meta`, frozen.
 * @throws {RangeError} For an unknown locale.
 *
 * @example Finding en fallbacks
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { localeMeta } from "./locales.ts";
 *
 * equal(localeMeta("en").fallbacks.length, 0);
 * equal(localeMeta("de").locale, "de");
 * ```
 */
export function localeMeta(locale: string): Readonly<LocaleMeta> {
  return file(locale)._meta;
}

function file(locale: string): LocaleFile {
  return FILES[known("locale", locale, localeNames())]!;
}

/** `name` if it is one of `names`; else a RangeError naming them and the nearest. */
function known<T extends string>(kind: string, name: string, names: readonly T[]): T {
  if ((names as readonly string[]).includes(name)) return name as T;
  const key = (s: string) => s.toLowerCase().replaceAll("-", "_");
  let nearest = names[0]!;
  let best = Infinity;
  for (const candidate of names) {
    const d = distance(key(name), key(candidate));
    if (d < best) [nearest, best] = [candidate, d];
  }
  const hint = best <= Math.max(2, name.length / 2) ? `; did you mean "${nearest}"?` : ".";
  throw new RangeError(`Unknown ${kind} "${name}"${hint} Known ${kind}s: ${names.join(", ")}`);
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    row = next;
  }
  return row[b.length]!;
}
