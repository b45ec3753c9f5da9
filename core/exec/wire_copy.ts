/**
 * COPY ... FROM STDIN on a `WireSession` (core/exec/wire.ts): after the server's
 * CopyInResponse the session belongs to one {@link CopyWriter}, which sends
 * the caller's bytes as CopyData messages of up to 1 MiB, then CopyDone or
 * CopyFail. The server may answer with an ErrorResponse at any moment (a
 * unique violation in row 10 while row 10,000,000 is being written); the
 * session's read loop hands it over at once, and the next write throws it
 * instead of sending more. Also the errors the COPY path throws.
 *
 * Protocol reference: PostgreSQL "Frontend/Backend Protocol", 55.2.6 COPY
 * Operations.
 *
 * @module
 */
import type { Outcome } from "./targets.ts";

/** A COPY failed: `code` is the server's SQLSTATE (23505 for a duplicate key). */
export class CopyError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "CopyError";
  }
}

/**
 * The database could not be reached (08001), refused the session (28P01,
 * 3D000) or went away (08006); the message names the database without its
 * password.
 */
export class ConnectionError extends CopyError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "ConnectionError";
  }
}

/**
 * The error for a failed outcome: class 08, or an error that ended the
 * session (severity FATAL: 57P01 when the server was shut down or the backend
 * terminated), is a {@link ConnectionError}.
 */
export function copyFailure(o: { code: string; message: string; severity?: string }): CopyError {
  const lost = o.code.startsWith("08") || o.severity === "FATAL" || o.severity === "PANIC";
  return lost ? new ConnectionError(o.code, o.message) : new CopyError(o.code, o.message);
}

/** What the session's read loop reports to the COPY at the head of its queue. */
export interface CopyHooks {
  /** CopyInResponse: the server waits for data. */
  started(): void;
  /** CommandComplete's tag ("COPY 100000"). */
  completed(tag: string): void;
  /** An ErrorResponse, possibly while data is still being written. */
  failed(e: { code: string; message: string; severity: string }): void;
}

/** What a writer needs of its session (implemented by WireSession). */
export interface CopyChannel {
  /** Writes all the bytes to the socket; throws a ConnectionError when it is gone. */
  write(bytes: Uint8Array): Promise<void>;
  /** The COPY is over (ReadyForQuery seen, no write in flight): statements may go out again. */
  release(): void;
}

/** Payload bytes per CopyData message. */
const SEGMENT = 1 << 20;
const RESOLVED = Promise.resolve();
const COPY_DONE = new Uint8Array([99, 0, 0, 0, 4]);

/**
 * The writing end of one COPY ... FROM STDIN, from `WireSession.copyIn`.
 * Small chunks are gathered into one CopyData message; a chunk may end
 * anywhere, in a row or in a UTF-8 character. A write resolves once its
 * bytes are buffered or taken by the socket, so awaiting each one is the
 * backpressure. Writes may be issued without awaiting; they go out in order.
 * After a failure every call rejects with the same {@link CopyError}.
 */
export class CopyWriter {
  readonly #channel: CopyChannel;
  readonly #done: Promise<Outcome>;
  readonly #segment = new Uint8Array(5 + SEGMENT);
  #staged = 0;
  #queue: Promise<void> = RESOLVED;
  #busy = 0;
  #ended = false;
  #error: CopyError | undefined;
  #tag = "";
  #started!: () => void;
  readonly #startedOnce = new Promise<"started">((resolve) => this.#started = () => resolve("started"));

