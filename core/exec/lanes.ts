/**
 * The shape every traffic loop runs in: sessions (one connection each), each
 * with `pipeline` lanes that take one unit of work at a time, so a session
 * keeps up to `pipeline` statements in flight. A lane that loses its
 * connection backs off (50 ms per consecutive loss) and tries again; after
 * {@link MAX_CONNECTION_FAILURES} losses in a row the run stops with the
 * reason. Latency is service time: a statement queued behind others on the
 * same session is timed from when the one before it finished.
 *
 * @module
 */
import type { Target } from "./targets.ts";

/** Consecutive connection failures after which a session gives up. */
export const MAX_CONNECTION_FAILURES = 20;

/** Times the statements of one session. */
export class SessionClock {
  #last = 0;

  /**
   * Microseconds a statement sent at `sentAt` and answered now took, not
   * counting time spent queued behind the session's earlier statements.
   */
  served(sentAt: number): number {
    const now = performance.now();
    const micros = (now - Math.max(sentAt, this.#last)) * 1000;
    this.#last = now;
    return micros;
  }
}

/** What a unit of work tells its lane. */
export type LaneStep = "ok" | { lost: string };

/** Options of {@link runLanes}. */
export interface LanesOptions {
  sessions: readonly Target[];
  /** Lanes per session [default: 1]. */
  pipeline?: number;
  /** Whether the run is over (checked before each unit of work). */
  done(): boolean;
  /** One unit of work on `session`; `{ lost }` when its connection failed. */
  step(session: Target, clock: SessionClock): Promise<LaneStep>;
  /** Called once when a session gave up, with why. */
  giveUp(reason: string): void;
  /** Called about four times a second while the lanes run (progress lines). */
  tick?(): void;
}

/**
 * Turns of the event loop (a message, not a timer: timers wait a
 * millisecond or more here). A database that answers without I/O (PGlite
 * runs in this thread) resolves every promise at once, so lanes would
 * otherwise never let timers, signals and progress lines run. One channel
 * serves the whole run: making one costs more than a thousand statements.
 */
class EventLoopTurns {
  readonly #channel = new MessageChannel();
  readonly #waiting: (() => void)[] = [];

  constructor() {
    this.#channel.port1.onmessage = () => this.#waiting.shift()?.();
  }

  /** Resolves after the next turn of the event loop. */
  next(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#channel.port2.postMessage(null);
    });
  }

  close(): void {
    this.#channel.port1.close();
    this.#channel.port2.close();
  }
}

/** Runs lanes until `done()` or a session gives up; resolves when every lane has stopped. */
export async function runLanes(o: LanesOptions): Promise<void> {
  let stop = false;
  let yielded = performance.now();
  let steps = 0;
  const ticker = o.tick ? setInterval(o.tick, 250) : undefined;
  const turns = new EventLoopTurns();
  try {
    await lanes();
  } finally {
    if (ticker !== undefined) clearInterval(ticker);
    turns.close();
  }
  async function lanes() {
    await Promise.all(o.sessions.flatMap((session) => {
      const clock = new SessionClock();
      const losses = { n: 0 };
      return Array.from({ length: Math.max(1, o.pipeline ?? 1) }, async () => {
        while (!stop && !o.done()) {
          const r = await o.step(session, clock);
          // The clock is read every 16th unit: a read is a call into the runtime, a share of a small statement's cost.
          if ((++steps & 15) === 0 && performance.now() - yielded > 20) {
            yielded = performance.now();
            await turns.next();
          }
          if (r === "ok") {
            losses.n = 0;
            continue;
          }
          if (++losses.n >= MAX_CONNECTION_FAILURES) {
            if (!stop) o.giveUp(`the database stayed unreachable (${r.lost.split("\n")[0]})`);
            stop = true;
          } else await new Promise((resolve) => setTimeout(resolve, 50 * losses.n));
        }
      });
    }));
  }
}
