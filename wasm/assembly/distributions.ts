// Distributions of the value model: integers in a range, drawn uniformly or
// shaped by a distribution record (value_ops.ts: D_*), and weighted picks
// through alias tables. Every draw takes its randomness from rng.ts.

import { below, below32, next } from "./rng";
import {
  D_EXPONENTIAL,
  D_LOGNORMAL,
  D_NORMAL,
  D_POISSON,
  D_UNIFORM,
  D_WEIGHTED,
  D_ZIPF,
} from "./value_ops";

/** A uniform double in [0, 1) with 53 random bits. */
// @ts-ignore: decorator
@inline export function unit(): f64 {
  return <f64> (next() >> 11) * 1.1102230246251565e-16;
}

/** A uniform double in (0, 1]: safe under log. */
// @ts-ignore: decorator
@inline function unitOpen(): f64 {
  return (<f64> (next() >> 11) + 1.0) * 1.1102230246251565e-16;
}

/** A standard normal deviate (Box–Muller, one of the pair). */
export function gaussian(): f64 {
  const u = unitOpen();
  const v = unit();
  return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(6.283185307179586 * v);
}

/**
 * Picks an index of an alias table: n, then n x (threshold u32, alias i32).
 * One draw: the high half chooses the slot, the low half the coin.
 */
export function pickAlias(table: usize): i32 {
  const n = load<u32>(table);
  const x = next();
  const slot = <i32> (((x >> 32) * <u64> n) >> 32);
  const entry = table + 4 + (<usize> slot << 3);
  return <u32> x < load<u32>(entry) ? slot : load<i32>(entry, 4);
}

/** Poisson: inversion for small lambda, PTRS (Hörmann 1993) above 10. */
function poisson(lambda: f64): i64 {
  if (lambda < 10.0) {
    let k: i64 = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    const u = unit();
    while (u > cdf && k < 1000) {
      k++;
      p *= lambda / <f64> k;
      cdf += p;
    }
    return k;
  }
  const slam = Math.sqrt(lambda);
  const loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const u = unit() - 0.5;
    const v = unit();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor((2.0 * a / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return <i64> k;
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (
      Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -lambda + k * loglam - logFactorial(k)
    ) return <i64> k;
  }
  return 0; // unreachable: the loop returns
}

/** ln(k!) by Stirling's series (exact enough past 10; small k summed). */
function logFactorial(k: f64): f64 {
  if (k < 10.0) {
    let s = 0.0;
    for (let i = 2.0; i <= k; i += 1.0) s += Math.log(i);
    return s;
  }
  const k1 = k + 1.0;
  return (k1 - 0.5) * Math.log(k1) - k1 + 0.9189385332046727 + 1.0 / (12.0 * k1) - 1.0 / (360.0 * k1 * k1 * k1);
}

// Zipf over ranks 1..n by rejection-inversion (Hörmann & Derflinger 1996).
function zipfH(x: f64, s: f64): f64 {
  return Math.exp(-s * Math.log(x));
}

function helper1(x: f64): f64 {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

function helper2(x: f64): f64 {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x));
}

function zipfHIntegral(x: f64, s: f64): f64 {
  const logX = Math.log(x);
  return helper2((1.0 - s) * logX) * logX;
}

function zipfHIntegralInverse(x: f64, s: f64): f64 {
  let t = x * (1.0 - s);
  if (t < -1.0) t = -1.0;
  return Math.exp(helper1(t) * x);
}

function zipf(n: f64, s: f64): i64 {
  const hx1 = zipfHIntegral(1.5, s) - 1.0;
  const hn = zipfHIntegral(n + 0.5, s);
  const shift = 2.0 - zipfHIntegralInverse(zipfHIntegral(2.5, s) - zipfH(2.0, s), s);
  for (;;) {
    const u = hn + unit() * (hx1 - hn);
    const x = zipfHIntegralInverse(u, s);
    let k = Math.floor(x + 0.5);
    if (k < 1.0) k = 1.0;
    else if (k > n) k = n;
    if (k - x <= shift || u >= zipfHIntegral(k + 0.5, s) - zipfH(k, s)) return <i64> k;
  }
  return 1; // unreachable: the loop returns
}

/**
 * An integer in [lo, lo + span] shaped by the distribution record `dist`
 * (0 = uniform). Continuous shapes are drawn again when they fall outside
 * the range (16 tries, then clipped): a truncated, not a piled-up, tail.
 * Normal's mean is relative to lo; lognormal and exponential start at lo;
 * Poisson counts from lo; Zipf ranks 1.. map to lo, lo + 1, ...
 */
export function drawInt(dist: usize, lo: i64, span: u64): i64 {
  const type = dist == 0 ? D_UNIFORM : load<i32>(dist);
  if (type == D_UNIFORM) return lo + <i64> below(span + 1);
  const top = <f64> span;
  if (type == D_ZIPF) return lo + zipf(top + 1.0, load<f64>(dist, 8)) - 1;
  if (type == D_WEIGHTED) {
    const table = <usize> load<i32>(dist, 4);
    const buckets = load<u32>(table);
    const b = <u64> pickAlias(table);
    // Bucket b covers [b * (span + 1) / buckets, (b + 1) * (span + 1) / buckets).
    const width = (<f64> span + 1.0) / <f64> buckets;
    const from = <u64> Math.floor(<f64> b * width);
    let to = <u64> Math.floor(<f64> (b + 1) * width);
    if (to <= from) to = from + 1;
    let v = from + below(to - from);
    if (v > span) v = span;
    return lo + <i64> v;
  }
  for (let attempt = 0; attempt < 16; attempt++) {
    const x = drawReal(type, dist);
    if (x >= -0.5 && x < top + 0.5) return lo + <i64> Math.floor(x + 0.5);
  }
  const x = drawReal(type, dist);
  return x < 0.0 ? lo : lo + <i64> (x > top ? top : Math.floor(x + 0.5));
}

/**
 * A real in [lo, hi] shaped by `dist` (0 = uniform), with the same
 * conventions as drawInt (offsets from lo, redrawn outside the range).
 */
export function drawFloat(dist: usize, lo: f64, hi: f64): f64 {
  const type = dist == 0 ? D_UNIFORM : load<i32>(dist);
  if (type == D_UNIFORM) return lo + unit() * (hi - lo);
  if (type == D_ZIPF || type == D_WEIGHTED) {
    // Discrete shapes over 1,000 steps of the range.
    const step = <f64> drawInt(dist, 0, 999);
    return lo + (step + unit()) * (hi - lo) / 1000.0;
  }
  const width = hi - lo;
  for (let attempt = 0; attempt < 16; attempt++) {
    const x = drawReal(type, dist);
    if (x >= 0.0 && x <= width) return lo + x;
  }
  const x = drawReal(type, dist);
  return x < 0.0 ? lo : x > width ? hi : lo + x;
}

/** A draw of a continuous (or Poisson) shape, as an offset from the range's low end. */
function drawReal(type: i32, dist: usize): f64 {
  const p0 = load<f64>(dist, 8);
  const p1 = load<f64>(dist, 16);
  switch (type) {
    case D_NORMAL:
      return p0 + p1 * gaussian();
    case D_LOGNORMAL:
      return Math.exp(p0 + p1 * gaussian());
    case D_EXPONENTIAL:
      return -Math.log(unitOpen()) / p0;
    case D_POISSON:
      return <f64> poisson(p0);
    default:
      return unit();
  }
}

/** A uniform index below n (re-exported for ops that need one). */
// @ts-ignore: decorator
@inline export function uniformIndex(n: u32): u32 {
  return below32(n);
}
