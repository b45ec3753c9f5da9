/**
 * The live view of `quarry workload run` on stderr: on a terminal, a block
 * of lines redrawn every second (progress bar, TPS against target, success
 * rate, latency, mix, recent errors); elsewhere one plain line every
 * `--progress` seconds, so logs stay readable.
 *
 * @module
 */
import type { LiveSnapshot } from "../../core/workload/result.ts";

const encoder = new TextEncoder();

const ms = (us: number) => us >= 100_000 ? `${(us / 1000).toFixed(0)}ms` : `${(us / 1000).toFixed(1)}ms`;

/** Draws the live view. */
export class LiveView {
  #lines = 0;
  #lastDraw = -Infinity;
  #lastPlain = 0;

  constructor(
    readonly o: {
      terminal: boolean;
      everyS: number;
      targetTps: number | undefined;
      operations: readonly string[];
    },
  ) {}

  /** Called several times a second; draws when a second (or `everyS`) has passed. */
  update(s: LiveSnapshot): void {
    const now = performance.now();
    if (this.o.terminal) {
      if (now - this.#lastDraw < 1000) return;
      this.#lastDraw = now;
      this.#draw(this.#block(s));
    } else {
      const due = Math.floor(s.elapsed_s / this.o.everyS);
      if (s.warming_up || due <= this.#lastPlain) return;
      this.#lastPlain = due;
      Deno.stderr.writeSync(encoder.encode(this.#plain(s) + "\n"));
    }
  }

  /** Clears the block (the summary follows). */
  close(): void {
    if (this.o.terminal && this.#lines > 0) this.#draw([]);
  }

  #draw(lines: string[]): void {
    const up = this.#lines > 0 ? `\x1b[${this.#lines}F` : "";
    const text = up + lines.map((l) => `\x1b[2K${l}\n`).join("") + "\x1b[J";
    this.#lines = lines.length;
    Deno.stderr.writeSync(encoder.encode(text));
  }

  #plain(s: LiveSnapshot): string {
    const t = s.totals;
    const done = t.succeeded + t.failed;
    const tps = s.last?.tps ?? 0;
    const target = this.o.targetTps !== undefined ? `/${this.o.targetTps}` : "";
    return `quarry: ${s.elapsed_s.toFixed(0)}s ${tps}${target} tps, ${done} done, ` +
      `${done > 0 ? ((t.succeeded / done) * 100).toFixed(2) : "100.00"}% ok, ` +
      `p50 ${ms(s.overall.p50_us)} p95 ${ms(s.overall.p95_us)} p99 ${ms(s.overall.p99_us)}` +
      (t.failed > 0 ? `, ${t.failed} failed` : "") + (t.reconnects > 0 ? `, ${t.reconnects} reconnects` : "");
  }

  #block(s: LiveSnapshot): string[] {
    const t = s.totals;
    const done = t.succeeded + t.failed;
    const width = 40;
    let fraction = 0;
    let of = "";
    if (s.planned && "seconds" in s.planned) {
      fraction = s.elapsed_s / s.planned.seconds;
      of = `${Math.max(0, s.elapsed_s).toFixed(0)}/${s.planned.seconds} s`;
    } else if (s.planned) {
      fraction = done / s.planned.transactions;
      of = `${done}/${s.planned.transactions} transactions`;
    }
    const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
    const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${of}${
      s.warming_up ? " (warming up)" : ""
    }`;
    const tps = s.last?.tps ?? 0;
    const target = this.o.targetTps !== undefined ? ` of ${this.o.targetTps} target` : " (closed loop)";
    const lines = [
      bar,
      `tps ${tps}${target}   ok ${done > 0 ? ((t.succeeded / done) * 100).toFixed(2) : "100.00"}%   ` +
      `failed ${t.failed}   retries ${t.retries}   reconnects ${t.reconnects}` +
      (t.skipped > 0 ? `   skipped ${t.skipped}` : "") + (t.late > 0 ? `   late ${t.late}` : ""),
      `latency p50 ${ms(s.overall.p50_us)}  p95 ${ms(s.overall.p95_us)}  p99 ${ms(s.overall.p99_us)}  ` +
      `max ${ms(s.overall.max_us)}` + (s.last ? `   lag p99 ${ms(s.last.lag_p99_us)}` : ""),
    ];
    const total = Object.values(s.mix).reduce((a, b) => a + b, 0);
    if (total > 0) {
      lines.push(
        "mix " +
          this.o.operations.map((op) => `${op} ${(((s.mix[op] ?? 0) / total) * 100).toFixed(0)}%`).join("  "),
      );
    }
    for (const e of s.recent_errors.slice(-3)) {
      lines.push(`error ${e.code}: ${e.message.split("\n")[0]!.slice(0, 90)}`);
    }
    return lines;
  }
}
