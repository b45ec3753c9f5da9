/**
 * Statistics for the fidelity tests: chi-square and Kolmogorov–Smirnov
 * statistics with critical values computed here (incomplete gamma,
 * Kolmogorov's series), and the reference laws the kernel's draws are held to.
 *
 * @module
 */
import { ok, strictEqual } from "node:assert/strict";

/** Significance level of every test. */
export const ALPHA = 1e-4;

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized incomplete gamma [P(a, x), Q(a, x)]: series below a + 1, Lentz's continued fraction above. */
export function gammaPQ(a: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  const front = Math.exp(a * Math.log(x) - x - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a, sum = term;
    for (let n = 1; n < 100000 && Math.abs(term) > Math.abs(sum) * 1e-17; n++) {
      term *= x / (a + n);
      sum += term;
    }
    const p = sum * front;
    return [p, 1 - p];
  }
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-16) break;
  }
  const q = front * h;
  return [1 - q, q];
}

/** The standard normal CDF, through erf(z / √2) = P(1/2, z² / 2). */
export function normalCdf(z: number): number {
  const [p, q] = gammaPQ(0.5, (z * z) / 2);
  return z >= 0 ? 0.5 + 0.5 * p : 0.5 * q;
}

/** The x where a decreasing `tail` equals `alpha`, by bisection on [lo, hi]. */
export function solveTail(tail: (x: number) => number, alpha: number, lo: number, hi: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Upper critical value of chi-square with `df` degrees of freedom. */
export function chiSquareCritical(df: number, alpha: number): number {
  return solveTail((x) => gammaPQ(df / 2, x / 2)[1], alpha, 0, df + 50 * Math.sqrt(df) + 100);
}

/** Kolmogorov's limiting survival function P(√n D > λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²). */
export function kolmogorovTail(lambda: number): number {
  let s = 0;
  for (let k = 1; k <= 100; k++) s += (k % 2 ? 2 : -2) * Math.exp(-2 * k * k * lambda * lambda);
  return s;
}

/** Critical D of the one-sample KS test for n samples (Stephens' finite-n correction of the limit). */
export function ksCritical(n: number, alpha: number): number {
  const lambda = solveTail(kolmogorovTail, alpha, 0.2, 5);
  return lambda / (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n));
}

/**
 * KS distance between a sample of values rounded to multiples of `step` and
 * the law of a variable with CDF `cdf` rounded the same way: a value v then
 * has P(V ≤ v) = F(v + step/2) and P(V < v) = F(v - step/2). Against a
 * discrete law the continuous critical value is conservative.
 */
export function ksRounded(sample: Float64Array, cdf: (x: number) => number, step: number): number {
  const x = sample.slice().sort();
  const n = x.length;
  let d = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && x[j] === x[i]) j++;
    const v = x[i]!;
    d = Math.max(d, j / n - cdf(v + step / 2), cdf(v - step / 2) - i / n);
    i = j;
  }
  return d;
}

/** Chi-square of counts against probabilities, adjacent cells pooled until each expects at least 5. */
export function chiSquare(
  observed: ArrayLike<number>,
  probs: ArrayLike<number>,
): { stat: number; df: number } {
  let n = 0, total = 0;
  for (let i = 0; i < observed.length; i++) n += observed[i]!;
  for (let i = 0; i < probs.length; i++) total += probs[i]!;
  ok(Math.abs(total - 1) < 1e-9, `probabilities sum to ${total}`);
  ok(observed.length === probs.length, "one probability per cell");
  const cells: [number, number][] = [];
  let o = 0, e = 0;
  for (let i = 0; i < probs.length; i++) {
    o += observed[i]!;
    e += n * probs[i]!;
    if (e >= 5) {
      cells.push([o, e]);
      o = e = 0;
    }
  }
  if (e > 0 || o > 0) {
    const last = cells[cells.length - 1]!;
    last[0] += o;
    last[1] += e;
  }
  const stat = cells.reduce((s, [oc, ec]) => s + ((oc - ec) * (oc - ec)) / ec, 0);
  return { stat, df: cells.length - 1 };
}

/** Asserts a chi-square fit at ALPHA and prints the statistic against its critical value. */
export function assertFits(label: string, observed: ArrayLike<number>, probs: ArrayLike<number>): void {
  const { stat, df } = chiSquare(observed, probs);
  const critical = chiSquareCritical(df, ALPHA);
  console.log(`${label}: chi2 = ${stat.toFixed(2)} (df ${df}), critical ${critical.toFixed(2)}`);
  ok(stat < critical, `${label}: chi-square ${stat} with ${df} df is above ${critical} (alpha ${ALPHA})`);
}

/** Asserts a KS fit at ALPHA and prints the statistic against its critical value. */
export function assertKs(
  label: string,
  sample: Float64Array,
  cdf: (x: number) => number,
  step: number,
): void {
  const d = ksRounded(sample, cdf, step);
  const critical = ksCritical(sample.length, ALPHA);
  console.log(`${label}: D = ${d.toExponential(3)}, critical ${critical.toExponential(3)}`);
  ok(d < critical, `${label}: KS distance ${d} is above ${critical} (alpha ${ALPHA})`);
}

/** A CDF truncated to [lo, hi]. */
export function truncated(cdf: (x: number) => number, lo: number, hi: number): (x: number) => number {
  const a = cdf(lo), b = cdf(hi);
  return (x) => x <= lo ? 0 : x >= hi ? 1 : (cdf(x) - a) / (b - a);
}

/** A pmf over the integers lo..hi, normalised (a truncated law). */
export function pmf(lo: number, hi: number, p: (k: number) => number): Float64Array {
  const out = Float64Array.from({ length: hi - lo + 1 }, (_, i) => p(lo + i));
  const total = out.reduce((a, b) => a + b, 0);
  return out.map((x) => x / total);
}

export const poissonPmf = (lambda: number) => (k: number) =>
  Math.exp(k * Math.log(lambda) - lambda - lnGamma(k + 1));
export const zipfPmf = (s: number) => (k: number) => Math.pow(k, -s);

/** Counts of integer values lo..hi (anything else fails). */
export function histogram(values: ArrayLike<number>, lo: number, hi: number): Float64Array {
  const counts = new Float64Array(hi - lo + 1);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isInteger(v) && v >= lo && v <= hi) counts[v - lo]!++;
    else outside++;
  }
  strictEqual(outside, 0, `${outside} values outside ${lo}..${hi}`);
  return counts;
}

// ---------------------------------------------------------------------------
// Generating and reading rows.
