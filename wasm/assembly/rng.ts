// xoshiro256** (Blackman & Vigna) with jump and long jump, splitmix64 for
// seeding, and the per-statement state derivation. The state lives in module
// globals, so each worker's instance has its own.

let s0: u64 = 1;
let s1: u64 = 2;
let s2: u64 = 3;
let s3: u64 = 4;

/** splitmix64's output function: a bijective 64-bit mixer. */
// @ts-ignore: decorator
@inline export function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

export function setState(a: u64, b: u64, c: u64, d: u64): void {
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = d;
}

export function getState(i: i32): u64 {
  return i == 0 ? s0 : i == 1 ? s1 : i == 2 ? s2 : s3;
}

// @ts-ignore: decorator
@inline export function next(): u64 {
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u64>(s3, 45);
  return result;
}

function jumpWith(j0: u64, j1: u64, j2: u64, j3: u64): void {
  let a: u64 = 0, b: u64 = 0, c: u64 = 0, d: u64 = 0;
  for (let w = 0; w < 4; w++) {
    const word = w == 0 ? j0 : w == 1 ? j1 : w == 2 ? j2 : j3;
    for (let bit = 0; bit < 64; bit++) {
      if ((word & ((<u64> 1) << <u64> bit)) != 0) {
        a ^= s0;
        b ^= s1;
        c ^= s2;
        d ^= s3;
      }
      next();
    }
  }
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = d;
}

/** Advances the state by 2^128 calls. */
export function jump(): void {
  jumpWith(0x180ec6d33cfd0aba, 0xd5a61266f0c9392c, 0xa9582618e03fc9aa, 0x39abdc4529b1661c);
}

/** Advances the state by 2^192 calls. */
export function longJump(): void {
  jumpWith(0x76e15d3efefdcbbf, 0xc5004e441c522fb3, 0x77710069854ee241, 0x39109bb02acbe635);
}

/** A uniform integer in [0, n); n == 0 means the full 64-bit range. */
// @ts-ignore: decorator
@inline export function below(n: u64): u64 {
  const x = next();
  if (n == 0) return x;
  if (n <= 0xffffffff) return ((x >> 32) * n) >> 32;
  return mulHigh(x, n);
}

/** A uniform integer in [0, n) for n < 2^32. */
// @ts-ignore: decorator
@inline export function below32(n: u32): u32 {
  return <u32> (((next() >> 32) * <u64> n) >> 32);
}

/** The high 64 bits of the 128-bit product a * b. */
export function mulHigh(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff, aHi = a >> 32;
  const bLo = b & 0xffffffff, bHi = b >> 32;
  const ll = aLo * bLo;
  const lh = aLo * bHi;
  const hl = aHi * bLo;
  const hh = aHi * bHi;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  return hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

// The run's 256-bit seed, set once per instance.
let k0: u64 = 0;
let k1: u64 = 0;
let k2: u64 = 0;
let k3: u64 = 0;

// The value model's keys: each a mix of all four seed words, so that any
// change to the seed changes every value (statements keep their own
// derivation, which their golden outputs pin).
let v0: u64 = 0;
let v1: u64 = 0;
let v2: u64 = 0;
let v3: u64 = 0;

export function setSeed(a: u64, b: u64, c: u64, d: u64): void {
  k0 = a;
  k1 = b;
  k2 = c;
  k3 = d;
  const h0 = mix64(a + 0x9e3779b97f4a7c15);
  const h1 = mix64(b ^ h0);
  const h2 = mix64(c ^ h1);
  const h3 = mix64(d ^ h2);
  // Fold forward and back: every key depends on every word.
  v3 = h3;
  v2 = mix64(h2 ^ v3);
  v1 = mix64(h1 ^ v2);
  v0 = mix64(h0 ^ v1);
}

/**
 * Makes statement `index`'s RNG state a pure function of (seed, index,
 * attempt): each state word is mix64(seed word + index * golden + attempt *
 * another odd constant + lane constant). mix64 is a bijection, so distinct
 * indices give distinct words; attempt 0 is the statement itself, later
 * attempts are its replacements when a uniqueness filter rejects it.
 */
export function seedStatement(index: u64, attempt: u32): void {
  const base = index * 0x9e3779b97f4a7c15 + <u64>attempt * 0xd1b54a32d192ed03;
  s0 = mix64(k0 + base + 0x243f6a8885a308d3);
  s1 = mix64(k1 + base + 0x13198a2e03707344);
  s2 = mix64(k2 + base + 0xa4093822299f31d0);
  s3 = mix64(k3 + base + 0x082efa98ec4e6c89);
}

const MASK63: u64 = 0x7fffffffffffffff;

/**
 * The n-th unique value of statement `index`: a bijection of
 * (index << 8 | n) on [0, 2^63), keyed by the seed, so two different
 * (index, n) pairs with index < 2^55 and n < 256 never share a value.
 */
export function uniqueValue(index: u64, n: u32): u64 {
  let x = (((index << 8) | <u64> (n & 255)) + k0) & MASK63;
  x ^= x >> 31;
  x = (x * 0x7fb5d329728ea185) & MASK63;
  x ^= x >> 27;
  x = (x * 0x81dadef4bc2dd44d) & MASK63;
  x ^= x >> 33;
  return x;
}

/**
 * Makes the RNG state a pure function of (seed, table, row, op): the value
 * model seeds every value on its own, so a value can be recomputed for any
 * row (a parent's key from its child) and adding a column changes no other.
 */
export function seedValue(table: u64, row: u64, op: u32): void {
  const base = table + row * 0x9e3779b97f4a7c15 + <u64> op * 0xc2b2ae3d27d4eb4f;
  s0 = mix64(v0 + base + 0x452821e638d01377);
  s1 = mix64(v1 + base + 0xbe5466cf34e90c6c);
  s2 = mix64(v2 + base + 0xc0ac29b7c97c50dd);
  s3 = mix64(v3 + base + 0x3f84d5b5b5470917);
}

/**
 * A keyed bijection on [0, 2^bits) (bits 8..64): xorshift-multiply rounds,
 * each invertible modulo 2^bits. Unique ids are permute(row), so distinct
 * rows give distinct ids whatever the worker count.
 */
export function permute(x: u64, bits: u32, key: u64): u64 {
  const mask: u64 = bits >= 64 ? <u64> -1 : ((<u64> 1) << <u64> bits) - 1;
  const half = <u64> (bits >> 1);
  x = (x + (key & mask) + v1) & mask;
  x ^= x >> half;
  x = (x * 0xbf58476d1ce4e5b9) & mask;
  x ^= x >> half;
  x = (x * 0x94d049bb133111eb) & mask;
  x ^= x >> half;
  x = (x + (v2 & mask)) & mask;
  x = (x * 0xd6e8feb86659fd93) & mask;
  x ^= x >> half;
  return x;
}
