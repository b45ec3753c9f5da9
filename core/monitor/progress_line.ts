/**
 * The terminal line of `generate`'s monitoring: one interval sample as one
 * line of text (the CLI redraws it on a terminal, or prints one a line
 * when `--progress` asks for it elsewhere).
 *
 * @module
 */
import type { MonitorSample } from "./sample.ts";

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/**
 * The sample as a progress line: done of planned, rates, memory,
 * uniqueness (with the filter's fill where there is a filter) and the
 * workers' rates when there are several.
 *
 * @example
 * ```ts
 * import { progressLine } from "./progress_line.ts";
 * import type { MonitorSample } from "./sample.ts";
 * const line = progressLine({
 *   statements: 500_000, planned: 1_000_000, statements_per_s: 250_000, mb_per_s: 40, rss_bytes: 2 ** 27,
 *   unique: { mode: "structural", replaced: 0, exhausted: 0, filter_fill: null, false_positive_rate: null },
 *   workers: [{ worker: 0, statements: 500_000, statements_per_s: 250_000 }],
 * } as unknown as MonitorSample);
 * if (line !== "500.0k/1.00M statements (50.0%), 250.0k/s, 40.0 MB/s, RSS 128 MiB, eta 2s") throw new Error(line);
 * ```
 */
export function progressLine(s: MonitorSample): string {
  const pct = s.planned > 0 ? ` (${((100 * s.statements) / s.planned).toFixed(1)}%)` : "";
  const parts = [
    `${human(s.statements)}/${human(s.planned)} statements${pct}`,
    `${human(s.statements_per_s)}/s`,
    `${s.mb_per_s.toFixed(1)} MB/s`,
    `RSS ${Math.round(s.rss_bytes / 2 ** 20)} MiB`,
  ];
  const u = s.unique;
  if (u.filter_fill !== null) {
    parts.push(
      `${u.replaced} replaced, ${u.exhausted} exhausted, filter ${(100 * u.filter_fill).toFixed(1)}%` +
        (u.false_positive_rate !== null ? ` (fp ${u.false_positive_rate.toExponential(1)})` : ""),
    );
  }
  if (s.workers.length > 1) {
    parts.push(s.workers.map((w) => `w${w.worker} ${human(w.statements_per_s)}/s`).join(" "));
  }
  const left = s.planned - s.statements;
  if (s.statements_per_s > 0 && left > 0) parts.push(`eta ${Math.ceil(left / s.statements_per_s)}s`);
  return parts.join(", ");
}
