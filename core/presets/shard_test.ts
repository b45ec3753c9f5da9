import { deepStrictEqual, ok } from "node:assert/strict";
import { parseShard, shardRange } from "./shard.ts";

Deno.test("parseShard: K/N counted from 0", () => {
  deepStrictEqual(parseShard("0/1"), { index: 0, of: 1 });
  deepStrictEqual(parseShard(" 7 / 8 "), { index: 7, of: 8 });
  for (const bad of ["", "1", "1/", "/4", "-1/4", "1.5/4", "a/b", "1/4/2"]) {
    deepStrictEqual(
      parseShard(bad),
      `--shard must be K/N, shard K of N counted from 0, like 0/4 (got "${bad}")`,
    );
  }
  deepStrictEqual(parseShard("0/0"), '--shard K/N needs N from 1 to 1,000,000 (got "0/0")');
  deepStrictEqual(
    parseShard("4/4"),
    "--shard 4/4: shards are counted from 0, as JOB_COMPLETION_INDEX is, so K goes from 0 to 3",
  );
});

Deno.test("shardRange: the shards of a run are disjoint, in order, cover it, and differ by one at most", () => {
  for (const start of [0n, 5n, 1n << 60n]) {
    for (const count of [0n, 1n, 3n, 10n, 40000n, 1_000_000_007n, (1n << 53n) - 1n]) {
      for (const n of [1, 2, 3, 4, 7, 64, 1000]) {
        let next = start;
        const sizes: bigint[] = [];
        for (let index = 0; index < n; index++) {
          const r = shardRange({ index, of: n }, start, count);
          deepStrictEqual(r.start, next, `${start}+${count} in ${n}: shard ${index}`);
          next = r.start + r.count;
          sizes.push(r.count);
        }
        deepStrictEqual(next, start + count);
        const min = sizes.reduce((a, b) => (b < a ? b : a));
        const max = sizes.reduce((a, b) => (b > a ? b : a));
        ok(max - min <= 1n, `${count} in ${n}: sizes ${min}..${max}`);
      }
    }
  }
});

Deno.test("shardRange: the formula of --help, floor(K*count/N)", () => {
  deepStrictEqual(shardRange({ index: 1, of: 4 }, 0n, 40000n), { start: 10000n, count: 10000n });
  deepStrictEqual(shardRange({ index: 2, of: 3 }, 100n, 10n), { start: 106n, count: 4n });
});
