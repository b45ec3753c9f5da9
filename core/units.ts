/**
 * The suffixes Quarry's counts and sizes take, wherever they are read
 * (`--count 10M`, `--rotate 100MB`, a config's `rss_above: 2GiB`): one
 * table, so every flag and key means the same by the same letters.
 *
 * @module
 */

/** Count suffixes, lower-cased: `10k`, `5M`, `1B` (a billion; `g` too). */
export const COUNT_SUFFIX: Readonly<Record<string, number>> = { "": 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9 };

/** Byte suffixes, lower-cased: decimal (`kb`, `mb`…) and binary (`kib`, `mib`…). */
export const BYTE_SUFFIX: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
