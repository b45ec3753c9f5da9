// The output cursor: every byte a statement produces goes through here.

export let out: usize = 0;
export let outLimit: usize = 0;

export function setCursor(at: usize, limit: usize): void {
  out = at;
  outLimit = limit;
}

// @ts-ignore: decorator
@inline export function room(n: usize): bool {
  return out + n <= outLimit;
}

// @ts-ignore: decorator
@inline export function putByte(b: u32): void {
  store<u8>(out, <u8> b);
  out++;
}

/**
 * Copies `len` bytes to the cursor. Short strings dominate, and memory.copy
 * is an out-of-line call in V8, so copy 8 bytes at a time instead: it may
 * read and write up to 7 bytes past the end, which the ATOM_MARGIN kept free
 * below every buffer's end and the padding after the pool allow.
 */
// @ts-ignore: decorator
@inline export function putBytes(src: usize, len: usize): void {
  if (len <= 64) {
    for (let i: usize = 0; i < len; i += 8) store<u64>(out + i, load<u64>(src + i));
  } else {
    memory.copy(out, src, len);
  }
  out += len;
}

// Two decimal digits per entry: "00" .. "99".
const DIGIT_PAIRS = memory.data<u8>([
  48,48,48,49,48,50,48,51,48,52,48,53,48,54,48,55,48,56,48,57,
  49,48,49,49,49,50,49,51,49,52,49,53,49,54,49,55,49,56,49,57,
  50,48,50,49,50,50,50,51,50,52,50,53,50,54,50,55,50,56,50,57,
  51,48,51,49,51,50,51,51,51,52,51,53,51,54,51,55,51,56,51,57,
  52,48,52,49,52,50,52,51,52,52,52,53,52,54,52,55,52,56,52,57,
  53,48,53,49,53,50,53,51,53,52,53,53,53,54,53,55,53,56,53,57,
  54,48,54,49,54,50,54,51,54,52,54,53,54,54,54,55,54,56,54,57,
  55,48,55,49,55,50,55,51,55,52,55,53,55,54,55,55,55,56,55,57,
  56,48,56,49,56,50,56,51,56,52,56,53,56,54,56,55,56,56,56,57,
  57,48,57,49,57,50,57,51,57,52,57,53,57,54,57,55,57,56,57,57,
]);

// @ts-ignore: decorator
@inline function putPair(p: usize, r: u32): void {
  store<u16>(p, load<u16>(DIGIT_PAIRS + (<usize>r << 1)));
}

/** Writes two decimal digits of `v` (< 100) with one table load. */
// @ts-ignore: decorator
@inline export function putTwoDigits(v: u32): void {
  putPair(out, v);
  out += 2;
}

/** Writes the low `width` (<= 10) decimal digits of `w`, zero-padded, two per step. */
function putLowDigits(w: u32, width: i32): void {
  let p = out + <usize> width;
  out = p;
  while (width >= 2) {
    p -= 2;
    putPair(p, w % 100);
    w /= 100;
    width -= 2;
  }
  if (width == 1) store<u8>(p - 1, <u8> (48 + w % 10));
}

/** Writes `w` in decimal with 32-bit arithmetic only. */
function putU32(w: u32): void {
  const digits: usize = w < 10 ? 1 : w < 100 ? 2 : w < 1000 ? 3 : w < 10000 ? 4 : w < 100000 ? 5 : w < 1000000
    ? 6
    : w < 10000000 ? 7 : w < 100000000 ? 8 : w < 1000000000 ? 9 : 10;
  let p = out + digits;
  out = p;
  while (w >= 100) {
    const r = w % 100;
    w /= 100;
    p -= 2;
    putPair(p, r);
  }
  if (w >= 10) putPair(p - 2, w);
  else store<u8>(p - 1, <u8>(48 + w));
}

/** Writes exactly 8 digits of `w` (< 10^8), zero-padded. */
function putEight(w: u32): void {
  const p = out;
  putPair(p + 6, w % 100);
  w /= 100;
  putPair(p + 4, w % 100);
  w /= 100;
  putPair(p + 2, w % 100);
  putPair(p, w / 100);
  out = p + 8;
}

/**
 * Writes `v` in decimal. 64-bit division is slow, so split into 8-digit
 * groups (at most two 64-bit divisions) and finish each in 32 bits.
 */
export function putU64(v: u64): void {
  if (v <= 0xffffffff) {
    putU32(<u32>v);
    return;
  }
  const hi = v / 100000000;
  const lo = <u32>(v - hi * 100000000);
  if (hi <= 0xffffffff) {
    putU32(<u32>hi);
  } else {
    const top = hi / 100000000;
    putU32(<u32>top);
    putEight(<u32>(hi - top * 100000000));
  }
  putEight(lo);
}

/** Writes `v` in signed decimal. */
export function putI64(v: i64): void {
  if (v < 0) {
    putByte(45);
    putU64(<u64> (-v));
  } else {
    putU64(<u64> v);
  }
}

/** Writes `v` in decimal with exactly `width` digits, zero-padded. */
export function putPadded(v: u64, width: i32): void {
  let p = out + <usize> width;
  out = p;
  for (let i = 0; i < width; i++) {
    p--;
    store<u8>(p, <u8> (48 + <u32> (v % 10)));
    v /= 10;
  }
}

