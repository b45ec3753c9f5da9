/**
 * Reading the figures of monitoring settings, from flags and config files
 * alike: durations (`10s`, `500ms`), rates (`500k` statements/s), sizes
 * (`4GiB`) and ratios (`1%`, `0.01`). Each returns the number, or a message
 * saying what was expected.
 *
 * @module
 */
import { BYTE_SUFFIX, COUNT_SUFFIX } from "../units.ts";

const SCALE = COUNT_SUFFIX;
const BYTES: Readonly<Record<string, number>> = { "": 1, ...BYTE_SUFFIX };

const NUMBER = "(\\d[\\d_]*(?:\\.\\d+)?)";

function numberOf(text: string): number {
  return Number(text.replaceAll("_", ""));
}

/**
 * Seconds from `10s`, `1.5s`, `500ms`, `2m`, `1h` or a bare number of seconds; above 0.
 *
 * @example
 * ```ts
 * import { parseDuration } from "./units.ts";
 * if (parseDuration("500ms") !== 0.5 || parseDuration(10) !== 10 || parseDuration("2m") !== 120) throw new Error();
 * if (typeof parseDuration("soon") !== "string") throw new Error();
 * ```
 */
export function parseDuration(v: unknown): number | string {
  const bad = `a duration like 10s, 500ms, 2m or 1h, not ${JSON.stringify(v)}`;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? v : bad;
  if (typeof v !== "string") return bad;
  const m = new RegExp(`^${NUMBER}(ms|s|m|h)?$`).exec(v.trim());
  if (!m) return bad;
  const n = numberOf(m[1]!) * (m[2] === "ms" ? 1e-3 : m[2] === "m" ? 60 : m[2] === "h" ? 3600 : 1);
  return n > 0 ? n : bad;
}

/**
 * Statements per second from `500000`, `500k`, `1.5M`.
 *
 * @example
 * ```ts
 * import { parseRate } from "./units.ts";
 * if (parseRate("1.5M") !== 1.5e6 || parseRate(2000) !== 2000) throw new Error();
 * ```
 */
export function parseRate(v: unknown): number | string {
  const bad = `a rate in statements/s like 500k or 2M, not ${JSON.stringify(v)}`;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? v : bad;
  if (typeof v !== "string") return bad;
  const m = new RegExp(`^${NUMBER}([kmgb]?)$`, "i").exec(v.trim());
  if (!m) return bad;
  const n = numberOf(m[1]!) * SCALE[m[2]!.toLowerCase()]!;
  return n > 0 ? n : bad;
}

/**
 * Bytes from `4GiB`, `512MB`, `1.5GiB` or a bare number of bytes.
 *
 * @example
 * ```ts
 * import { parseBytes } from "./units.ts";
 * if (parseBytes("4GiB") !== 4 * 2 ** 30 || parseBytes("512MB") !== 512e6) throw new Error();
 * ```
 */
export function parseBytes(v: unknown): number | string {
  const bad = `a size like 4GiB or 512MB, not ${JSON.stringify(v)}`;
  if (typeof v === "number") return Number.isFinite(v) && v > 0 ? v : bad;
  if (typeof v !== "string") return bad;
  const m = new RegExp(`^${NUMBER}\\s*([a-z]*)$`, "i").exec(v.trim());
  const unit = m?.[2]?.toLowerCase() ?? "";
  if (!m || !(unit in BYTES)) return bad;
  const n = Math.round(numberOf(m[1]!) * BYTES[unit]!);
  return n > 0 ? n : bad;
}

/**
 * A ratio from 0 to 1 from `0.01` or `1%`.
 *
 * @example
 * ```ts
 * import { parseRatio } from "./units.ts";
 * if (parseRatio("2.5%") !== 0.025 || parseRatio(0.1) !== 0.1 || typeof parseRatio(3) !== "string") throw new Error();
 * ```
 */
export function parseRatio(v: unknown): number | string {
  const bad = `a share of attempts like 1% or 0.01 (from 0 to 1), not ${JSON.stringify(v)}`;
  let n: number;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") {
    const m = new RegExp(`^${NUMBER}\\s*%$`).exec(v.trim());
    if (!m) return bad;
    n = numberOf(m[1]!) / 100;
  } else return bad;
  return Number.isFinite(n) && n >= 0 && n <= 1 ? n : bad;
}
