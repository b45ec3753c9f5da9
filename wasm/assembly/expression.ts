// Derived-column expressions (value_ops.ts: X_*), evaluated as SQL's numeric
// would where it can: each stack entry is a double and, while it is exact, a
// scaled integer (value, scale). +, -, *, exact division, round, abs, floor,
// ceil, least and greatest keep exact values exact, so round(16.99 / 2, 2) is
// 8.50 as in SQL, not the double's 8.49; an overflow or an inexact quotient
// falls back to the double.

import {
  K_BOOL,
  K_DATE,
  K_DEC,
  K_INT,
  K_TS,
  X_ABS,
  X_ADD,
  X_CEIL,
  X_CONST,
  X_DECIMAL,
  X_DIV,
  X_FLOOR,
  X_GREATEST,
  X_LEAST,
  X_MOD,
  X_MUL,
  X_NEG,
  X_REG,
  X_ROUND,
  X_SUB,
} from "./value_ops";

const POW10: i64[] = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
  1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
  1000000000000000000,
];
const MAX_SCALE: i32 = 18;
// Exact values stay below this, so one more step cannot overflow unnoticed.
const LIMIT: f64 = 4.0e18;
const ENTRY: usize = 24; // f64 value, i64 scaled, i32 scale (-1: inexact)

export let resultExact: bool = false;
export let resultScaled: i64 = 0;
export let resultScale: i32 = 0;

// @ts-ignore: decorator
@inline function push(sp: usize, x: f64, scaled: i64, scale: i32): usize {
  store<f64>(sp, x);
  store<i64>(sp, scaled, 8);
  store<i32>(sp, scale, 16);
  return sp + ENTRY;
}

// @ts-ignore: decorator
@inline function pushInexact(sp: usize, x: f64): usize {
  return push(sp, x, 0, -1);
}

/** Rescales an exact value up (exact) or down (rounding half away from zero). */
function rescale(v: i64, from: i32, to: i32): i64 {
  if (to >= from) return v * POW10[to - from];
  const d = POW10[from - to];
  const q = v / d;
  const r = v - q * d;
  if (r * 2 >= d) return q + 1;
  if (r * 2 <= -d) return q - 1;
  return q;
}

function fits(x: f64): bool {
  return Math.abs(x) < LIMIT;
}

/** Pushes a register's value: integers, decimals, dates (days), timestamps (seconds), booleans. */
function pushRegister(sp: usize, reg: usize): usize {
  const kind = load<i32>(reg);
  const v = load<i64>(reg, 8);
  if (kind == K_DEC) {
    const scale = load<i32>(reg, 4);
    return push(sp, <f64> v / <f64> POW10[scale], v, scale);
  }
  if (kind == K_INT || kind == K_DATE || kind == K_TS || kind == K_BOOL) return push(sp, <f64> v, v, 0);
  return pushInexact(sp, NaN);
}

/**
 * Evaluates `n` expression words at `code`, reading registers through
 * `regAt(r)`, with its stack at `stack`; returns the double, and leaves the
 * exact result (if any) in resultExact / resultScaled / resultScale.
 */