  /** Made by `WireSession.copyIn`; `done` settles at the COPY's ReadyForQuery. */
  constructor(channel: CopyChannel, done: Promise<Outcome>) {
    this.#channel = channel;
    this.#done = done.then((o) => {
      if (!o.ok) this.#error ??= copyFailure(o);
      return o;
    });
    this.#segment[0] = 100; // 'd'
    // The session is free again once the server is ready and nothing of ours is still being written.
    this.#done.then(() => this.#queue.catch(() => {})).then(() => channel.release());
  }

  /** The read loop's side of this COPY. */
  readonly hooks: CopyHooks = {
    started: () => this.#started(),
    completed: (tag) => this.#tag = tag,
    failed: (e) => this.#error ??= copyFailure(e),
  };

  /**
   * Resolves at CopyInResponse; rejects with the statement's error, or a
   * TypeError when it was not a COPY FROM STDIN.
   */
  async started(sql: string): Promise<void> {
    const first = await Promise.race([this.#startedOnce, this.#done]);
    if (first === "started") return;
    if (!first.ok) throw this.#error;
    throw new TypeError(`Not a COPY ... FROM STDIN statement: ${sql.slice(0, 80)}`);
  }

  /**
   * Sends `chunk` (buffered up to 1 MiB). The caller may reuse the chunk once
   * the promise resolves.
   *
   * @throws {CopyError} The server's error, once it has sent one.
   */
  write(chunk: Uint8Array): Promise<void> {
    if (
      this.#busy === 0 && this.#error === undefined && !this.#ended && this.#staged + chunk.length < SEGMENT
    ) {
      this.#segment.set(chunk, 5 + this.#staged);
      this.#staged += chunk.length;
      return RESOLVED;
    }
    return this.#enqueue(() => this.#put(chunk));
  }

  /**
   * Sends what is buffered and CopyDone.
   *
   * @returns The rows the server copied.
   * @throws {CopyError} When the COPY failed, before or at its end.
   */
  async end(): Promise<number> {
    await this.#queue.catch(() => {});
    if (this.#error === undefined && !this.#ended) {
      this.#ended = true;
      await this.#enqueue(async () => {
        if (this.#staged > 0) await this.#sendStaged();
        await this.#channel.write(COPY_DONE);
      }).catch((e) => this.#error ??= asCopyError(e));
    }
    this.#ended = true;
    const outcome = await this.#done;
    if (!outcome.ok || this.#error) throw this.#error;
    const rows = /^COPY (\d+)/.exec(this.#tag);
    return rows ? Number(rows[1]) : 0;
  }

  /**
   * Abandons the COPY with CopyFail: nothing of it stays. Resolves once the
   * server is ready for the next statement, also when the COPY had already
   * failed.
   */
  async fail(reason: string): Promise<void> {
    await this.#queue.catch(() => {});
    if (this.#error === undefined && !this.#ended) {
      this.#ended = true;
      this.#staged = 0;
      const text = encoder.encode(reason.replaceAll("\0", " "));
      const m = new Uint8Array(6 + text.length);
      m[0] = 102; // 'f'
      new DataView(m.buffer).setInt32(1, 5 + text.length);
      m.set(text, 5);
      await this.#enqueue(() => this.#channel.write(m)).catch(() => {});
    }
    this.#ended = true;
    await this.#done;
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    this.#busy++;
    const next = this.#queue.then(step).finally(() => this.#busy--);
    this.#queue = next;
    return next;
  }

  #check(): void {
    if (this.#error) throw this.#error;
    if (this.#ended) throw new TypeError("The COPY has ended: write after end() or fail()");
  }

  async #put(chunk: Uint8Array): Promise<void> {
    this.#check();
    for (let at = 0; at < chunk.length;) {
      const n = Math.min(SEGMENT - this.#staged, chunk.length - at);
      this.#segment.set(chunk.subarray(at, at + n), 5 + this.#staged);
      this.#staged += n;
      at += n;
      if (this.#staged === SEGMENT) {
        await this.#sendStaged();
        // The server's error, if it has sent one meanwhile, stops the rest of the chunk.
        this.#check();
      }
    }
  }

  async #sendStaged(): Promise<void> {
    new DataView(this.#segment.buffer).setInt32(1, 4 + this.#staged);
    const n = this.#staged;
    this.#staged = 0;
    try {
      await this.#channel.write(this.#segment.subarray(0, 5 + n));
    } catch (e) {
      throw this.#error ??= asCopyError(e);
    }
  }
}

const encoder = new TextEncoder();

function asCopyError(e: unknown): CopyError {
  if (e instanceof CopyError) return e;
  return new ConnectionError("08006", String((e as Error)?.message ?? e));
}
