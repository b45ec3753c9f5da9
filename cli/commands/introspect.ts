/**
 * `quarry introspect`: a live PostgreSQL schema as Quarry's schema JSON.
 *
 * @module
 */
import { parseFlags } from "../args.ts";
import { UsageError } from "../errors.ts";
import { fileSink, stdoutSink } from "../output.ts";
import { parseDatabaseUrl, readLiveCatalog, readLiveSchema } from "../database.ts";
import { snapshotJson } from "../../core/catalog/snapshot.ts";

export const INTROSPECT_HELP = `quarry introspect: read a live schema into schema JSON

Usage:
  quarry introspect --db URL [--schema-name NAME] [--output FILE] [--catalog FILE]
                    [--structure-only]

Reads tables, columns (types as format_type prints them), defaults, generated
and identity columns, primary keys, UNIQUE and CHECK constraints and foreign
keys from pg_catalog, and prints the schema JSON that --schema takes. Add
"range" and "vocabulary" to columns by hand to steer generated values.

Each table also gets "live": what its rows hold now (the row count, the
largest value of each integer key, existing parent keys for each foreign key,
existing values of the columns CHECKs and partition keys read), so that
statements generated from the file fit the data: new keys go above the
largest, identity and serial keys are left to DEFAULT, foreign keys name
rows that exist, and constrained columns take values that pass their CHECKs
and land in a partition. --structure-only leaves the facts out.

With --catalog, also writes the server's functions, operators, casts and
types, with the calls the server refused when each was tried on typed NULLs
and sample values: the snapshot format of configs/catalog/ (see README,
"The server's own functions, operators and casts").

Options:
      --db URL             postgres://user@host:port/database (a password in
                           the URL is never printed)
      --schema-name NAME   SQL schema to read [default: public]
  -o, --output FILE|-      Where the JSON goes [default: -]
      --catalog FILE       Also write the server's catalog snapshot to FILE
      --structure-only     Leave out the tables' live facts
  -h, --help               Show this help

Exit codes: 0 success, 2 bad usage, 3 the database could not be read.`;

const OPTIONS = {
  db: { type: "string" },
  "schema-name": { type: "string" },
  output: { type: "string", short: "o" },
  catalog: { type: "string" },
  "structure-only": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Runs `quarry introspect`; returns the exit code. Requires --allow-net and --allow-env. */
export async function introspectCommand(argv: string[]): Promise<number> {
  const { values: v } = parseFlags(argv, OPTIONS, "introspect");
  if (v.help) {
    console.log(INTROSPECT_HELP);
    return 0;
  }
  if (v.db === undefined) throw new UsageError("introspect needs --db URL", "see 'quarry introspect --help'");
  const url = parseDatabaseUrl(v.db as string, false);
  const schema = await readLiveSchema(
    url,
    (v["schema-name"] as string | undefined) ?? "public",
    v["structure-only"] !== true,
  );
  const text = JSON.stringify(schema, null, 2) + "\n";
  const output = (v.output as string | undefined) ?? "-";
  const sink = output === "-" ? stdoutSink() : fileSink(output);
  sink.write(new TextEncoder().encode(text));
  sink.commit();
  if (v.catalog !== undefined) {
    const progress = (done: number, total: number) =>
      Deno.stderr.writeSync(new TextEncoder().encode(`\rcatalog: probed ${done} of ${total} calls`));
    const catalog = await readLiveCatalog(url, progress);
    Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    const file = fileSink(v.catalog as string);
    file.write(new TextEncoder().encode(snapshotJson(catalog)));
    file.commit();
  }
  return 0;
}
