/**
 * `quarry introspect`: a live PostgreSQL schema as Quarry's schema JSON.
 *
 * @module
 */
import postgres from "postgres";
import { parseFlags } from "../args.ts";
import { RuntimeFailure, UsageError } from "../errors.ts";
import { fileSink, stdoutSink } from "../output.ts";
import { introspect } from "../../core/schema/introspect.ts";

export const INTROSPECT_HELP = `quarry introspect: read a live schema into schema JSON

Usage:
  quarry introspect --db URL [--schema-name NAME] [--output FILE]

Reads tables, columns (types as format_type prints them), defaults, generated
and identity columns, primary keys, UNIQUE and CHECK constraints and foreign
keys from pg_catalog, and prints the schema JSON that --schema takes. Add
"range" and "vocabulary" to columns by hand to steer generated values.

Options:
      --db URL             postgres://user@host:port/database (a password in
                           the URL is never printed)
      --schema-name NAME   SQL schema to read [default: public]
  -o, --output FILE|-      Where the JSON goes [default: -]
  -h, --help               Show this help

Exit codes: 0 success, 2 bad usage, 3 the database could not be read.`;

const OPTIONS = {
  db: { type: "string" },
  "schema-name": { type: "string" },
  output: { type: "string", short: "o" },
  help: { type: "boolean", short: "h" },
} as const;

/** host:port of a URL, for messages that must not show a password. */
function where(url: URL): string {
  return `${url.hostname || "localhost"}:${url.port || "5432"}`;
}

/** Runs `quarry introspect`; returns the exit code. Requires --allow-net and --allow-env. */
export async function introspectCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "introspect");
  if (v.help) {
    console.log(INTROSPECT_HELP);
    return 0;
  }
  if (v.db === undefined) throw new UsageError("introspect needs --db URL", "see 'quarry introspect --help'");
  let url: URL;
  try {
    url = new URL(v.db as string);
    if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new Error();
  } catch {
    throw new UsageError("--db must be a URL like postgres://user@host:5432/database");
  }
  const db = postgres(url.href, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  let text: string;
  try {
    const schema = await introspect(
      (sql, params) => db.unsafe(sql, params as postgres.ParameterOrJSON<never>[]),
      (v["schema-name"] as string | undefined) ?? "public",
    );
    if (schema.tables.length === 0) {
      throw new RuntimeFailure(`no tables in schema "${schema.name}" at ${where(url)}${url.pathname}`);
    }
    text = JSON.stringify(schema, null, 2) + "\n";
  } catch (e) {
    if (e instanceof RuntimeFailure) throw e;
    const err = e as { code?: string; message?: string };
    throw new RuntimeFailure(
      `cannot read the schema at ${where(url)}${url.pathname}: ${err.code ? `${err.code} ` : ""}${
        String(err.message ?? e).split("\n")[0]
      }`,
    );
  } finally {
    await db.end({ timeout: 1 });
  }
  const output = (v.output as string | undefined) ?? "-";
  const sink = output === "-" ? stdoutSink() : fileSink(output);
  sink.write(new TextEncoder().encode(text));
  sink.commit();
  return 0;
}
