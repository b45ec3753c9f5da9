/**
 * `quarry configs list|show`: the presets of `quarry generate`, and
 * {@link loadConfig}, which reads `generate --config NAME|FILE`.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { UsageError } from "../errors.ts";
import { SpecError } from "../../core/data/_spec_error.ts";
import { isPreset, preset, presetNames, presetText, unknownPreset } from "../../core/presets/builtin.ts";
import type { GenerateConfig } from "../../core/presets/config.ts";
import { parseConfig } from "../../core/presets/parse.ts";

/** The text of `quarry configs --help` (snapshot-tested: tests/snapshots/configs_help.txt). */
export const CONFIGS_HELP = `quarry configs: the presets of quarry generate

Usage:
  quarry configs list
  quarry configs show NAME

list   One line per preset: its name and what it runs.
show   A preset's YAML, comments included: a template for a file of your
       own, which 'quarry generate --config FILE' reads like a preset.

A preset or config file holds generate's settings, each under its flag's
name with underscores for hyphens (fp_rate for --fp-rate). Flags given
beside --config override its keys:
  quarry generate --config test --count 50000 --workers 2 --unique none

Keys: description (the line 'configs list' shows), grammar, grammars,
schema, count, start, seed, workers, output, output_dir, rotate, compress,
checkpoint_every, unique, expect, fp_rate, bloom_bits, emit_setup, stats,
monitoring. workers may be "auto" (one a CPU); grammars takes one
{ name: weight } for now (mixes of grammars are still to come). Paths are
relative to the current folder, as on the command line. Per-run flags
(shard, at) are refused. A destination flag (--output or --output-dir)
replaces the config's destination with what belongs to it (rotate,
compress, checkpoint_every).

monitoring holds the flags --metrics-interval, --metrics-file,
--metrics-port and --progress as interval, file, port and progress, and the
alerts, which have no flag. Each alert watches one figure of each interval:
  monitoring:
    interval: 10s
    alerts:
      - rate_below: 500k      # statements/s (not judged before the first
        for: 30s              #   statement); held 30 s before it fires
      - rss_above: 4GiB       # resident memory
        fatal: true           # stop the run: exit 4, at a checkpoint with
                              #   --output-dir (resume with --resume DIR)
      - replaced_above: 1%    # share of attempts the uniqueness filter
                              #   rejected as seen before
An alert without fatal prints a warning once, and again only after its
figure has been back within the threshold.

Options:
  -h, --help   Show this help

Examples:
  quarry configs list
  quarry configs show billion > big.yaml
  quarry generate --config big.yaml --shard 0/4
  quarry generate --config billion --metrics-file billion.jsonl

Exit codes: 0 success, 2 bad usage.`;

/** Runs `quarry configs`; returns the exit code. */
export function configsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { help: { type: "boolean", short: "h" } }, "configs", 2);
  if (values.help) {
    console.log(CONFIGS_HELP);
    return Promise.resolve(0);
  }
  const [action, name] = positionals;
  if (action === "list" && name === undefined) {
    const names = presetNames();
    const width = Math.max(...names.map((n) => n.length));
    for (const n of names) console.log(`${n.padEnd(width)}  ${preset(n).description}`);
    return Promise.resolve(0);
  }
  if (action === "show" && name !== undefined) {
    if (!isPreset(name)) throw new UsageError(unknownPreset(name));
    Deno.stdout.writeSync(new TextEncoder().encode(presetText(name)));
    return Promise.resolve(0);
  }
  if (action === undefined) {
    console.error(CONFIGS_HELP);
    return Promise.resolve(2);
  }
  throw new UsageError(`unexpected "${positionals.join(" ")}"`, "usage: quarry configs list|show NAME");
}

/**
 * Reads `--config`: a preset's name, or the path of a YAML (or JSON) file of
 * the same keys. Every problem becomes a UsageError: one line per problem,
 * each `file:line:column: key: what is wrong`. Requires `--allow-read` for
 * a file.
 */
export function loadConfig(spec: string): GenerateConfig {
  try {
    if (isPreset(spec)) return preset(spec);
    if (!/[\\/]|\.(ya?ml|json)$/i.test(spec)) {
      throw new UsageError(unknownPreset(spec), "or give a config file's path, like ./run.yaml");
    }
    return parseConfig(readConfigFile(spec), spec);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(e.message);
    throw e;
  }
}

function readConfigFile(path: string): string {
  try {
    if (Deno.statSync(path).isDirectory) throw new UsageError(`--config "${path}" is a folder, not a file`);
    return Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof UsageError || e instanceof Deno.errors.NotCapable) throw e;
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : (e as Error).message.split("\n")[0]!.replace(/: \w+ '.*'$/, "");
    throw new UsageError(`cannot read --config "${path}": ${why}`);
  }
}
