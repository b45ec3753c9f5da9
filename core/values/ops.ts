/**
 * Encoders for the value model's kernel objects: value lists, distributions
 * and value ops, written into an image in the layout `wasm/assembly/value_ops.ts`
 * describes. Nothing here formats a value: the kernel does.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import type { ImageBuilder } from "./image.ts";
import { writeAliasTable } from "./alias.ts";

/** A distribution as the kernel reads it. */
export type KernelDistribution =
  | { type: "uniform" }
  | { type: "normal"; mean: number; stddev: number }
  | { type: "lognormal"; mu: number; sigma: number }
  | { type: "exponential"; rate: number }
  | { type: "poisson"; lambda: number }
  | { type: "zipf"; exponent: number }
  | { type: "weighted"; weights: readonly number[] };

/** Writes a distribution record; returns its address (0 for uniform). */
export function writeDistribution(image: ImageBuilder, d: KernelDistribution | undefined): number {
  if (!d || d.type === "uniform") return 0;
  const at = image.alloc(24, 8);
  const set = (type: number, p0 = 0, p1 = 0) => {
    image.i32(at, type);
    image.f64(at + 8, p0);
    image.f64(at + 16, p1);
  };
  switch (d.type) {
    case "normal":
      set(v.D_NORMAL, d.mean, d.stddev);
      break;
    case "lognormal":
      set(v.D_LOGNORMAL, d.mu, d.sigma);
      break;
    case "exponential":
      set(v.D_EXPONENTIAL, d.rate);
      break;
    case "poisson":
      set(v.D_POISSON, d.lambda);
      break;
    case "zipf":
      set(v.D_ZIPF, d.exponent);
      break;
    case "weighted":
      set(v.D_WEIGHTED);
      image.i32(at + 4, writeAliasTable(image, d.weights));
      break;
  }
  return at;
}

/**
 * Writes a value list: alias table (or 0 for uniform), n, raw flag, base,
 * then n (address, length) entries (null: a NULL value). `raw` values
 * (numbers, booleans) are written unquoted in JSON and SQL; a pick's choice
 * index is `base` plus its position (see values.ts).
 */
export function writeList(
  image: ImageBuilder,
  values: readonly (string | null)[],
  options: { weights?: readonly number[]; raw?: boolean; base?: number } = {},
): number {
  const alias = options.weights ? writeAliasTable(image, options.weights) : 0;
  const at = image.alloc(16 + values.length * 8, 8);
  image.i32(at, alias);
  image.u32(at + 4, values.length);
  image.i32(at + 8, options.raw ? 1 : 0);
  image.i32(at + 12, options.base ?? 0);
  values.forEach((s, i) => {
    // NULL is an entry of length 2^32 - 1.
    const [addr, len] = s === null ? [0, 0xffffffff] : image.text(s);
    image.i32(at + 16 + i * 8, addr);
    image.u32(at + 20 + i * 8, len);
  });
  return at;
}

/** One argument word (or pair of words) of a value op. */
export type OpArg =
  | number
  | { i64: bigint }
  | { f64: number };

/** A value op before encoding. */
export interface ValueOp {
  code: number;
  /** First register it writes. */
  reg: number;
  /** Fraction of rows where the value is NULL. */
  nullFraction: number;
  /** Mixed into the op's seed: a hash of the column name, so columns never share draws. */
  key: number;
  args: readonly OpArg[];
}

/** Words an op's arguments take. */
function argWords(args: readonly OpArg[]): number {
  return args.reduce<number>((n, a) => n + (typeof a === "number" ? 1 : 2), 0);
}

/** Writes a value op; returns its address. */
export function writeOp(image: ImageBuilder, op: ValueOp): number {
  const words = v.OP_ARGS + argWords(op.args);
  const at = image.alloc(words * 4, 8);
  image.i32(at, op.code);
  image.i32(at + 4, op.reg);
  image.u32(at + 8, nullThreshold(op.nullFraction));
  image.u32(at + 12, op.key);
  image.i32(at + 16, words);
  let w = at + v.OP_ARGS * 4;
  for (const a of op.args) {
    if (typeof a === "number") {
      image.i32(w, a);
      w += 4;
    } else if ("i64" in a) {
      image.i64(w, a.i64);
      w += 8;
    } else {
      image.f64(w, a.f64);
      w += 8;
    }
  }
  return at;
}

/** A fraction as the kernel's u32 threshold (0 = never). */
export function nullThreshold(fraction: number): number {
  if (!(fraction > 0)) return 0;
  return Math.min(2 ** 32 - 1, Math.round(fraction * 2 ** 32));
}

/** FNV-1a of a name: a stable key for tables and columns. */
export function nameKey(name: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(name)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
