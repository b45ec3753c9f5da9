// MurmurHash3 x64 128 (Austin Appleby, public domain): the fingerprint of a
// statement for the uniqueness filters. Verified in wasm/hash_test.ts
// against an independent implementation (npm murmurhash3js-revisited).

const C1: u64 = 0x87c37b91114253d5;
const C2: u64 = 0x4cf5ad432745937f;

/** The second 64 bits of the last hash. */
export let hashHigh: u64 = 0;

// @ts-ignore: decorator
@inline function fmix64(k: u64): u64 {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccd;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53;
  k ^= k >> 33;
  return k;
}

// @ts-ignore: decorator
@inline function mixK1(k1: u64): u64 {
  return rotl<u64>(k1 * C1, 31) * C2;
}

// @ts-ignore: decorator
@inline function mixK2(k2: u64): u64 {
  return rotl<u64>(k2 * C2, 33) * C1;
}

/** Hashes `len` bytes at `ptr` (reading up to 15 bytes past them); returns h1 and leaves h2 in `hashHigh`. */
export function murmur3(ptr: usize, len: usize, seed: u64): u64 {
  let h1 = seed;
  let h2 = seed;
  const blocks = len >> 4;
  for (let i: usize = 0; i < blocks; i++) {
    const p = ptr + (i << 4);
    h1 ^= mixK1(load<u64>(p));
    h1 = rotl<u64>(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= mixK2(load<u64>(p, 8));
    h2 = rotl<u64>(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  // The tail is read as whole words and masked: this may read up to 15 bytes
  // past the input, which every caller's buffer has room for.
  const tail = ptr + (blocks << 4);
  const rest = <u64>(len & 15);
  if (rest > 8) {
    h2 ^= mixK2(load<u64>(tail, 8) & (((<u64>1) << ((rest - 8) << 3)) - 1));
    h1 ^= mixK1(load<u64>(tail));
  } else if (rest == 8) {
    h1 ^= mixK1(load<u64>(tail));
  } else if (rest > 0) {
    h1 ^= mixK1(load<u64>(tail) & (((<u64>1) << (rest << 3)) - 1));
  }
  h1 ^= <u64>len;
  h2 ^= <u64>len;
  h1 += h2;
  h2 += h1;
  h1 = fmix64(h1);
  h2 = fmix64(h2);
  h1 += h2;
  h2 += h1;
  hashHigh = h2;
  return h1;
}
