/**
 * What `quarry workload run` runs, from three layers: a pattern, a file that
 * overrides it (or stands alone), and flags that override both.
 *
 * @module
 */
import { parseCount } from "../args.ts";
import { UsageError } from "../errors.ts";
import type { SpecPositions } from "../../core/data/_check.ts";
import { SpecError } from "../../core/data/parse_spec.ts";
import type { RunSettings, WorkloadDefinition } from "../../core/workload/definition.ts";
import { checkWorkload, readWorkloadText } from "../../core/workload/parse.ts";
import { patternFile, patternNames, patternText } from "../../core/workload/patterns.ts";
import type { Arrival } from "../../core/workload/schedule.ts";

/** Flags of `workload run` as parseArgs reads them. */
export type Flags = Record<string, string | boolean | undefined>;

/** A definition and where its transactions were written (for messages about their params). */
export interface LoadedWorkload {
  def: WorkloadDefinition;
  positions: SpecPositions | undefined;
}

/** Every setting of a run, resolved. */
export interface Settings {
  connections: number;
  tps: number | undefined;
  durationS: number | undefined;
  transactions: number | undefined;
  scale: number;
  seed: string | undefined;
  arrival: Arrival;
  warmupS: number;
  latencyLimitMs: number | undefined;
  skipLate: boolean;
  maxTries: number;
  pipeline: number;
  schema: string;
}

function readFile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message.split("\n")[0];
    throw new UsageError(`cannot read --config "${path}": ${why}`);
  }
}

function loadPattern(name: string): LoadedWorkload {
  let text: string;
  try {
    text = patternText(name);
  } catch (e) {
    throw new UsageError((e as Error).message, "see 'quarry workload list'");
  }
  const doc = readWorkloadText(text, patternFile(name));
  return { def: checkWorkload(doc), positions: doc.positions };
}

/** The definition a run uses: --pattern and/or --config. */
export function loadWorkload(flags: Flags): LoadedWorkload {
  const config = flags.config as string | undefined;
  const named = flags.pattern as string | undefined;
  if (config === undefined) {
    if (named === undefined) {
      throw new UsageError(
        `--pattern or --config is required; the patterns are ${patternNames().join(", ")}`,
        "see 'quarry workload list'",
      );
    }
    return loadPattern(named);
  }
  const doc = readWorkloadText(readFile(config), config);
  const file = checkWorkload(doc, true);
  const base = named ?? file.pattern;
  if (base === undefined) {
    // A file without a pattern must stand alone.
    return { def: checkWorkload(doc, false), positions: doc.positions };
  }
  const p = loadPattern(base);
  const has = (k: string) => Object.hasOwn(doc.value, k);
  return {
    def: {
      ...p.def,
      name: has("name") ? file.name : p.def.name,
      description: has("description") ? file.description : p.def.description,
      data: has("data") ? file.data : p.def.data,
      setup: has("setup") ? file.setup : p.def.setup,
      transactions: has("transactions") ? file.transactions : p.def.transactions,
      run: { ...p.def.run, ...file.run },
    },
    positions: has("transactions") ? doc.positions : p.positions,
  };
}

function number(
  flags: Flags,
  flag: string,
  file: number | undefined,
  o: { integer?: boolean; min?: number },
) {
  const text = flags[flag] as string | undefined;
  if (text === undefined) return file;
  const n = o.integer ? Number(parseCount(text, `--${flag}`)) : Number(text);
  if (
    !Number.isFinite(n) || (o.min !== undefined && n < o.min) || (!o.integer && !/^\s*[\d.]+\s*$/.test(text))
  ) {
    throw new UsageError(
      `--${flag} must be ${o.integer ? "a whole number" : "a number"}${
        o.min !== undefined ? ` of at least ${o.min}` : ""
      } (got "${text}")`,
    );
  }
  return n;
}

/** Flags over the file's run block over the defaults. */
export function resolveSettings(flags: Flags, def: WorkloadDefinition, pglite: boolean): Settings {
  const r: RunSettings = def.run;
  const tpsText = flags.tps as string | undefined;
  if (tpsText !== undefined && !(Number(tpsText) > 0)) {
    throw new UsageError(
      `--tps must be a rate above 0 transactions per second (got "${tpsText}"); leave it out to run flat out`,
    );
  }
  const connections = number(flags, "connections", r.connections, { integer: true, min: 1 }) ??
    (pglite ? 1 : 4);
  if (pglite && connections > 1) {
    throw new UsageError("PGlite takes one connection; --connections applies to a server (--db URL)");
  }
  if (connections > 10000) throw new UsageError(`--connections must be at most 10000 (got ${connections})`);
  // A flag for one way to end the run overrides the file's other way.
  const durationS = number(flags, "duration", flags.transactions === undefined ? r.duration : undefined, {
    min: 0.001,
  });
  const transactions = durationS === undefined || flags.transactions !== undefined
    ? number(flags, "transactions", r.transactions, { integer: true, min: 1 })
    : undefined;
  if (flags.duration !== undefined && flags.transactions !== undefined) {
    throw new UsageError("give --duration or --transactions, not both");
  }
  const arrival = (flags.arrival as string | undefined) ?? r.arrival ?? "constant";
  if (arrival !== "constant" && arrival !== "poisson") {
    throw new UsageError(`--arrival must be constant or poisson (got "${arrival}")`);
  }
  const scale = number(flags, "scale", r.scale, { min: 0.0001 }) ?? 1;
  const tps = number(flags, "tps", r.tps, { min: 0.001 });
  return {
    connections,
    tps,
    durationS: durationS ?? (transactions === undefined ? 10 : undefined),
    transactions,
    scale,
    seed: (flags.seed as string | undefined) ?? r.seed,
    arrival,
    warmupS: number(flags, "warmup", r.warmup, { min: 0 }) ?? 0,
    latencyLimitMs: number(flags, "latency-limit", r.latency_limit_ms, { min: 0.001 }),
    skipLate: flags["skip-late"] === true || r.skip_late === true,
    maxTries: number(flags, "max-tries", r.max_tries, { integer: true, min: 1 }) ?? 3,
    pipeline: number(flags, "pipeline", r.pipeline, { integer: true, min: 1 }) ?? 1,
    schema: (flags.schema as string | undefined) ?? r.schema ?? `quarry_${def.name}`,
  };
}

/** A SpecError's lines as a UsageError (file:line:column: path: what). */
export function specUsage(e: SpecError): UsageError {
  return new UsageError(e.message);
}
