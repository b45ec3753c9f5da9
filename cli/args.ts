/**
 * Flag parsing on top of node:util's parseArgs, turning its errors into
 * UsageErrors and reading counts like `10M`.
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.ts";
import { parseSeed, randomSeed, type Seed } from "../core/seed.ts";
import { parseDuration } from "../core/monitor/units.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `argv` strictly; unknown flags, missing values and more than
 * `maxPositionals` arguments are UsageErrors.
 */
export function parseFlags<T extends Options>(
  argv: string[],
  options: T,
  command: string,
  maxPositionals = 0,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  // parseArgs reads "--count -5" as a missing value; name the real problem.
  for (let i = 0; i + 1 < argv.length; i++) {
    const flag = argv[i]!;
    const option = Object.entries(options).find(([long, o]) =>
      flag === `--${long}` || flag === `-${o.short}`
    );
    if (option?.[1].type === "string" && /^-\d/.test(argv[i + 1]!)) {
      throw new UsageError(
        `--${option[0]} takes no negative values (got ${argv[i + 1]})`,
        `see 'quarry ${command} --help'`,
      );
    }
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    if (positionals.length > maxPositionals && !(values as Record<string, unknown>).help) {
      throw new UsageError(
        `unexpected argument "${positionals[maxPositionals]}"`,
        `see 'quarry ${command} --help'`,
      );
    }
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const msg = (e as Error).message
      .replace(/\. To specify a positional argument.*$/s, "")
      .split("\n")
      .map((l) => l.trim().replace(/\.$/, ""))
      .filter((l) => l.length > 0)
      .join("; ");
    throw new UsageError(msg, `see 'quarry ${command} --help'`);
  }
}

const SUFFIX: Record<string, bigint> = { k: 1000n, m: 1000000n, b: 1000000000n, g: 1000000000n };

/**
 * Reads a non-negative whole number: digits with optional `_` separators and
 * an optional k/M/B suffix (10k = 10,000).
 *
 * @example
 * ```ts
 * import { parseCount } from "./args.ts";
 * if (parseCount("2M", "--count") !== 2000000n || parseCount("1_000", "--count") !== 1000n) throw new Error();
 * ```
 */
export function parseCount(text: string, flag: string): bigint {
  const m = /^(\d[\d_]*)([kKmMbBgG]?)$/.exec(text.trim());
  if (!m) {
    throw new UsageError(`${flag} must be a whole number of 0 or more, like 1000 or 10M (got "${text}")`);
  }
  return BigInt(m[1]!.replaceAll("_", "")) * (SUFFIX[m[2]!.toLowerCase()] ?? 1n);
}

/**
 * Reads how long a run goes: `--count N` statements (`fallback` when neither
 * is given) or `--duration T` (seconds, or 10s, 5m…), never both.
 */
export function readExtent(
  countText: string | undefined,
  durationText: string | undefined,
  fallback: bigint,
): { count: bigint | undefined; durationMs: number | undefined } {
  if (countText !== undefined && durationText !== undefined) {
    throw new UsageError("give --count or --duration, not both");
  }
  if (durationText === undefined) {
    return {
      count: countText === undefined ? fallback : parseCount(countText, "--count"),
      durationMs: undefined,
    };
  }
  const d = parseDuration(durationText);
  if (typeof d === "string") throw new UsageError(`--duration must be ${d}`);
  return { count: undefined, durationMs: d * 1000 };
}

/** Reads --seed, or draws a fresh one. */
export function readSeed(text: string | undefined): Seed {
  if (text === undefined) return randomSeed();
  const seed = parseSeed(text);
  if (typeof seed === "string") throw new UsageError(seed);
  return seed;
}

/** Reads --workers [default: the CPU count, at most 64]. */
export function readWorkers(text: string | undefined): number {
  if (text === undefined) return Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 64));
  const n = parseCount(text, "--workers");
  if (n < 1n || n > 256n) throw new UsageError(`--workers must be from 1 to 256 (got ${text})`);
  return Number(n);
}
