import { deepStrictEqual } from "node:assert/strict";
import murmur from "murmurhash3js-revisited";
import { instantiate, PROGRAM_BASE, sharedMemory } from "./mod.ts";

const memory = sharedMemory(PROGRAM_BASE + (1 << 16));
const kernel = instantiate(memory);
const bytes = new Uint8Array(memory.buffer);

function wasmHash(input: Uint8Array): string {
  bytes.set(input, PROGRAM_BASE);
  const h1 = BigInt.asUintN(64, kernel.murmur3(PROGRAM_BASE, input.length, 0n));
  const h2 = BigInt.asUintN(64, kernel.hashHigh.value as bigint);
  return h1.toString(16).padStart(16, "0") + h2.toString(16).padStart(16, "0");
}

Deno.test("MurmurHash3 x64 128 matches the published vector for 'hello'", () => {
  deepStrictEqual(wasmHash(new TextEncoder().encode("hello")), "cbd8a7b341bd9b025b1e906a48ae1d19");
  deepStrictEqual(wasmHash(new Uint8Array(0)), "0".repeat(32));
});

Deno.test("MurmurHash3 x64 128 matches an independent implementation on every length 0..300", () => {
  // A fixed pseudo-random input; every tail length and several block counts.
  const input = Uint8Array.from({ length: 300 }, (_, i) => (i * 2654435761) >>> 24);
  for (let len = 0; len <= 300; len++) {
    const slice = input.subarray(0, len);
    deepStrictEqual([len, wasmHash(slice)], [len, murmur.x64.hash128(slice)]);
  }
});
