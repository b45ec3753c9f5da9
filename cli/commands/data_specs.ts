/**
 * `quarry data specs`: the prebuilt specs, listed or printed as a template.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { UsageError } from "../errors.ts";
import { prebuiltSpecNames, prebuiltSpecText, prebuiltSummary } from "../../core/data/prebuilt.ts";

export const DATA_SPECS_HELP = `quarry data specs: the prebuilt data specs

Usage:
  quarry data specs             List them, a line each: name, tables, rows
  quarry data specs show NAME   Print one as YAML, a template to copy and edit

Any of them works where a spec file does: quarry data --spec NAME.

Examples:
  quarry data specs
  quarry data specs show ecommerce > shop.yaml`;

/** Runs `quarry data specs`; returns the exit code. */
export function dataSpecsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    { help: { type: "boolean", short: "h" } },
    "data specs",
    2,
  );
  if (values.help) {
    console.log(DATA_SPECS_HELP);
    return Promise.resolve(0);
  }
  const names = prebuiltSpecNames();
  if (positionals.length === 0) {
    const width = Math.max(...names.map((n) => n.length));
    for (const n of names) console.log(`${n.padEnd(width)}  ${prebuiltSummary(n)}`);
    return Promise.resolve(0);
  }
  if (positionals[0] !== "show" || positionals.length !== 2) {
    throw new UsageError(`unexpected "${positionals.join(" ")}"`, "usage: quarry data specs [show NAME]");
  }
  const name = positionals[1]!;
  if (!names.includes(name)) {
    throw new UsageError(`no prebuilt spec "${name}"`, `prebuilt specs: ${names.join(", ")}`);
  }
  Deno.stdout.writeSync(new TextEncoder().encode(prebuiltSpecText(name)));
  return Promise.resolve(0);
}
