/**
 * Latencies in a fixed-size histogram of two significant digits (within 5 %),
 * from 1 µs to 1000 s, so a run of any length keeps constant memory and
 * percentiles cost a walk over 900 counters.
 *
 * @module
 */

const DECADES = 9;
const PER_DECADE = 90; // mantissas 10..99

/** Records latencies in microseconds and answers percentiles. */
export class LatencyHistogram {
  readonly #counts = new Float64Array(DECADES * PER_DECADE + 10);
  #total = 0;
  #max = 0;

  /** Records one latency; values below 1 µs count as 1 µs. */
  record(micros: number): void {
    const v = Math.max(1, Math.round(micros));
    this.#counts[bucket(v)]!++;
    this.#total++;
    if (v > this.#max) this.#max = v;
  }

  get count(): number {
    return this.#total;
  }

  /** Largest latency seen, in µs. */
  get max(): number {
    return this.#max;
  }

  /**
   * The latency at percentile `p` (0–100) in µs: the upper edge of its bucket, so
   * never below the true value.
   *
   * @example
   * ```ts
   * import { LatencyHistogram } from "./latency.ts";
   * const h = new LatencyHistogram();
   * for (let v = 1; v <= 1000; v++) h.record(v);
   * const p50 = h.percentile(50);
   * if (p50 < 500 || p50 > 525) throw new Error(String(p50));
   * ```
   */
  percentile(p: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.ceil((p / 100) * this.#total);
    let seen = 0;
    for (let i = 0; i < this.#counts.length; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.#max);
    }
    return this.#max;
  }
}

/** 1..9 µs get buckets 0..8; from 10 µs on, two significant digits per decade. */
function bucket(v: number): number {
  if (v < 10) return v - 1;
  const decade = Math.min(Math.floor(Math.log10(v)), DECADES);
  const mantissa = Math.min(Math.floor(v / 10 ** (decade - 1)), 99);
  return 9 + (decade - 1) * PER_DECADE + (mantissa - 10);
}

function upperEdge(i: number): number {
  if (i < 9) return i + 1;
  const decade = 1 + Math.floor((i - 9) / PER_DECADE);
  const mantissa = 10 + ((i - 9) % PER_DECADE);
  return (mantissa + 1) * 10 ** (decade - 1) - 1;
}
