/**
 * The rest `--find-max` takes after a step that missed its objective. An
 * overloaded step leaves work behind: dead row versions that autovacuum
 * then cleans, dirty pages, other sessions' queued statements. A step run
 * while that goes on measures the aftermath, not its own rate, and a search
 * that bisects always runs its next step right after a miss, so it would
 * answer lower than a sweep that climbs from below. The rest lasts at least
 * `minMs`, then until no other backend of the server is busy (autovacuum
 * workers included), checked every `pollMs`, for at most `maxMs`.
 *
 * @module
 */
import type { QueryOutcome } from "../exec/targets.ts";

/** Backends working for anyone but this session: autovacuum workers and other clients' statements. */
export const BUSY_BACKENDS_SQL = "SELECT count(*)::text FROM pg_stat_activity " +
  "WHERE pid <> pg_backend_pid() AND (backend_type = 'autovacuum worker' " +
  "OR (backend_type = 'client backend' AND state = 'active'))";

/** Options of {@link settleAfterMiss}. */
export interface SettleOptions {
  /** PGlite: nothing runs beside this process, so the minimum rest is all. */
  pglite?: boolean;
  /** Rest at least this long, ms [default: 3000]. */
  minMs?: number;
  /** And at most this long, ms [default: 30000]. */
  maxMs?: number;
  /** Between checks, ms [default: 500]. */
  pollMs?: number;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done);
  });

/**
 * Rests until the server is idle (see the module doc).
 *
 * @param query Runs a query on a session of the run.
 * @returns How long it rested, ms, and whether it stopped at `maxMs` with the server still busy.
 */
export async function settleAfterMiss(
  query: (sql: string) => Promise<QueryOutcome>,
  o: SettleOptions = {},
): Promise<{ restedMs: number; stillBusy: boolean }> {
  const start = performance.now();
  const maxMs = o.maxMs ?? 30_000;
  await sleep(o.minMs ?? 3000, o.signal);
  if (o.pglite) return { restedMs: performance.now() - start, stillBusy: false };
  for (;;) {
    if (o.signal?.aborted) break;
    const r = await query(BUSY_BACKENDS_SQL);
    // A server that cannot say (no pg_stat_activity, say YugabyteDB's older lines) gets the minimum.
    if (!r.ok || Number(r.rows[0]?.[0] ?? 0) === 0) break;
    if (performance.now() - start >= maxMs) return { restedMs: performance.now() - start, stillBusy: true };
    await sleep(o.pollMs ?? 500, o.signal);
  }
  return { restedMs: performance.now() - start, stillBusy: false };
}