export function evaluate(code: usize, n: i32, stack: usize, bank: usize): f64 {
  let sp = stack;
  const end = code + (<usize> n << 2);
  let p = code;
  while (p < end) {
    const x = load<i32>(p);
    p += 4;
    if (x == X_CONST) {
      sp = pushInexact(sp, load<f64>(p));
      p += 8;
      continue;
    }
    if (x == X_DECIMAL) {
      // f64, then the scaled value and its scale.
      sp = push(sp, load<f64>(p), load<i64>(p, 8), load<i32>(p, 16));
      p += 20;
      continue;
    }
    if (x == X_REG) {
      sp = pushRegister(sp, bank + (<usize> load<i32>(p) << 5));
      p += 4;
      continue;
    }
    if (x == X_LEAST || x == X_GREATEST) {
      const k = load<i32>(p);
      p += 4;
      sp -= <usize> k * ENTRY;
      let best = sp;
      for (let i = 1; i < k; i++) {
        const e = sp + <usize> i * ENTRY;
        if (x == X_LEAST ? load<f64>(e) < load<f64>(best) : load<f64>(e) > load<f64>(best)) best = e;
      }
      sp = push(sp, load<f64>(best), load<i64>(best, 8), load<i32>(best, 16));
      continue;
    }
    if (x == X_NEG || x == X_ABS || x == X_FLOOR || x == X_CEIL || x == X_ROUND) {
      const top = sp - ENTRY;
      const a = load<f64>(top);
      const av = load<i64>(top, 8);
      const as = load<i32>(top, 16);
      sp = top;
      if (x == X_NEG) sp = push(sp, -a, -av, as);
      else if (x == X_ABS) sp = push(sp, Math.abs(a), av < 0 ? -av : av, as);
      else if (x == X_ROUND) {
        const digits = load<i32>(p);
        p += 4;
        if (as < 0) {
          const m = Math.pow(10.0, <f64> digits);
          sp = pushInexact(sp, (a < 0.0 ? -Math.round(-a * m) : Math.round(a * m)) / m);
        } else if (digits >= as) sp = push(sp, a, av, as);
        else {
          const d = digits < 0 ? 0 : digits;
          const v = rescale(av, as, d);
          sp = push(sp, <f64> v / <f64> POW10[d], v, d);
        }
      } else {
        // floor / ceil
        if (as < 0) sp = pushInexact(sp, x == X_FLOOR ? Math.floor(a) : Math.ceil(a));
        else {
          const d = POW10[as];
          let q = av / d;
          const r = av - q * d;
          if (x == X_FLOOR && r < 0) q -= 1;
          if (x == X_CEIL && r > 0) q += 1;
          sp = push(sp, <f64> q, q, 0);
        }
      }
      continue;
    }
    // Binary operators.
    const bt = sp - ENTRY;
    const at = bt - ENTRY;
    const a = load<f64>(at), b = load<f64>(bt);
    const av = load<i64>(at, 8), bv = load<i64>(bt, 8);
    const as = load<i32>(at, 16), bs = load<i32>(bt, 16);
    const exact = as >= 0 && bs >= 0;
    sp = at;
    if (x == X_ADD || x == X_SUB) {
      const r = x == X_ADD ? a + b : a - b;
      const s = as > bs ? as : bs;
      if (exact && fits(a * Math.pow(10.0, <f64> s)) && fits(b * Math.pow(10.0, <f64> s))) {
        const ax = av * POW10[s - as], bx = bv * POW10[s - bs];
        sp = push(sp, r, x == X_ADD ? ax + bx : ax - bx, s);
      } else sp = pushInexact(sp, r);
    } else if (x == X_MUL) {
      const r = a * b;
      if (exact && as + bs <= MAX_SCALE && fits(<f64> av * <f64> bv)) sp = push(sp, r, av * bv, as + bs);
      else sp = pushInexact(sp, r);
    } else if (x == X_DIV) {
      if (b == 0.0) sp = pushInexact(sp, NaN);
      else {
        // A quotient with a finite expansion within 9 more digits stays exact.
        const t = (as > 6 ? as : 6) + 3;
        const shift = t + bs - as;
        const num = <f64> av * Math.pow(10.0, <f64> shift);
        if (exact && shift >= 0 && shift <= MAX_SCALE && t <= MAX_SCALE && fits(num)) {
          const nv = av * POW10[shift];
          const q = nv / bv;
          if (q * bv == nv) sp = push(sp, a / b, q, t);
          else sp = pushInexact(sp, a / b);
        } else sp = pushInexact(sp, a / b);
      }
    } else {
      // X_MOD, in doubles.
      sp = pushInexact(sp, b == 0.0 ? NaN : a - b * Math.floor(a / b));
    }
  }
  const top = sp - ENTRY;
  resultExact = load<i32>(top, 16) >= 0;
  resultScaled = load<i64>(top, 8);
  resultScale = load<i32>(top, 16);
  return load<f64>(top);
}

/** The result at `scale` decimals, rounded half away from zero as SQL's numeric does. */
export function resultAt(x: f64, scale: i32): i64 {
  if (resultExact) return rescale(resultScaled, resultScale, scale);
  const m = <f64> POW10[scale];
  return <i64> (x < 0.0 ? -Math.round(-x * m) : Math.round(x * m));
}
