// The output cursor: every byte a statement produces goes through here.

export let out: usize = 0;
export let outLimit: usize = 0;

export function setCursor(at: usize, limit: usize): void {
  out = at;
  outLimit = limit;
}

// @ts-ignore: decorator
export function room(n: usize): bool {
  return out + n <= outLimit;
}

// @ts-ignore: decorator
export function putByte(b: u32): void {
  store<u8>(out, <u8> b);
  out++;
}

// @ts-ignore: decorator
export function putBytes(src: usize, len: usize): void {
  memory.copy(out, src, len);
  out += len;
}

/** Writes `v` in decimal. */
export function putU64(v: u64): void {
  if (v < 10) {
    putByte(48 + <u32> v);
    return;
  }
  let digits = 0;
  let t = v;
  while (t != 0) {
    digits++;
    t /= 10;
  }
  let p = out + <usize> digits;
  out = p;
  while (v != 0) {
    p--;
    store<u8>(p, <u8> (48 + <u32> (v % 10)));
    v /= 10;
  }
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
