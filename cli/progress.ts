/**
 * The progress line on stderr: shown only on a terminal, only once a run has
 * taken a second, refreshed four times a second.
 *
 * @module
 */

const encoder = new TextEncoder();

function human(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** Reports statements and bytes against a total. */
export class Progress {
  readonly #start = performance.now();
  #last = 0;
  #shown = false;
  readonly #enabled: boolean;

  constructor(readonly total: number, enabled = Deno.stderr.isTerminal(), readonly unit = "statements") {
    this.#enabled = enabled;
  }

  /** Updates the line if it is due. */
  update(statements: number, bytes: number, detail?: () => string): void {
    if (!this.#enabled) return;
    const now = performance.now();
    const elapsed = now - this.#start;
    if (elapsed < 1000 || now - this.#last < 250) return;
    this.#last = now;
    this.#shown = true;
    const rate = statements / (elapsed / 1000);
    const pct = this.total > 0 ? ` (${((100 * statements) / this.total).toFixed(1)}%)` : "";
    const eta = rate > 0 ? ` eta ${Math.ceil((this.total - statements) / rate)}s` : "";
    const dups = detail === undefined ? "" : `, ${detail()}`;
    const line = `\r\x1b[2K${human(statements)}/${human(this.total)} ${this.unit}${pct}, ${human(rate)}/s, ` +
      `${human(bytes)}B${dups}${eta}`;
    Deno.stderr.writeSync(encoder.encode(line));
  }

  /** Clears the line. */
  done(): void {
    if (this.#shown) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
  }
}
