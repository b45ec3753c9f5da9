/**
 * Shards of a run: `--shard K/N` gives machine K of N a contiguous slice of
 * the run's statement indices. Shards are numbered from 0, as Kubernetes
 * numbers the pods of an Indexed Job (`JOB_COMPLETION_INDEX` is 0..N-1).
 *
 * Because statement i depends only on (grammar, schema, seed, i), the shards'
 * outputs concatenated in shard order are the whole run's, byte for byte,
 * as long as nothing links one statement to another: structural uniqueness
 * and none qualify, a filter (bloom, exact) does not.
 *
 * @module
 */

/** Shard `index` of `of`, 0 <= index < of. */
export interface Shard {
  readonly index: number;
  readonly of: number;
}

/** The most shards a run may be split into. */
export const MAX_SHARDS = 1_000_000;

/**
 * Reads `K/N`.
 *
 * @returns The shard, or a string saying what is wrong.
 *
 * @example The last of four shards
 * ```ts
 * import { parseShard } from "./shard.ts";
 * const s = parseShard("3/4");
 * if (typeof s === "string" || s.index !== 3 || s.of !== 4) throw new Error();
 * if (typeof parseShard("4/4") !== "string") throw new Error();
 * ```
 */
export function parseShard(text: string): Shard | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return `--shard must be K/N, shard K of N counted from 0, like 0/4 (got "${text}")`;
  const index = Number(m[1]), of = Number(m[2]);
  if (!(of >= 1 && of <= MAX_SHARDS)) {
    return `--shard K/N needs N from 1 to ${MAX_SHARDS.toLocaleString("en")} (got "${text}")`;
  }
  if (index >= of) {
    return `--shard ${text}: shards are counted from 0, as JOB_COMPLETION_INDEX is, so K goes from 0 ` +
      `to ${of - 1}`;
  }
  return { index, of };
}

/**
 * The slice of the run [start, start + count) that a shard generates:
 * [start + floor(K·count/N), start + floor((K+1)·count/N)). The slices of
 * the N shards are disjoint, in order, and cover the run; their sizes differ
 * by at most one.
 *
 * @example Four shards of ten statements
 * ```ts
 * import { shardRange } from "./shard.ts";
 * const sizes = [0, 1, 2, 3].map((index) => shardRange({ index, of: 4 }, 100n, 10n));
 * if (sizes.map((r) => `${r.start}+${r.count}`).join() !== "100+2,102+3,105+2,107+3") throw new Error();
 * ```
 */
export function shardRange(shard: Shard, start: bigint, count: bigint): { start: bigint; count: bigint } {
  const k = BigInt(shard.index), n = BigInt(shard.of);
  const from = (k * count) / n;
  const to = ((k + 1n) * count) / n;
  return { start: start + from, count: to - from };
}
