/**
 * Reads a generate config from YAML or JSON text into a
 * {@link GenerateConfig}, with every problem reported at once as
 * `file:line:column: key: what is wrong, e.g. a fix`, through the data spec's
 * reader (positions) and checker helpers.
 *
 * @module
 */
import { Checker, checkKeys, eg, readBoolean, readObject, readString, show } from "../data/_check.ts";
import { SpecError } from "../data/_spec_error.ts";
import { isObj, type Obj } from "../data/_spec_model.ts";
import { readSpecText } from "../data/parse_spec.ts";
import { parseSeed } from "../seed.ts";
import { parseInterval, parseRotation } from "../checkpoint/rotation.ts";
import type { PathPart } from "../data/_spec_error.ts";
import { readMonitoring } from "./monitoring.ts";
import {
  CONFIG_KEYS,
  type ConfigKey,
  FLAG_ONLY_KEYS,
  type GenerateConfig,
  MOVED_KEYS,
  UNIQUE_MODES,
} from "./config.ts";

const COUNT = /^\d[\d_]*[kKmMbBgG]?$/;

/**
 * Parses and checks a generate config.
 *
 * @param text YAML or JSON (a file named `*.json` is held to strict JSON syntax).
 * @param file The path messages name, e.g. `configs/presets/test.yaml`.
 * @param name What the config is called in summaries [default: `file`].
 * @returns The config: the flags its keys stand for.
 * @throws {SpecError} With every problem found, each at its line and column.
 *
 * @example Reading a config
 * ```ts
 * import { parseConfig } from "./parse.ts";
 * const c = parseConfig("grammar: dml_unique\ncount: 10k\nfp_rate: 0.001\nstats: true\n", "run.yaml");
 * if (c.flags.count !== "10k" || c.flags["fp-rate"] !== "0.001" || c.flags.stats !== true) throw new Error();
 * if (c.origin("count") !== "run.yaml:2:8") throw new Error();
 * ```
 *
 * @example A bad alert, named at its line
 * ```ts
 * import { parseConfig } from "./parse.ts";
 * import { SpecError } from "../data/_spec_error.ts";
 * try {
 *   parseConfig("count: 5\nmonitoring:\n  alerts:\n    - rss_above: lots\n", "run.yaml");
 *   throw new Error("expected an error");
 * } catch (e) {
 *   if (!(e instanceof SpecError) || !e.message.startsWith("run.yaml:4:18: monitoring.alerts[0].rss_above: must be a size")) {
 *     throw e;
 *   }
 * }
 * ```
 */
export function parseConfig(text: string, file: string, name: string = file): GenerateConfig {
  const { value, positions } = readText(text, file);
  if (!isObj(value)) {
    throw new SpecError(`a config must be a mapping of keys, not ${show(value)}, e.g. count: 10000`, {
      file,
      line: 1,
      column: 1,
    });
  }
  const c = new Checker(value, positions);
  checkKeys(c, value, [], Object.keys(CONFIG_KEYS), "a generate config", undefined, explainKey);
  const flags: Record<string, string | boolean> = {};
  const pathOf = new Map<string, readonly PathPart[]>();
  const where = (path: readonly PathPart[]) => {
    const at = positions.locate(path, "value");
    return at ? `${file}:${at.line}:${at.column}` : undefined;
  };
  let description = "";
  for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
    if (value[key] === undefined || spec.kind === "monitoring") continue;
    const read = readKey(c, value, key, spec);
    if (read === undefined || read === null) continue;
    if (spec.flag === undefined) description = String(read);
    else {
      // A mix of several grammars goes to --grammars (name:weight,...), one grammar to --grammar.
      const flag = key === "grammars" && typeof read === "string" && read.includes(":")
        ? "grammars"
        : spec.flag;
      flags[flag] = read;
      pathOf.set(flag, [key]);
    }
  }
  const monitoring = readMonitoring(c, value, where);
  Object.assign(flags, monitoring.flags);
  for (const [flag, path] of monitoring.paths) pathOf.set(flag, path);
  if (value.grammar !== undefined && value.grammars !== undefined) {
    c.report(["grammars"], `give "grammar" or "grammars", not both, e.g. grammar: dml_unique`);
  }
  if (c.count > 0) throw SpecError.of(c.issues());
  return {
    name,
    description,
    flags,
    alerts: monitoring.rules,
    origin(flag) {
      const path = pathOf.get(flag);
      return path === undefined ? undefined : where(path);
    },
  };
}

/** The YAML text read with positions; an empty file is named as such. */
function readText(text: string, file: string): ReturnType<typeof readSpecText> {
  try {
    return readSpecText(text, file);
  } catch (e) {
    // The data spec reader words an empty file for data specs ("a spec needs tables").
    if (e instanceof SpecError && e.issues.length === 1 && /the file is empty/.test(e.message)) {
      throw new SpecError("the file is empty; a config needs at least one key, e.g. count: 10000", {
        file,
        line: 1,
        column: 1,
      });
    }
    throw e;
  }
}

