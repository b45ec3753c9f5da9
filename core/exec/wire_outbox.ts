/**
 * What a wire session (core/exec/wire.ts) has yet to send: messages are
 * written into one byte buffer and go out in one socket write. A write to a
 * loopback socket costs the sender the receiver's side of TCP as well and
 * wakes the server's backend, so the fewer the writes the more of two cores
 * is left to the server.
 *
 * - A write waits a few turns of the microtask queue, which lets every
 *   statement that the last read's answers set going join it (answers to
 *   several statements arrive in one read, and each caller takes a few
 *   promise turns to send its next one).
 * - With {@link Outbox.batching}, statements also wait while the server
 *   still has more of the session's statements to answer than are waiting:
 *   the server never runs dry, and each write carries about half of the
 *   statements the session keeps in flight instead of one or two.
 * - While a write is in flight, new messages fill a second buffer, written
 *   once the first is done.
 *
 * @module
 */

/**
 * Microtask turns a write waits for more messages. From an answer to the next
 * statement a caller of `execute` takes about five turns (its awaits, its
 * loop's); past that a wait gains nothing and costs only the turns.
 */
export const FLUSH_TURNS = 12;

/** The bytes to send, and when to send them. */
export class Outbox {
  #out = new Uint8Array(1 << 14);
  #spare = new Uint8Array(1 << 14);
  #length = 0;
  #scheduled = false;
  #writing = false;
  #turns = 0;
  /** Statements queued here, and statements written and not yet answered. */
  #waiting = 0;
  #inFlight = 0;
  /** Statements wait while the server has more of them to answer (see the module doc). */
  batching = false;
  /** Socket writes so far (tests, benches). */
  writes = 0;

  /**
   * @param write Writes all of `data` to the socket (it may keep the bytes until it resolves).
   * @param lost Called with the error when a write fails; what was queued is dropped.
   */
  constructor(
    readonly write: (data: Uint8Array) => Promise<void>,
    readonly lost: (e: unknown) => void,
  ) {}

  /** Bytes queued. */
  get length(): number {
    return this.#length;
  }

  /**
   * The buffer with room for `n` more bytes past {@link length}; write them
   * there, then call {@link wrote}. Valid until the next call of any method.
   */
  room(n: number): Uint8Array {
    if (this.#length + n > this.#out.length) {
      const grown = new Uint8Array(Math.max(2 * this.#out.length, this.#length + n));
      grown.set(this.#out.subarray(0, this.#length));
      this.#out = grown;
    }
    return this.#out;
  }

  /** `n` bytes were written at {@link length}: they are queued. */
  wrote(n: number): void {
    this.#length += n;
    if (this.#scheduled || this.#writing) return;
    this.#scheduled = true;
    this.#turns = FLUSH_TURNS;
    queueMicrotask(this.#turn);
  }

  /** Queues a whole message. */
  push(m: Uint8Array): void {
    this.room(m.length).set(m, this.#length);
    this.wrote(m.length);
  }

  /** One more statement (one answer to come) is among the messages queued. */
  statement(): void {
    this.#waiting++;
  }

  /** The server answered a statement: statements held back may go now. */
  answered(): void {
    if (this.#inFlight > 0) this.#inFlight--;
    if (!this.#scheduled && !this.#writing && this.#length > 0 && !this.#hold()) this.#flush();
  }

  /** Drops what is queued and forgets what was in flight (the connection is gone). */
  clear(): void {
    this.#length = 0;
    this.#waiting = this.#inFlight = 0;
  }

  /** Whether queued statements wait for more answers: the server has more to do than waits here. */
  #hold(): boolean {
    return this.batching && this.#waiting < this.#inFlight;
  }

  readonly #turn = (): void => {
    if (--this.#turns > 0) {
      queueMicrotask(this.#turn);
      return;
    }
    this.#scheduled = false;
    if (!this.#writing && !this.#hold()) this.#flush();
  };

  async #flush(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#length > 0 && !this.#hold()) {
        const data = this.#out.subarray(0, this.#length);
        // Messages queued during the write go to the other buffer.
        const spare = this.#spare;
        this.#spare = this.#out;
        this.#out = spare;
        this.#length = 0;
        this.#inFlight += this.#waiting;
        this.#waiting = 0;
        this.writes++;
        await this.write(data);
      }
    } catch (e) {
      this.clear();
      this.lost(e);
    } finally {
      this.#writing = false;
    }
  }
}
