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

/** Writes the low `digits` hex digits of `v`, most significant first. */
export function putHex(v: u64, digits: i32): void {
  let p = out + <usize> digits;
  out = p;
  for (let i = 0; i < digits; i++) {
    p--;
    const d = <u32> (v & 15);
    store<u8>(p, <u8> (d < 10 ? 48 + d : 87 + d));
    v >>= 4;
  }
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
  let div: u64 = 1;
  for (let i = 0; i < scale; i++) div *= 10;
  putU64(u / div);
  putByte(46);
  putPadded(u % div, scale);
}