/** Why a key that is not a config key is refused, when there is more to say than "unknown". */
function explainKey(key: string): string | undefined {
  const underscored = key.replaceAll("-", "_");
  const moved = Object.hasOwn(MOVED_KEYS, underscored) ? MOVED_KEYS[underscored] : undefined;
  if (moved) return `not a top-level key: ${moved}`;
  const flagOnly = Object.hasOwn(FLAG_ONLY_KEYS, underscored) ? FLAG_ONLY_KEYS[underscored] : undefined;
  if (flagOnly) return `not a config key: ${flagOnly}`;
  if (underscored !== key && Object.hasOwn(CONFIG_KEYS, underscored)) {
    return `config keys are written with underscores: "${underscored}", not "${key}"`;
  }
  return undefined;
}

/**
 * Reads one key: its flag value, null for a valid value that sets no flag
 * (`workers: auto`, `stats: false`), or undefined after reporting a problem.
 */
function readKey(c: Checker, obj: Obj, key: string, spec: ConfigKey): string | boolean | null | undefined {
  const v = obj[key];
  const at = [key];
  const wrong = (what: string) => {
    c.reportValue(at, `must be ${what}, not ${show(v)}${eg(spec.example)}`);
    return undefined;
  };
  switch (spec.kind) {
    case "text":
      return readString(c, obj, key, [], spec.example, true);
    case "name":
      return readString(c, obj, key, [], spec.example);
    case "boolean":
      return readBoolean(c, obj, key, [], spec.example) ? true : null;
    case "count":
      if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return String(v);
      if (typeof v === "string" && COUNT.test(v.trim())) return v.trim();
      return wrong("a whole number of 0 or more, like 10000 or 10M");
    case "seed":
      return readSeedKey(c, v, spec);
    case "workers":
      if (v === "auto") return null;
      if (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 256) return String(v);
      return wrong(`a number of threads from 1 to 256, or "auto" for one a CPU`);
    case "unique":
      if (typeof v === "string" && UNIQUE_MODES.includes(v)) return v;
      return wrong(`one of ${UNIQUE_MODES.join(", ")}`);
    case "probability":
      if (typeof v === "number" && v > 0 && v < 0.5) return String(v);
      return wrong("a number between 0 and 0.5");
    case "weights":
      return readWeights(c, obj, key, spec);
    case "rotation": {
      const text = typeof v === "number" ? String(v) : v;
      const r = typeof text === "string" ? parseRotation(text) : "";
      if (typeof r === "string" || typeof text !== "string") {
        return wrong("a statement count like 10M, or a size of SQL like 100MB or 1GiB");
      }
      return text.trim();
    }
    case "compression":
      if (v === "gzip" || v === "zstd" || v === "none") return v === "none" ? null : v;
      return wrong("gzip, zstd or none");
    case "interval": {
      const text = typeof v === "number" ? String(v) : v;
      if (typeof text !== "string" || typeof parseInterval(text) === "string") {
        return wrong("a statement count like 1M, or seconds like 60s");
      }
      return text.trim();
    }
    case "monitoring":
      return null; // read by readMonitoring
  }
}

function readSeedKey(c: Checker, v: unknown, spec: ConfigKey): string | undefined {
  if (typeof v === "number" && !Number.isSafeInteger(v)) {
    c.reportValue(
      ["seed"],
      `a number this long loses digits in YAML; write the seed in quotes, e.g. seed: "12345678901234567890"`,
    );
    return undefined;
  }
  if (typeof v !== "number" && typeof v !== "string") {
    c.reportValue(["seed"], `must be a decimal number or 64 hex digits, not ${show(v)}${eg(spec.example)}`);
    return undefined;
  }
  const parsed = parseSeed(String(v));
  if (typeof parsed === "string") {
    c.reportValue(
      ["seed"],
      `must be 64 hex digits (256 bits) or a decimal number below 2^64, not ${show(v)}`,
    );
    return undefined;
  }
  return String(v);
}

/** `grammars: { name: weight, ... }`: one grammar's name, or a mix as `--grammars` takes it. */
function readWeights(c: Checker, obj: Obj, key: string, spec: ConfigKey): string | undefined {
  const weights = readObject(c, obj, key, [], spec.example);
  if (weights === undefined) return undefined;
  const names = Object.keys(weights);
  if (names.length === 0) {
    c.reportValue([key], `must name a grammar with its weight${eg(spec.example)}`);
    return undefined;
  }
  let ok = true;
  for (const n of names) {
    const w = weights[n];
    if (typeof w !== "number" || !(w > 0) || !Number.isFinite(w)) {
      c.reportValue([key, n], `a weight must be a number above 0, not ${show(w)}`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  return names.length === 1 ? names[0] : names.map((n) => `${n}:${weights[n]}`).join(",");
}
