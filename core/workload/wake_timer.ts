/**
 * A timer that fires within about a tenth of a millisecond of when it is
 * asked to. `setTimeout` here fires 1–2 ms late (its clock ticks in whole
 * milliseconds and the event loop adds a tick), which would put that much
 * schedule lag on every open-loop transaction. This one lets a worker thread
 * sleep in `Atomics.wait`, whose timeout is precise and costs no CPU, and
 * post a message when the moment comes; the main thread wakes on the
 * message. The worker's code is a string run from a blob URL, so it needs no
 * file of its own and travels inside a bundle.
 *
 * One wake is pending at a time: asking again moves it.
 *
 * @module
 */

// The worker: sleeps until the time in slot 1 (ms since the epoch), woken early when slot 0 changes.
const WORKER = `
let sab;
self.onmessage = (e) => {
  sab = e.data;
  const seq = new Int32Array(sab, 0, 1);
  const due = new Float64Array(sab, 8, 1);
  for (;;) {
    const s = Atomics.load(seq, 0);
    const at = due[0];
    if (at < 0) break;
    if (at === 0) { Atomics.wait(seq, 0, s); continue; }
    const left = at - (performance.timeOrigin + performance.now());
    if (left > 0.01) { Atomics.wait(seq, 0, s, left); continue; }
    due[0] = 0;
    self.postMessage(0);
  }
  self.close();
};
`;

/** Epoch milliseconds from `performance.now()` (the worker's own clock has another origin). */
const epoch = (nowMs: number) => performance.timeOrigin + nowMs;

/** Wakes a callback at a `performance.now()` moment, precisely. */
export class WakeTimer {
  readonly #worker: Worker | undefined;
  readonly #seq: Int32Array;
  readonly #due: Float64Array;
  readonly #url: string | undefined;
  #fallback: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly onWake: () => void) {
    const sab = new SharedArrayBuffer(16);
    this.#seq = new Int32Array(sab, 0, 1);
    this.#due = new Float64Array(sab, 8, 1);
    try {
      this.#url = URL.createObjectURL(new Blob([WORKER], { type: "application/javascript" }));
      this.#worker = new Worker(this.#url, { type: "module" });
      this.#worker.onmessage = () => this.onWake();
      this.#worker.postMessage(sab);
    } catch {
      // No worker (a restricted host): plain timers, a millisecond or two late.
      this.#worker = undefined;
    }
  }

  /** Asks for one wake at `atMs` (`performance.now()` time), replacing any pending one. */
  wakeAt(atMs: number): void {
    if (!this.#worker) {
      if (this.#fallback !== undefined) clearTimeout(this.#fallback);
      this.#fallback = setTimeout(() => {
        this.#fallback = undefined;
        this.onWake();
      }, Math.max(0, atMs - performance.now() - 1));
      return;
    }
    this.#due[0] = epoch(atMs);
    Atomics.add(this.#seq, 0, 1);
    Atomics.notify(this.#seq, 0);
  }

  /** Stops the worker; no wake comes after this. */
  close(): void {
    if (this.#fallback !== undefined) clearTimeout(this.#fallback);
    if (this.#worker) {
      this.#worker.onmessage = null;
      this.#due[0] = -1;
      Atomics.add(this.#seq, 0, 1);
      Atomics.notify(this.#seq, 0);
      this.#worker.terminate();
    }
    if (this.#url) URL.revokeObjectURL(this.#url);
  }
}
