/**
 * The presets shipped with Quarry (`configs/presets/*.yaml`), for `quarry
 * generate --config NAME` and `quarry configs`. The YAML files are the
 * source; they are imported as text, so using them needs no read permission
 * and they travel inside a bundle.
 *
 * @module
 */
import billion from "../../configs/presets/billion.yaml" with { type: "text" };
import minimal from "../../configs/presets/minimal.yaml" with { type: "text" };
import performance from "../../configs/presets/performance.yaml" with { type: "text" };
import test from "../../configs/presets/test.yaml" with { type: "text" };
import yugabyte from "../../configs/presets/yugabyte.yaml" with { type: "text" };
import { nearest } from "../data/_spec_error.ts";
import type { GenerateConfig } from "./config.ts";
import { parseConfig } from "./parse.ts";

const TEXTS: Record<string, string> = { billion, minimal, performance, test, yugabyte };

/**
 * Names of the presets, sorted.
 *
 * @example Listing the presets
 * ```ts
 * import { presetNames } from "./builtin.ts";
 * if (presetNames().join() !== "billion,minimal,performance,test,yugabyte") throw new Error();
 * ```
 */
export function presetNames(): string[] {
  return Object.keys(TEXTS).sort();
}

/**
 * Whether `name` is a preset's name.
 *
 * @example Names and non-names
 * ```ts
 * import { isPreset } from "./builtin.ts";
 * if (!isPreset("test") || isPreset("toString")) throw new Error();
 * ```
 */
export function isPreset(name: string): boolean {
  return Object.hasOwn(TEXTS, name);
}

/**
 * The YAML text of a preset, comments included.
 *
 * @param name A name from {@link presetNames}.
 * @throws {RangeError} For an unknown name; the message lists the presets and suggests the nearest.
 *
 * @example Showing a preset to copy
 * ```ts
 * import { presetText } from "./builtin.ts";
 * if (!presetText("test").includes("seed: 42")) throw new Error();
 * ```
 */
export function presetText(name: string): string {
  const text = Object.hasOwn(TEXTS, name) ? TEXTS[name] : undefined;
  if (text === undefined) throw new RangeError(unknownPreset(name));
  return text;
}

/**
 * `unknown preset "x" (did you mean "y"?); the presets are ...`.
 *
 * @example A typo
 * ```ts
 * import { unknownPreset } from "./builtin.ts";
 * if (!unknownPreset("tset").includes('did you mean "test"?')) throw new Error();
 * ```
 */
export function unknownPreset(name: string): string {
  const near = nearest(name, presetNames());
  return `unknown preset "${name}"${near ? ` (did you mean "${near}"?)` : ""}; the presets are ${
    presetNames().join(", ")
  }`;
}

/**
 * The path a preset's messages name.
 *
 * @example The test preset's file
 * ```ts
 * import { presetFile } from "./builtin.ts";
 * if (presetFile("test") !== "configs/presets/test.yaml") throw new Error();
 * ```
 */
export function presetFile(name: string): string {
  return `configs/presets/${name}.yaml`;
}

/**
 * A preset, checked.
 *
 * @throws {RangeError} For an unknown name.
 *
 * @example Reading the test preset
 * ```ts
 * import { preset } from "./builtin.ts";
 * const t = preset("test");
 * if (t.flags.count !== "10000" || t.flags.seed !== "42" || t.name !== "test") throw new Error();
 * ```
 */
export function preset(name: string): GenerateConfig {
  return parseConfig(presetText(name), presetFile(name), name);
}