// Two lowercase hex digits per byte value: "00" .. "ff".
const HEX_PAIRS = memory.data<u8>([
  48,48,48,49,48,50,48,51,48,52,48,53,48,54,48,55,48,56,48,57,48,97,48,98,48,99,48,100,48,101,48,102,
  49,48,49,49,49,50,49,51,49,52,49,53,49,54,49,55,49,56,49,57,49,97,49,98,49,99,49,100,49,101,49,102,
  50,48,50,49,50,50,50,51,50,52,50,53,50,54,50,55,50,56,50,57,50,97,50,98,50,99,50,100,50,101,50,102,
  51,48,51,49,51,50,51,51,51,52,51,53,51,54,51,55,51,56,51,57,51,97,51,98,51,99,51,100,51,101,51,102,
  52,48,52,49,52,50,52,51,52,52,52,53,52,54,52,55,52,56,52,57,52,97,52,98,52,99,52,100,52,101,52,102,
  53,48,53,49,53,50,53,51,53,52,53,53,53,54,53,55,53,56,53,57,53,97,53,98,53,99,53,100,53,101,53,102,
  54,48,54,49,54,50,54,51,54,52,54,53,54,54,54,55,54,56,54,57,54,97,54,98,54,99,54,100,54,101,54,102,
  55,48,55,49,55,50,55,51,55,52,55,53,55,54,55,55,55,56,55,57,55,97,55,98,55,99,55,100,55,101,55,102,
  56,48,56,49,56,50,56,51,56,52,56,53,56,54,56,55,56,56,56,57,56,97,56,98,56,99,56,100,56,101,56,102,
  57,48,57,49,57,50,57,51,57,52,57,53,57,54,57,55,57,56,57,57,57,97,57,98,57,99,57,100,57,101,57,102,
  97,48,97,49,97,50,97,51,97,52,97,53,97,54,97,55,97,56,97,57,97,97,97,98,97,99,97,100,97,101,97,102,
  98,48,98,49,98,50,98,51,98,52,98,53,98,54,98,55,98,56,98,57,98,97,98,98,98,99,98,100,98,101,98,102,
  99,48,99,49,99,50,99,51,99,52,99,53,99,54,99,55,99,56,99,57,99,97,99,98,99,99,99,100,99,101,99,102,
  100,48,100,49,100,50,100,51,100,52,100,53,100,54,100,55,100,56,100,57,100,97,100,98,100,99,100,100,100,101,100,102,
  101,48,101,49,101,50,101,51,101,52,101,53,101,54,101,55,101,56,101,57,101,97,101,98,101,99,101,100,101,101,101,102,
  102,48,102,49,102,50,102,51,102,52,102,53,102,54,102,55,102,56,102,57,102,97,102,98,102,99,102,100,102,101,102,102,
]);

/**
 * Writes the low `digits` hex digits of `v`, most significant first: two
 * digits per table load, from the right (an odd count ends with one digit).
 */
export function putHex(v: u64, digits: i32): void {
  let p = out + <usize> digits;
  out = p;
  let left = digits;
  while (left >= 2) {
    p -= 2;
    store<u16>(p, load<u16>(HEX_PAIRS + (<usize> (v & 255) << 1)));
    v >>= 8;
    left -= 2;
  }
  if (left == 1) store<u8>(p - 1, load<u8>(HEX_PAIRS + (<usize> (v & 15) << 1) + 1));
}

// @ts-ignore: decorator
@inline function hexPair(p: usize, byte: u64): void {
  store<u16>(p, load<u16>(HEX_PAIRS + (<usize> (byte & 255) << 1)));
}

/**
 * A UUID's 36 characters from its two halves, unrolled: two hex digits per
 * table load, the same text as putHex over the five groups.
 */
export function putUuidHex(hi: u64, lo: u64): void {
  const p = out;
  hexPair(p, hi >> 56);
  hexPair(p + 2, hi >> 48);
  hexPair(p + 4, hi >> 40);
  hexPair(p + 6, hi >> 32);
  store<u8>(p + 8, 45);
  hexPair(p + 9, hi >> 24);
  hexPair(p + 11, hi >> 16);
  store<u8>(p + 13, 45);
  hexPair(p + 14, hi >> 8);
  hexPair(p + 16, hi);
  store<u8>(p + 18, 45);
  hexPair(p + 19, lo >> 56);
  hexPair(p + 21, lo >> 48);
  store<u8>(p + 23, 45);
  hexPair(p + 24, lo >> 40);
  hexPair(p + 26, lo >> 32);
  hexPair(p + 28, lo >> 24);
  hexPair(p + 30, lo >> 16);
  hexPair(p + 32, lo >> 8);
  hexPair(p + 34, lo);
  out = p + 36;
}

/** Writes a scaled integer `v / 10^scale` as a decimal literal. */
export function putScaled(v: i64, scale: i32): void {
  if (scale <= 0) {
    putI64(v);
    return;
  }
  let u: u64;
  if (v < 0) {
    putByte(45);
    u = <u64> (-v);
  } else {
    u = <u64> v;
  }
  if (u <= 0xffffffff && scale <= 4) {
    // The common case (money, measures) in 32 bits, dividing by constants.
    const w = <u32> u;
    const q = scale == 1 ? w / 10 : scale == 2 ? w / 100 : scale == 3 ? w / 1000 : w / 10000;
    const d: u32 = scale == 1 ? 10 : scale == 2 ? 100 : scale == 3 ? 1000 : 10000;
    putU32(q);
    putByte(46);
    putLowDigits(w - q * d, scale);
    return;
  }
  let div: u64 = 1;
  for (let i = 0; i < scale; i++) div *= 10;
  putU64(u / div);
  putByte(46);
  putPadded(u % div, scale);
}
