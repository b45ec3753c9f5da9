/**
 * RNG throughput: xoshiro256** in the WASM kernel against plain TypeScript,
 * both the BigInt reference (core/rng/xoshiro256.ts) and a hand-tuned
 * 32-bit-halves version, so the comparison is not against a straw man.
 *
 * `deno task bench` runs it; `bench/report.ts` turns the times into numbers/s.
 *
 * @module
 */
import { Xoshiro256 } from "../core/rng/xoshiro256.ts";
import { instantiate, PROGRAM_BASE, sharedMemory } from "../wasm/mod.ts";
import { RNG_NUMBERS } from "./_params.ts";

const memory = sharedMemory(PROGRAM_BASE + RNG_NUMBERS * 8);
const kernel = instantiate(memory);
kernel.setState(1n, 2n, 3n, 4n);

Deno.bench({
  name: "wasm xoshiro256** (rngFill)",
  group: "rng",
  baseline: true,
  fn() {
    kernel.rngFill(PROGRAM_BASE, RNG_NUMBERS);
  },
});

const reference = new Xoshiro256([1n, 2n, 3n, 4n]);
let sink = 0n;
Deno.bench({
  name: "ts xoshiro256** (BigInt)",
  group: "rng",
  fn() {
    for (let i = 0; i < RNG_NUMBERS; i++) sink ^= reference.next();
  },
});

/** xoshiro256** on pairs of 32-bit halves, output written to a Uint32Array. */
class Xoshiro256x32 {
  s = new Uint32Array([1, 0, 2, 0, 3, 0, 4, 0]); // lo, hi per word
  fill(out: Uint32Array): void {
    const s = this.s;
    for (let i = 0; i < out.length; i += 2) {
      // result = rotl(s1 * 5, 7) * 9
      const lo1 = s[2]!, hi1 = s[3]!;
      const m5lo = (lo1 * 5) >>> 0;
      const m5hi = (Math.imul(hi1, 5) + Math.floor((lo1 * 5) / 4294967296)) >>> 0;
      const rlo = ((m5lo << 7) | (m5hi >>> 25)) >>> 0;
      const rhi = ((m5hi << 7) | (m5lo >>> 25)) >>> 0;
      out[i] = (rlo * 9) >>> 0;
      out[i + 1] = (Math.imul(rhi, 9) + Math.floor((rlo * 9) / 4294967296)) >>> 0;
      // t = s1 << 17
      const tlo = (lo1 << 17) >>> 0, thi = ((hi1 << 17) | (lo1 >>> 15)) >>> 0;
      s[4]! ^= s[0]!, s[5]! ^= s[1]!;
      s[6]! ^= s[2]!, s[7]! ^= s[3]!;
      s[2]! ^= s[4]!, s[3]! ^= s[5]!;
      s[0]! ^= s[6]!, s[1]! ^= s[7]!;
      s[4]! ^= tlo, s[5]! ^= thi;
      // s3 = rotl(s3, 45) = rotl(swap halves, 13)
      const lo3 = s[7]!, hi3 = s[6]!;
      s[6] = ((lo3 << 13) | (hi3 >>> 19)) >>> 0;
      s[7] = ((hi3 << 13) | (lo3 >>> 19)) >>> 0;
    }
  }
}

const halves = new Xoshiro256x32();
const out32 = new Uint32Array(RNG_NUMBERS * 2);
Deno.bench({
  name: "ts xoshiro256** (32-bit halves)",
  group: "rng",
  fn() {
    halves.fill(out32);
  },
});

// Keep the BigInt loop's result observable so it is not optimized away.
globalThis.addEventListener("unload", () => void (sink === 42n && console.log(sink)));
