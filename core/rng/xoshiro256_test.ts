import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { SplitMix64, Xoshiro256 } from "./xoshiro256.ts";
import { instantiate, sharedMemory } from "../../wasm/mod.ts";

interface Vectors {
  xoshiro256starstar: {
    state: string[];
    first_16: string[];
    after_jump_first_4: string[];
    after_long_jump_first_4: string[];
  };
  splitmix64: { seed: string; first_8: string[] };
  xoshiro256starstar_seeded_by_splitmix64: { splitmix64_seed: string; first_8: string[] };
}

const vectors: Vectors = JSON.parse(
  await Deno.readTextFile(new URL("../../../shared/vectors/xoshiro256starstar.json", import.meta.url)),
);
const big = (hex: string[]) => hex.map((h) => BigInt(h));
const state = big(vectors.xoshiro256starstar.state) as [bigint, bigint, bigint, bigint];

function take(next: () => bigint, n: number): bigint[] {
  return Array.from({ length: n }, next);
}

Deno.test("TS xoshiro256** matches the reference vectors, jump and long jump included", () => {
  const v = vectors.xoshiro256starstar;
  const g = new Xoshiro256(state);
  assertEquals(take(() => g.next(), 16), big(v.first_16));
  const j = new Xoshiro256(state);
  j.jump();
  assertEquals(take(() => j.next(), 4), big(v.after_jump_first_4));
  const l = new Xoshiro256(state);
  l.longJump();
  assertEquals(take(() => l.next(), 4), big(v.after_long_jump_first_4));
});

Deno.test("splitmix64 and splitmix-seeded xoshiro256** match the vectors", () => {
  const sm = new SplitMix64(BigInt(vectors.splitmix64.seed));
  assertEquals(take(() => sm.next(), 8), big(vectors.splitmix64.first_8));
  const seeded = vectors.xoshiro256starstar_seeded_by_splitmix64;
  const g = Xoshiro256.fromSplitMix64(BigInt(seeded.splitmix64_seed));
  assertEquals(take(() => g.next(), 8), big(seeded.first_8));
});

Deno.test("WASM xoshiro256** matches the vectors, jump and long jump included", () => {
  const k = instantiate(sharedMemory(1 << 20));
  const v = vectors.xoshiro256starstar;
  const u = (x: bigint) => BigInt.asUintN(64, x);
  k.setState(...state);
  assertEquals(take(() => u(k.rngNext()), 16), big(v.first_16));
  k.setState(...state);
  k.jump();
  assertEquals(take(() => u(k.rngNext()), 4), big(v.after_jump_first_4));
  k.setState(...state);
  k.longJump();
  assertEquals(take(() => u(k.rngNext()), 4), big(v.after_long_jump_first_4));
});

Deno.test("WASM bulk fill equals repeated next", () => {
  const memory = sharedMemory(1 << 20);
  const k = instantiate(memory);
  k.setState(...state);
  k.rngFill(1 << 19, 16);
  const filled = Array.from(new BigUint64Array(memory.buffer, 1 << 19, 16));
  assertEquals(filled, big(vectors.xoshiro256starstar.first_16));
});
