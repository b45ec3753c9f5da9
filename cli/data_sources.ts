/**
 * Where `quarry data` gets its spec: a YAML/JSON file, a prebuilt spec by
 * name, a schema JSON (`--schema`) or a live database (`--from-db`). Every
 * problem becomes a one-line UsageError naming the file and position.
 *
 * @module
 */
import { UsageError } from "./errors.ts";
import { parseSpec, SpecError } from "../core/data/parse_spec.ts";
import { normalizeSpec } from "../core/data/normalize_spec.ts";
import {
  type CompiledSpec,
  compileTables,
  DataCompileError,
  type PlannedTable,
  plannedTables,
} from "../core/data/compile.ts";
import type { DataSpec } from "../core/data/spec.ts";
import type { Seed } from "../core/seed.ts";
import type { Schema } from "../core/schema/model.ts";
import { specFromSchema } from "../core/data/from_schema.ts";
import { loadParser } from "../core/exec/parser.ts";
import { loadSchema } from "./sources.ts";
import { databaseWhere, parseDatabaseUrl, readLiveSchema } from "./database.ts";
import { prebuiltSpecNames, prebuiltSpecText } from "../core/data/prebuilt.ts";

/** A spec ready to generate. */
export interface DataSource {
  /** What it is, for messages: a file name or `prebuilt NAME`. */
  label: string;
  compiled: CompiledSpec;
  /** Things the user should know before the run (CHECKs that could not be derived, ...). */
  warnings: string[];
}

/** One line for a spec's problems: the first, and how many more. */
function specUsage(e: SpecError): UsageError {
  const lines = e.message.split("\n");
  return new UsageError(
    lines.length > 1 ? `${lines.join("\n  ")}` : lines[0]!,
    lines.length > 1 ? `${lines.length} problems` : undefined,
  );
}

/** Reads a spec file or a prebuilt spec's name. Requires `--allow-read` for files. */
export function readDataSpec(name: string, defaultRows: number): { label: string; spec: DataSpec } {
  let text: string | undefined;
  let label = name;
  try {
    text = Deno.readTextFileSync(name);
  } catch (e) {
    if (e instanceof Deno.errors.NotCapable) throw e;
    if (!(e instanceof Deno.errors.NotFound) || !prebuiltSpecNames().includes(name)) {
      const why = e instanceof Deno.errors.NotFound
        ? "no such file, and no prebuilt spec of that name"
        : (e as Error).message.split("\n")[0]!.replace(/: \w+ '.*'$/, "");
      throw new UsageError(
        `cannot read spec "${name}": ${why}`,
        `prebuilt specs: ${prebuiltSpecNames().join(", ")} (see 'quarry data specs')`,
      );
    }
    text = prebuiltSpecText(name);
    label = `prebuilt spec "${name}"`;
  }
  try {
    return {
      label,
      spec: parseSpec(text, label.startsWith("prebuilt") ? `${name}.yaml` : name, { defaultRows }),
    };
  } catch (e) {
    if (e instanceof SpecError) throw specUsage(e);
    throw e;
  }
}

/** Compiles a spec, turning compile problems into UsageErrors. */
export function compileDataSpec(
  spec: DataSpec,
  label: string,
  defaultRows: number,
  seed: Seed,
  createdAt?: string,
): CompiledSpec {
  try {
    const normalized = normalizeSpec(spec);
    return compilePlanned(plannedTables(normalized, defaultRows), normalized.locale, label, seed, createdAt);
  } catch (e) {
    if (e instanceof SpecError) throw specUsage(e);
    throw e;
  }
}

/** Compiles planned tables, naming the source in errors. */
export function compilePlanned(
  planned: PlannedTable[],
  locale: string,
  label: string,
  seed: Seed,
  createdAt?: string,
): CompiledSpec {
  try {
    return compileTables(planned, { locale, seed, ...(createdAt ? { createdAt } : {}) });
  } catch (e) {
    if (e instanceof DataCompileError) throw new UsageError(`${label}: ${e.message}`);
    if (e instanceof RangeError && /locale|pool/i.test(e.message)) {
      throw new UsageError(`${label}: ${e.message}`);
    }
    throw e;
  }
}

/**
 * The source a command's flags name: --spec FILE|NAME, --schema default|FILE
 * (a schema JSON) or --from-db URL (a live database, introspected). A schema
 * becomes a spec for every table; CHECKs whose bounds cannot be derived are
 * warnings. Requires `--allow-net` for --from-db.
 */
export async function openSource(
  flags: { spec?: string; schema?: string; fromDb?: string },
  defaultRows: number,
  seed: Seed,
  createdAt?: string,
): Promise<DataSource & { schema?: Schema; spec: DataSpec }> {
  const given = [flags.spec, flags.schema, flags.fromDb].filter((f) => f !== undefined).length;
  if (given !== 1) {
    throw new UsageError(
      given === 0
        ? "name the data: --spec FILE|NAME, --schema FILE or --from-db URL"
        : "give one of --spec, --schema and --from-db",
      "see 'quarry data specs' for the prebuilt specs",
    );
  }
  if (flags.spec !== undefined) {
    const { label, spec } = readDataSpec(flags.spec, defaultRows);
    return {
      label,
      spec,
      compiled: compileDataSpec(spec, label, defaultRows, seed, createdAt),
      warnings: [],
    };
  }
  const schema = flags.schema !== undefined
    ? loadSchema(flags.schema)
    : await readLiveSchema(parseDatabaseUrl(flags.fromDb!, false));
  const label = flags.schema !== undefined
    ? `schema "${flags.schema}"`
    : `the schema at ${databaseWhere(new URL(flags.fromDb!))}`;
  await loadParser();
  const derived = specFromSchema(schema, { rows: defaultRows });
  return {
    label,
    compiled: compilePlanned(derived.planned, "en", label, seed, createdAt),
    warnings: derived.warnings,
    schema,
    spec: derived.spec,
  };
}

/** The spec named by --spec, compiled. */
export function loadDataSource(
  name: string,
  defaultRows: number,
  seed: Seed,
  createdAt?: string,
): DataSource {
  const { label, spec } = readDataSpec(name, defaultRows);
  return { label, compiled: compileDataSpec(spec, label, defaultRows, seed, createdAt), warnings: [] };
}
