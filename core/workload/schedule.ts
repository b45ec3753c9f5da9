/**
 * The open-loop arrival schedule: when each transaction is meant to start,
 * fixed in advance by the target rate and never by when earlier ones
 * finished. That independence is the point: a client that waits for the
 * database before scheduling the next transaction (a closed loop) sends
 * less while the database stalls, and the stall vanishes from its
 * latencies (coordinated omission). Here a stall delays the transactions
 * scheduled during it, and their latency, measured from the intended
 * start, shows it.
 *
 * Constant arrivals are evenly spaced; Poisson arrivals have exponential
 * gaps of the same mean (independent users), drawn from the run's seed.
 * The rate may change over time (the warm-up ramp, `--find-max` steps):
 * each gap uses the rate at its start.
 *
 * @module
 */
import { Choices } from "../rng/choices.ts";
import { WakeTimer } from "./wake_timer.ts";

/** How arrivals are spaced. */
export type Arrival = "constant" | "poisson";

/** Intended start times, in `performance.now()` milliseconds. */
export class ArrivalSchedule {
  #next: number;
  readonly #choices: Choices;

  /**
   * @param startMs When the first transaction is due.
   * @param rate Transactions per second wanted at a moment (> 0).
   */
  constructor(
    startMs: number,
    readonly arrival: Arrival,
    readonly rate: (atMs: number) => number,
    seed: bigint,
  ) {
    this.#next = startMs;
    this.#choices = new Choices(seed ^ 0x5ced_a7e5n);
  }

  /** The intended start of the next transaction. */
  next(): number {
    const at = this.#next;
    const mean = 1000 / Math.max(1e-6, this.rate(at));
    // 1 - unit() is in (0, 1]: the log is finite.
    this.#next += this.arrival === "constant" ? mean : -Math.log(1 - this.#choices.unit()) * mean;
    return at;
  }

  /** When the transaction after the last one given is due. */
  peek(): number {
    return this.#next;
  }
}

/**
 * Hands due slots to idle lanes. Lanes do not each sleep until a slot of
 * their own: a lane that claimed a slot and then woke late would hold it
 * while others sat idle, so lateness would pile up at high rates. Instead
 * one precise timer (wake_timer.ts) wakes for the earliest slot and every
 * idle lane takes a due slot at once; a lane that finishes when a slot is
 * already due takes it without waiting. `close()` must be called at the
 * end (it stops the timer's thread).
 */
export class SlotDispatcher {
  readonly #waiting: ((slot: number | undefined) => void)[] = [];
  readonly #timer = new WakeTimer(() => this.#pump());
  #armed = false;
  #closed = false;

  constructor(readonly schedule: ArrivalSchedule) {}

  /** The intended start of the next slot, once it is due; undefined after close(). */
  take(): Promise<number | undefined> | number | undefined {
    if (this.#closed) return undefined;
    if (this.#waiting.length === 0 && this.schedule.peek() <= performance.now()) return this.schedule.next();
    const slot = new Promise<number | undefined>((resolve) => this.#waiting.push(resolve));
    this.#arm();
    return slot;
  }

  /** Releases every waiting lane with no slot (the run is over) and stops the timer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.close();
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
  }

  #arm(): void {
    if (this.#armed || this.#closed) return;
    this.#armed = true;
    this.#timer.wakeAt(this.schedule.peek());
  }

  #pump(): void {
    this.#armed = false;
    const now = performance.now();
    while (this.#waiting.length > 0 && this.schedule.peek() <= now) {
      this.#waiting.shift()!(this.schedule.next());
    }
    if (this.#waiting.length > 0) this.#arm();
  }
}
