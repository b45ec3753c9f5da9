/**
 * Alias tables (Vose's method) for weighted picks in the kernel: one draw
 * picks a slot and flips its biased coin, whatever the number of choices.
 *
 * @module
 */
import type { ImageBuilder } from "./image.ts";

/**
 * The alias table of `weights` as [threshold (of 2^32), alias] pairs.
 *
 * @example
 * ```ts
 * import { aliasTable } from "./alias.ts";
 * const t = aliasTable([1, 1]);
 * if (t.length !== 2 || t[0]![0] !== 2 ** 32 - 1) throw new Error();
 * ```
 */
export function aliasTable(weights: readonly number[]): [number, number][] {
  const n = weights.length;
  const total = weights.reduce((a, b) => a + b, 0);
  if (n === 0 || !(total > 0)) throw new RangeError("an alias table needs positive weights");
  const scaled = weights.map((w) => (w * n) / total);
  const table: [number, number][] = weights.map((_, i) => [0, i]);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    table[s] = [Math.min(2 ** 32 - 1, Math.round(scaled[s]! * 2 ** 32)), l];
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) {
      large.pop();
      small.push(l);
    }
  }
  // What is left has probability 1 (up to rounding): always its own slot.
  for (const i of [...small, ...large]) table[i] = [2 ** 32 - 1, i];
  return table;
}

/** Writes an alias table (n, then n x (threshold, alias)); returns its address. */
export function writeAliasTable(image: ImageBuilder, weights: readonly number[]): number {
  const t = aliasTable(weights);
  const at = image.alloc(4 + t.length * 8, 8);
  image.u32(at, t.length);
  t.forEach(([thr, alias], i) => {
    image.u32(at + 4 + i * 8, thr);
    image.i32(at + 8 + i * 8, alias);
  });
  return at;
}
