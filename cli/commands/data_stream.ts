/**
 * Streaming for `quarry data`: rows released at a rate (`--rate R` or a
 * band `--rate MIN-MAX`, each second's rate drawn in it), to standard
 * output or a file, or rolled into a new file every `--every` for `--for`.
 * Each row carries `_created_at`, the time it was released (milliseconds
 * since 1970). Rows keep their indices, so a stream is the table's rows
 * in order, only paced.
 *
 * @module
 */
import { UsageError } from "../errors.ts";
import type { Sink } from "../output.ts";
import { openOutput, outputExtension, type OutputPlan } from "../data_output.ts";
import { join } from "node:path";
import type { CompiledSpec, CompiledTable } from "../../core/data/compile.ts";
import { type RowFormat, rowProgram } from "../../core/data/row_program.ts";
import { LocalGenerator } from "../../core/engine/local.ts";

/** The stamp column streaming adds. */
export const CREATED_AT = "_created_at";

/** Reads a duration like 500ms, 30s, 5m, 1h or 2d into milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UsageError(`${flag} must be a duration like 500ms, 30s, 5m, 1h or 2d (got "${text}")`);
  const unit = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  const ms = Number(m[1]) * unit;
  if (!(ms > 0)) throw new UsageError(`${flag} must be longer than 0`);
  return ms;
}

/** Reads --rate: R, or MIN-MAX rows a second. */
export function parseRate(text: string): [number, number] {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(text.trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m?.[2] !== undefined ? Number(m[2]) : min;
  if (!(min > 0) || !(max >= min)) {
    throw new UsageError(`--rate must be rows a second, R or MIN-MAX with 0 < MIN <= MAX (got "${text}")`);
  }
  return [min, max];
}

/** What a stream needs. */
export interface StreamJob {
  compiled: CompiledSpec;
  table: CompiledTable;
  format: RowFormat;
  header: string;
  plan: OutputPlan;
  rate: [number, number];
  /** A new file every this many ms (plan.target is then a folder). */
  every?: number;
  /** Stop after this many ms. */
  forMs?: number;
  start: bigint;
  /** Stop after this many rows. */
  count?: bigint;
  signal: AbortSignal;
  log: (line: string) => void;
}

const encoder = new TextEncoder();
const TICK_MS = 50;

function stampName(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/** Runs a stream; returns rows released. */
export async function streamRows(job: StreamJob): Promise<number> {
  const gen = new LocalGenerator(
    rowProgram(job.compiled, job.table, { format: job.format }),
    job.compiled.seed,
  );
  const began = Date.now();
  let sink: Sink | undefined;
  let fileStarted = 0;
  let files = 0;
  const open = () => {
    const now = new Date();
    const ext = outputExtension(job.plan);
    const path = job.every
      ? join(job.plan.target, `${job.table.name}-${stampName(now)}-${files}.${ext}`)
      : job.plan.target;
    sink = openOutput(job.plan, path);
    if (job.header) sink.write(encoder.encode(job.header));
    fileStarted = now.getTime();
    files++;
    if (job.every) job.log(`writing ${path}`);
  };
  let released = 0;
  let at = job.start;
  let second = -1;
  let rate = job.rate[0];
  let owedAtSecond = 0;
  try {
    open();
    for (;;) {
      const now = Date.now();
      if (job.signal.aborted || (job.forMs !== undefined && now - began >= job.forMs)) break;
      if (job.count !== undefined && BigInt(released) >= job.count) break;
      if (sink!.closed) break;
      if (job.every && now - fileStarted >= job.every) {
        sink!.commit();
        open();
      }
      const s = Math.floor((now - began) / 1000);
      if (s !== second) {
        second = s;
        rate = job.rate[0] + Math.random() * (job.rate[1] - job.rate[0]);
        owedAtSecond = released;
      }
      let due = Math.floor(owedAtSecond + rate * ((now - began) / 1000 - s)) - released;
      if (job.count !== undefined) due = Math.min(due, Number(job.count - BigInt(released)));
      while (due > 0) {
        gen.setClock(Date.now());
        const { bytes, consumed } = gen.chunk(at, due);
        sink!.write(bytes);
        at += BigInt(consumed);
        released += consumed;
        due -= consumed;
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    sink!.commit();
  } catch (e) {
    sink?.abort();
    throw e;
  }
  return released;
}
