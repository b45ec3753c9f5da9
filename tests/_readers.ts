/**
 * Real readers for output tests: DuckDB (npm `@duckdb/node-api`, the native
 * engine loaded as a Node-API addon) reads back Parquet, CSV (plain, `.gz`,
 * `.zst`) and JSON files, and `gzip -t` / `zstd -t` check compressed framing.
 *
 * Permissions: `duckdbQuery` needs `--allow-ffi` (to load the addon) and
 * `--allow-read` (for the addon's files in Deno's npm cache); it needs no
 * network: `parquet` and `json` are built into the npm build, and extension
 * autoloading and autoinstalling are switched off so a query that would need
 * another extension fails at once instead of reaching for the network. The
 * addon reads files with its own system calls, outside Deno's permission
 * checks. `gzipOk` and `zstdOk` need `--allow-run` (Debian's `gzip` and
 * `zstd`, at /usr/bin on the project's machines).
 *
 * @module
 */

import {
  DuckDBInstance,
  DuckDBTypeId,
  type DuckDBValueConverter,
  type JS,
  JSDuckDBValueConverter,
} from "@duckdb/node-api";

/**
 * DuckDB values as plain JS, chosen to be exact: BOOLEAN → boolean; integers
 * up to 32 bits, FLOAT and DOUBLE → number; BIGINT, HUGEINT (and unsigned) →
 * bigint; DECIMAL → string (`"-4.56"`); DATE → `"1969-12-31"`; TIMESTAMP and
 * TIMESTAMPTZ → DuckDB's text with microseconds
 * (`"2023-11-14 22:13:20.123456"`, TIMESTAMPTZ in UTC with `+00`); UUID and
 * VARCHAR → string; BLOB → Uint8Array; LIST → array; STRUCT → object.
 */
const exact: DuckDBValueConverter<JS> = (value, type, converter) => {
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return value === null ? null : String(value);
    case DuckDBTypeId.BLOB: {
      // A plain Uint8Array (the addon gives a Node Buffer) so assertEquals compares bytes.
      const bytes = JSDuckDBValueConverter(value, type, converter) as Uint8Array | null;
      return bytes === null ? null : new Uint8Array(bytes);
    }
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

/**
 * Runs one SQL statement in a fresh in-memory DuckDB and returns its rows
 * (values as described on `exact` above). Requires `--allow-ffi` and
 * `--allow-read`.
 *
 * @param sql e.g. `SELECT count(*) AS n FROM read_parquet('/tmp/x.parquet')`,
 * `read_csv('/tmp/x.csv.zst', header = true)`, `read_json('/tmp/x.ndjson',
 * format = 'newline_delimited')` or `format = 'array'`.
 * @returns One object per row, keyed by column name.
 *
 * @example Count rows of a Parquet file
 * ```ts ignore
 * const [row] = await duckdbQuery("SELECT count(*) AS n FROM read_parquet('/tmp/x.parquet')");
 * // row.n is a bigint
 * ```
 */
export async function duckdbQuery(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:", {
    autoinstall_known_extensions: "false",
    autoload_known_extensions: "false",
    threads: "2",
  });
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader.convertRowObjects(exact);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Whether `gzip -t` accepts the file (every member's CRC and length check
 * out). Requires `--allow-run`.
 *
 * @param path The file to test.
 * @returns True when gzip exits 0.
 */
export function gzipOk(path: string): Promise<boolean> {
  return exitsZero("gzip", ["-t", "--", path]);
}

/**
 * Whether `zstd -t` accepts the file (every frame decodes and its checksum,
 * when present, matches). Requires `--allow-run`.
 *
 * @param path The file to test.
 * @returns True when zstd exits 0.
 */
export function zstdOk(path: string): Promise<boolean> {
  return exitsZero("zstd", ["-t", "-q", "--", path]);
}

async function exitsZero(command: string, args: string[]): Promise<boolean> {
  const { success } = await new Deno.Command(command, { args, stdout: "null", stderr: "null", stdin: "null" })
    .output();
  return success;
}
