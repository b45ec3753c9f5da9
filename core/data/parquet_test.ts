import { deepStrictEqual, match, ok, rejects, throws } from "node:assert/strict";
import type { BatchType, ColumnBatch } from "./batch.ts";
import { type ParquetColumn, type ParquetCompression, ParquetWriter } from "./parquet.ts";
import {
  decodeThrift,
  encodeThrift,
  findFooter,
  T,
  type ThriftStruct,
  ThriftSyntaxError,
  type ThriftValue,
} from "./_parquet_footer.ts";
import { duckdbQuery } from "../../tests/_readers.ts";

type Value = boolean | number | bigint | string | null;

/** A batch column from JS values, laid out as the kernel lays it out (batch.ts). */
function column(name: string, type: BatchType, values: readonly Value[]): ColumnBatch {
  const n = values.length;
  const out: ColumnBatch = { name, type, length: n, values: new Uint8Array(0) };
  if (values.includes(null)) {
    const bits = new Uint8Array(Math.ceil(n / 8));
    values.forEach((v, i) => {
      if (v !== null) bits[i >> 3]! |= 1 << (i & 7);
    });
    out.validity = bits;
  }
  const fixed = <T extends { buffer: ArrayBufferLike }>(array: T) => new Uint8Array(array.buffer);
  switch (type.kind) {
    case "bool":
      out.values = Uint8Array.from(values, (v) => (v ? 1 : 0));
      break;
    case "int16":
      out.values = fixed(Int16Array.from(values, (v) => Number(v ?? 0)));
      break;
    case "int32":
    case "date":
      out.values = fixed(Int32Array.from(values, (v) => Number(v ?? 0)));
      break;
    case "float32":
      out.values = fixed(Float32Array.from(values, (v) => Number(v ?? 0)));
      break;
    case "float64":
      out.values = fixed(Float64Array.from(values, (v) => Number(v ?? 0)));
      break;
    case "int64":
    case "decimal":
    case "timestamp":
      out.values = fixed(BigInt64Array.from(values, (v) => BigInt(v ?? 0)));
      break;
    case "uuid": {
      out.values = new Uint8Array(16 * n);
      values.forEach((v, i) => {
        const hex = String(v ?? "0".repeat(32)).replaceAll("-", "");
        for (let b = 0; b < 16; b++) out.values[16 * i + b] = parseInt(hex.slice(2 * b, 2 * b + 2), 16);
      });
      break;
    }
    case "utf8": {
      const parts = values.map((v) => new TextEncoder().encode(String(v ?? "")));
      out.offsets = new Int32Array(n + 1);
      parts.forEach((p, i) => (out.offsets![i + 1] = out.offsets![i]! + p.length));
      out.values = new Uint8Array(out.offsets[n]!);
      parts.forEach((p, i) => out.values.set(p, out.offsets![i]!));
      break;
    }
  }
  return out;
}

const ROWS = 5;
/** Every BatchType, with nulls and edge values; `i` orders the rows. */
const SAMPLE: {
  column: ParquetColumn;
  values: Value[];
  read: Value[];
  physical: string;
  logical: RegExp | null;
}[] = [
  {
    column: { name: "i", type: { kind: "int32" }, nullable: false },
    values: [0, 1, 2, 3, 4],
    read: [0, 1, 2, 3, 4],
    physical: "INT32",
    logical: null,
  },
  {
    column: { name: "b", type: { kind: "bool" }, nullable: true },
    values: [true, false, null, true, false],
    read: [true, false, null, true, false],
    physical: "BOOLEAN",
    logical: null,
  },
  {
    column: { name: "s16", type: { kind: "int16" }, nullable: true },
    values: [-32768, 32767, null, 0, -1],
    read: [-32768, 32767, null, 0, -1],
    physical: "INT32",
    logical: /^IntType\(.*isSigned=1\)$/,
  },
  {
    column: { name: "i32", type: { kind: "int32" }, nullable: true },
    values: [-2147483648, 2147483647, null, 0, 42],
    read: [-2147483648, 2147483647, null, 0, 42],
    physical: "INT32",
    logical: null,
  },
  {
    column: { name: "i64", type: { kind: "int64" }, nullable: true },
    values: [-(2n ** 63n), 2n ** 63n - 1n, null, 0n, -1n],
    read: [-(2n ** 63n), 2n ** 63n - 1n, null, 0n, -1n],
    physical: "INT64",
    logical: null,
  },
  {
    column: { name: "f32", type: { kind: "float32" }, nullable: true },
    values: [1.5, -0.25, null, 3.4028234663852886e38, 1e-45],
    read: [1.5, -0.25, null, 3.4028234663852886e38, Math.fround(1e-45)],
    physical: "FLOAT",
    logical: null,
  },
  {
    column: { name: "f64", type: { kind: "float64" }, nullable: true },
    values: [Math.PI, -1e-300, null, Number.MAX_VALUE, 5e-324],
    read: [Math.PI, -1e-300, null, Number.MAX_VALUE, 5e-324],
    physical: "DOUBLE",
    logical: null,
  },
  {
    column: { name: "money", type: { kind: "decimal", precision: 10, scale: 2 }, nullable: true },
    values: [12345n, -456n, null, -9999999999n, 1n],
    read: ["123.45", "-4.56", null, "-99999999.99", "0.01"],
    physical: "INT64",
    logical: /^DecimalType\(scale=2, precision=10\)$/,
  },
  {
    column: { name: "small_money", type: { kind: "decimal", precision: 5, scale: 0 }, nullable: true },
    values: [99999n, -99999n, null, 0n, -1n],
    read: ["99999", "-99999", null, "0", "-1"],
    physical: "INT32",
    logical: /^DecimalType\(scale=0, precision=5\)$/,
  },
  {
    column: { name: "big_money", type: { kind: "decimal", precision: 38, scale: 4 }, nullable: true },
    values: [-12345678901234567n, 2n ** 63n - 1n, null, 0n, -1n],
    read: ["-1234567890123.4567", "922337203685477.5807", null, "0.0000", "-0.0001"],
    physical: "FIXED_LEN_BYTE_ARRAY",
    logical: /^DecimalType\(scale=4, precision=38\)$/,
  },
  {
    column: { name: "txt", type: { kind: "utf8" }, nullable: true },
    values: ["", "ascii", null, "héllo wörld, Łódź", "日本語 😀 \u0000 end"],
    read: ["", "ascii", null, "héllo wörld, Łódź", "日本語 😀 \u0000 end"],
    physical: "BYTE_ARRAY",
    logical: /^StringType\(\)$/,
  },
  {
    column: { name: "day", type: { kind: "date" }, nullable: true },
    values: [0, -1, null, -719162, 2932896],
    read: ["1970-01-01", "1969-12-31", null, "0001-01-01", "9999-12-31"],
    physical: "INT32",
    logical: /^DateType\(\)$/,
  },
  {
    column: { name: "at", type: { kind: "timestamp", utc: false }, nullable: true },
    values: [0n, -1n, null, 1700000000123456n, -62135596800000000n],
    read: [
      "1970-01-01 00:00:00",
      "1969-12-31 23:59:59.999999",
      null,
      "2023-11-14 22:13:20.123456",
      "0001-01-01 00:00:00",
    ],
    physical: "INT64",
    logical: /^TimestampType\(isAdjustedToUTC=0, unit=TimeUnit\(.*MICROS=MicroSeconds\(\).*\)\)$/,
  },
  {
    column: { name: "at_tz", type: { kind: "timestamp", utc: true }, nullable: true },
    values: [0n, -1n, null, 1700000000123456n, 1n],
    read: [
      "1970-01-01 00:00:00+00",
      "1969-12-31 23:59:59.999999+00",
      null,
      "2023-11-14 22:13:20.123456+00",
      "1970-01-01 00:00:00.000001+00",
    ],
    physical: "INT64",
    logical: /^TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(.*MICROS=MicroSeconds\(\).*\)\)$/,
  },
  {
    column: { name: "id", type: { kind: "uuid" }, nullable: true },
    values: [
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      null,
      "123e4567-e89b-12d3-a456-426614174000",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    ],
    read: [
      "00000000-0000-0000-0000-000000000000",
      "ffffffff-ffff-ffff-ffff-ffffffffffff",
      null,
      "123e4567-e89b-12d3-a456-426614174000",
      "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
    ],
    physical: "FIXED_LEN_BYTE_ARRAY",
    // Written by the footer rewrite (parquet-wasm 0.8.0 cannot; see parquet.ts).
    logical: /^UUIDType\(\)$/,
  },
];

const COLUMNS = SAMPLE.map((s) => s.column);
const BATCH = SAMPLE.map((s) => column(s.column.name, s.column.type, s.values));

/** The SELECT list that reads SAMPLE back, and each uuid column's DuckDB type. */
const READ = SAMPLE.map((s) =>
  s.column.type.kind === "uuid"
    ? `"${s.column.name}", typeof("${s.column.name}") AS "typeof_${s.column.name}"`
    : `"${s.column.name}"`
).join(", ");

async function write(path: string, columns: ParquetColumn[], batches: ColumnBatch[][], options: {
  compression: ParquetCompression;
  rowGroupRows?: number;
  rowGroupBytes?: number;
  uuidLogicalType?: boolean;
}): Promise<ParquetWriter> {
  const writer = new ParquetWriter(columns, options);
  for (const b of batches) await writer.writeBatch(b);
  await Deno.writeFile(path, await writer.finish());
  return writer;
}

Deno.test("every BatchType reads back exactly in DuckDB, with its Parquet types, for each codec", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const compression of ["snappy", "zstd", "gzip", "none"] as const) {
      await t.step(compression, async () => {
        const path = `${dir}/all_${compression}.parquet`;
        const writer = await write(path, COLUMNS, [BATCH], { compression });
        deepStrictEqual(writer.rows, ROWS);
        deepStrictEqual(writer.bytes, (await Deno.stat(path)).size);

        const rows = await duckdbQuery(`SELECT ${READ} FROM read_parquet('${path}') ORDER BY i`);
        for (const s of SAMPLE) deepStrictEqual(rows.map((r) => r[s.column.name]), s.read, s.column.name);
        deepStrictEqual(new Set(rows.map((r) => r.typeof_id)), new Set(["UUID"]));

        const schema = await duckdbQuery(
          `SELECT name, type, type_length, repetition_type, logical_type FROM parquet_schema('${path}')`,
        );
        for (const s of SAMPLE) {
          const el = schema.find((e) => e.name === s.column.name);
          ok(el, s.column.name);
          deepStrictEqual(el.type, s.physical, s.column.name);
          deepStrictEqual(el.repetition_type, s.column.nullable ? "OPTIONAL" : "REQUIRED", s.column.name);
          if (s.logical === null) deepStrictEqual(el.logical_type, null, s.column.name);
          else match(String(el.logical_type), s.logical, s.column.name);
        }
        deepStrictEqual(schema.find((e) => e.name === "id")?.type_length, "16");

        const codecs = await duckdbQuery(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
        deepStrictEqual(codecs, [{
          compression: compression === "none" ? "UNCOMPRESSED" : compression.toUpperCase(),
        }]);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("row groups close at rowGroupRows and at rowGroupBytes, across batch boundaries", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const columns: ParquetColumn[] = [
      { name: "n", type: { kind: "int64" }, nullable: false },
      { name: "s", type: { kind: "utf8" }, nullable: true },
    ];
    const batches = Array.from({ length: 5 }, (_, b) => {
      const n = Array.from({ length: 777 }, (_, i) => BigInt(b * 777 + i));
      return [column("n", columns[0]!.type, n), column("s", columns[1]!.type, n.map((v) => `row ${v} ✓`))];
    });
    const byRows = `${dir}/rows.parquet`;
    await write(byRows, columns, batches, { compression: "zstd", rowGroupRows: 1000 });
    deepStrictEqual(
      await duckdbQuery(
        `SELECT row_group_id, any_value(row_group_num_rows) AS rows FROM parquet_metadata('${byRows}')
         GROUP BY row_group_id ORDER BY row_group_id`,
      ),
      [0n, 1n, 2n, 3n].map((g) => ({ row_group_id: g, rows: g < 3n ? 1000n : 885n })),
    );
    deepStrictEqual(
      await duckdbQuery(
        `SELECT count(*) AS c, count(DISTINCT n) AS d, sum(n) AS total, min(s) AS lo FROM read_parquet('${byRows}')`,
      ),
      [{ c: 3885n, d: 3885n, total: BigInt((3884 * 3885) / 2), lo: "row 0 ✓" }],
    );

    const byBytes = `${dir}/bytes.parquet`;
    await write(byBytes, columns, batches, { compression: "snappy", rowGroupBytes: 16 * 1024 });
    const [groups] = await duckdbQuery(
      `SELECT count(DISTINCT row_group_id) AS g, max(row_group_num_rows) AS most FROM parquet_metadata('${byBytes}')`,
    );
    ok(
      (groups!.g as bigint) > 1n && (groups!.most as bigint) < 3885n,
      JSON.stringify(groups, (_, v) => String(v)),
    );
    deepStrictEqual(await duckdbQuery(`SELECT count(*) AS c FROM '${byBytes}'`), [{ c: 3885n }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file with no rows is valid and keeps its schema", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const batches of [[], [SAMPLE.map((s) => column(s.column.name, s.column.type, []))]]) {
      const path = `${dir}/empty.parquet`;
      const writer = await write(path, COLUMNS, batches, { compression: "zstd" });
      deepStrictEqual(writer.rows, 0);
      deepStrictEqual(await duckdbQuery(`SELECT count(*) AS c FROM '${path}'`), [{ c: 0n }]);
      const described = await duckdbQuery(`DESCRIBE SELECT * FROM '${path}'`);
      deepStrictEqual(described.map((d) => d.column_name), COLUMNS.map((c) => c.name));
      deepStrictEqual(described.find((d) => d.column_name === "money")?.column_type, "DECIMAL(10,2)");
      deepStrictEqual(
        described.find((d) => d.column_name === "at_tz")?.column_type,
        "TIMESTAMP WITH TIME ZONE",
      );
      deepStrictEqual(described.find((d) => d.column_name === "id")?.column_type, "UUID");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a function sink, a partial writer and a Deno.FsFile get the same bytes as finish()", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const batches = [BATCH, BATCH, BATCH];
    const whole = new ParquetWriter(COLUMNS, { compression: "snappy", rowGroupRows: 4 });
    for (const b of batches) await whole.writeBatch(b);
    const expected = await whole.finish();

    const parts: Uint8Array[] = [];
    const viaFunction = new ParquetWriter(COLUMNS, {
      compression: "snappy",
      rowGroupRows: 4,
      sink: async (bytes) => {
        await new Promise((r) => setTimeout(r, 1));
        parts.push(bytes);
      },
    });
    for (const b of batches) await viaFunction.writeBatch(b);
    deepStrictEqual(await viaFunction.finish(), new Uint8Array(0));
    deepStrictEqual(concat(parts), expected);

    const taken: Uint8Array[] = [];
    const partial = new ParquetWriter(COLUMNS, {
      compression: "snappy",
      rowGroupRows: 4,
      sink: {
        write(bytes: Uint8Array): Promise<number> {
          const n = Math.min(bytes.length, 100);
          taken.push(bytes.slice(0, n));
          return Promise.resolve(n);
        },
      },
    });
    for (const b of batches) await partial.writeBatch(b);
    await partial.finish();
    deepStrictEqual(concat(taken), expected);
    deepStrictEqual(partial.bytes, expected.length);

    const path = `${dir}/file.parquet`;
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      const toFile = new ParquetWriter(COLUMNS, { compression: "snappy", rowGroupRows: 4, sink: file });
      for (const b of batches) await toFile.writeBatch(b);
      await toFile.finish();
    } finally {
      file.close();
    }
    deepStrictEqual(await Deno.readFile(path), expected);
    deepStrictEqual(await duckdbQuery(`SELECT count(*) AS c, sum(i) AS s FROM '${path}'`), [{
      c: 15n,
      s: 30n,
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("buffers at any byte offset, and text offsets not starting at 0, read back right", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const shifted = (c: ColumnBatch): ColumnBatch => {
      const room = new Uint8Array(c.values.length + 3);
      room.set(c.values, 3);
      return { ...c, values: room.subarray(3) };
    };
    const text = column("txt", { kind: "utf8" }, ["ab", "ç", "", "d"]);
    const later: ColumnBatch = {
      ...text,
      length: 2,
      offsets: text.offsets!.subarray(2),
      ...(text.validity ? { validity: text.validity } : {}),
    };
    const columns: ParquetColumn[] = [
      { name: "n", type: { kind: "int32" }, nullable: false },
      { name: "w", type: { kind: "int64" }, nullable: false },
      { name: "txt", type: { kind: "utf8" }, nullable: false },
    ];
    const path = `${dir}/offsets.parquet`;
    await write(path, columns, [[
      shifted(column("n", { kind: "int32" }, [7, -8])),
      shifted(column("w", { kind: "int64" }, [2n ** 40n, -3n])),
      later,
    ]], { compression: "gzip" });
    deepStrictEqual(await duckdbQuery(`SELECT * FROM '${path}'`), [
      { n: 7, w: 2n ** 40n, txt: "" },
      { n: -8, w: -3n, txt: "d" },
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("misuse is refused with the column named", async () => {
  const int: ParquetColumn = { name: "n", type: { kind: "int32" }, nullable: false };
  const ints = (values: Value[]) => column("n", int.type, values);
  throws(() => new ParquetWriter([], { compression: "zstd" }), TypeError);
  throws(() => new ParquetWriter([int, int], { compression: "zstd" }), /named twice/);
  throws(
    () =>
      new ParquetWriter([{ name: "d", type: { kind: "decimal", precision: 39, scale: 0 }, nullable: true }], {
        compression: "zstd",
      }),
    RangeError,
  );
  throws(
    () =>
      new ParquetWriter([{ name: "d", type: { kind: "decimal", precision: 4, scale: 5 }, nullable: true }], {
        compression: "zstd",
      }),
    /scale 5/,
  );
  throws(() => new ParquetWriter([int], { compression: "zstd", rowGroupRows: 0 }), RangeError);

  const writer = new ParquetWriter([int, { name: "s", type: { kind: "utf8" }, nullable: true }], {
    compression: "zstd",
  });
  const text = column("s", { kind: "utf8" }, ["a", "b"]);
  await rejects(writer.writeBatch([ints([1, 2])]), /needs 2 columns/);
  await rejects(writer.writeBatch([text, ints([1, 2])]), /expects "n"/);
  await rejects(writer.writeBatch([ints([1, 2, 3]), text]), /"s" has 2 rows; column 0 has 3/);
  await rejects(writer.writeBatch([ints([1, null]), text]), /"n" is not nullable but the batch has 1 nulls/);
  await rejects(
    writer.writeBatch([{ ...ints([1, 2]), values: new Uint8Array(7) }, text]),
    /needs 8 value bytes/,
  );
  await rejects(
    writer.writeBatch([ints([1, 2]), { ...text, offsets: new Int32Array([0, 1, 9]) }]),
    /offsets outside/,
  );
  await rejects(
    writer.writeBatch([ints([1, 2]), { ...text, values: new Uint8Array([0x61, 0xc3]) }]),
    (e: unknown) => e instanceof TypeError && /not valid Arrow data: .*utf-8/i.test(e.message),
  );
  const first = writer.writeBatch([ints([1, 2]), text]);
  await rejects(writer.writeBatch([ints([1, 2]), text]), /Await the previous writeBatch/);
  await first;
  deepStrictEqual(writer.rows, 2);
  await writer.finish();
  await rejects(writer.writeBatch([ints([1, 2]), text]), /already finished/);
});

Deno.test("a failing sink fails the write instead of leaving a short file", async () => {
  const writer = new ParquetWriter(COLUMNS, {
    compression: "zstd",
    rowGroupRows: 2,
    sink: () => Promise.reject(new Error("disk full")),
  });
  await rejects(async () => {
    for (let i = 0; i < 4; i++) await writer.writeBatch(BATCH);
    await writer.finish();
  }, /disk full/);
});

/** SAMPLE and a second, non-nullable uuid column first (schema position 0). */
const UUID_COLUMNS: ParquetColumn[] = [{ name: "key", type: { kind: "uuid" }, nullable: false }, ...COLUMNS];
const UUIDS = UUID_COLUMNS.filter((c) => c.type.kind === "uuid").map((c) => c.name);
/**
 * Three batches of SAMPLE's rows with `key` distinct and increasing across them, and the uuid
 * values written, in order.
 */
const UUID_BATCHES = [0, 1, 2].map((b) => [
  column("key", { kind: "uuid" }, keys(b)),
  ...BATCH,
]);
const UUID_WRITTEN: Record<string, Value[]> = {
  key: [0, 1, 2].flatMap(keys),
  id: [0, 1, 2].flatMap(() => SAMPLE.find((s) => s.column.name === "id")!.values),
};

function keys(batch: number): string[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const n = (batch * ROWS + i) * 0x1234567;
    return `${(n >>> 0).toString(16).padStart(8, "0")}-0000-4000-8000-${(0xfedcba987654 - n).toString(16)}`;
  });
}

/** The same data with parquet-wasm's footer and with the rewritten one. */
async function beforeAndAfter(
  dir: string,
  compression: ParquetCompression,
): Promise<{ before: string; after: string; beforeBytes: Uint8Array; afterBytes: Uint8Array }> {
  const before = `${dir}/before_${compression}.parquet`, after = `${dir}/after_${compression}.parquet`;
  const options = { compression, rowGroupRows: 4 };
  await write(before, UUID_COLUMNS, UUID_BATCHES, { ...options, uuidLogicalType: false });
  const writer = await write(after, UUID_COLUMNS, UUID_BATCHES, options);
  const afterBytes = await Deno.readFile(after);
  deepStrictEqual(writer.bytes, afterBytes.length);
  return { before, after, beforeBytes: await Deno.readFile(before), afterBytes };
}

const without = (row: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

Deno.test("the footer rewrite gives uuid columns the UUID type and changes nothing else, for each codec", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const compression of ["snappy", "zstd", "gzip", "none"] as const) {
      await t.step(compression, async () => {
        const { before, after, beforeBytes, afterBytes } = await beforeAndAfter(dir, compression);
        const b = findFooter(beforeBytes)!, a = findFooter(afterBytes)!;
        deepStrictEqual(a.start, b.start);
        deepStrictEqual(afterBytes.subarray(0, a.start), beforeBytes.subarray(0, b.start), "the data");

        // Values (in `key` order, which is the order written): uuid columns become UUIDs equal to
        // what was written, nulls kept; the rest as before.
        const rows = await duckdbQuery(
          `SELECT *, ${
            UUIDS.map((u) => `typeof("${u}") AS "typeof_${u}"`)
          } FROM read_parquet('${after}') ORDER BY key`,
        );
        const old = await duckdbQuery(`SELECT * FROM read_parquet('${before}') ORDER BY key`);
        deepStrictEqual(rows.length, 3 * ROWS);
        for (const u of UUIDS) {
          deepStrictEqual(rows.map((r) => r[u]), UUID_WRITTEN[u], u);
          deepStrictEqual(new Set(rows.map((r) => r[`typeof_${u}`])), new Set(["UUID"]), u);
          deepStrictEqual(
            old.map((r) => r[u] === null ? null : uuidText(r[u] as Uint8Array)),
            UUID_WRITTEN[u],
          );
        }
        deepStrictEqual(
          rows.map((r) => without(r, [...UUIDS, ...UUIDS.map((u) => `typeof_${u}`)])),
          old.map((r) => without(r, UUIDS)),
        );

        // Filters on UUIDs, pruned by row-group statistics, find every row.
        for (
          const [value, count] of [["123e4567-e89b-12d3-a456-426614174000", 3n], [UUID_WRITTEN.key![7], 1n]]
        ) {
          const found = await duckdbQuery(
            `SELECT count(*) AS c FROM read_parquet('${after}') WHERE id = '${value}' OR key = '${value}'`,
          );
          deepStrictEqual(found, [{ c: count }], String(value));
        }
        deepStrictEqual(
          await duckdbQuery(
            `SELECT count(*) AS c FROM read_parquet('${after}') WHERE id >= 'ffffffff-ffff-ffff-ffff-ffffffffffff'`,
          ),
          [{ c: 3n }],
        );

        // The schema: only the uuid elements' logical type (and so DuckDB's type) differs.
        const schemaOf = (f: string) =>
          duckdbQuery(`SELECT * EXCLUDE (file_name) FROM parquet_schema('${f}') ORDER BY name`);
        const schema = await schemaOf(after), oldSchema = await schemaOf(before);
        deepStrictEqual(schema.length, UUID_COLUMNS.length + 1);
        for (const u of UUIDS) {
          const now = schema.find((e) => e.name === u), then = oldSchema.find((e) => e.name === u);
          deepStrictEqual([now?.logical_type, now?.duckdb_type], ["UUIDType()", "UUID"], u);
          deepStrictEqual([then?.logical_type, then?.duckdb_type], [null, "BLOB"], u);
        }
        const plain = (e: Record<string, unknown>) =>
          UUIDS.includes(String(e.name)) ? without(e, ["logical_type", "duckdb_type"]) : e;
        deepStrictEqual(schema.map(plain), oldSchema.map(plain));

        // Row groups and column chunks: identical, uuid statistics the same bytes shown as UUIDs.
        const metadataOf = (f: string) =>
          duckdbQuery(
            `SELECT * EXCLUDE (file_name) FROM parquet_metadata('${f}') ORDER BY row_group_id, column_id`,
          );
        const metadata = await metadataOf(after), oldMetadata = await metadataOf(before);
        deepStrictEqual(metadata.length, 4 * UUID_COLUMNS.length);
        const STATS = ["stats_min_value", "stats_max_value"];
        const uuidStats = await duckdbQuery(
          `SELECT row_group_id, path_in_schema, stats_min, stats_max, replace(stats_min_value, '-', '') AS lo,
             replace(stats_max_value, '-', '') AS hi
           FROM parquet_metadata('${after}') WHERE path_in_schema IN ('id', 'key') ORDER BY ALL`,
        );
        const oldUuidStats = await duckdbQuery(
          `SELECT row_group_id, path_in_schema, stats_min, stats_max, lower(hex(stats_min_value::BLOB)) AS lo,
             lower(hex(stats_max_value::BLOB)) AS hi
           FROM parquet_metadata('${before}') WHERE path_in_schema IN ('id', 'key') ORDER BY ALL`,
        );
        deepStrictEqual(uuidStats, oldUuidStats);
        deepStrictEqual(
          uuidStats,
          [0n, 1n, 2n, 3n].flatMap((g) =>
            ["id", "key"].map((u) => {
              const group = UUID_WRITTEN[u]!.slice(4 * Number(g), 4 * Number(g) + 4).filter((v) => v !== null)
                .map((v) => String(v).replaceAll("-", "")).sort();
              return {
                row_group_id: g,
                path_in_schema: u,
                stats_min: null,
                stats_max: null,
                lo: group[0],
                hi: group.at(-1),
              };
            })
          ),
        );
        const comparable = (e: Record<string, unknown>) =>
          UUIDS.includes(String(e.path_in_schema)) ? without(e, STATS) : e;
        deepStrictEqual(metadata.map(comparable), oldMetadata.map(comparable));

        // The file: row count, created_by, column orders, key-value metadata (ARROW:schema); the
        // footer is 4 bytes longer per uuid column (field 10 holding field 14, two stops).
        const SIZES = ["file_size_bytes", "footer_size"];
        for (const table of ["parquet_file_metadata", "parquet_kv_metadata"]) {
          const query = (f: string) =>
            duckdbQuery(`SELECT * EXCLUDE (file_name) FROM ${table}('${f}') ORDER BY ALL`);
          const now = await query(after), then = await query(before);
          ok(now.length > 0, table);
          deepStrictEqual(now.map((r) => without(r, SIZES)), then.map((r) => without(r, SIZES)), table);
        }
        const [sizes] = await duckdbQuery(`SELECT ${SIZES} FROM parquet_file_metadata('${after}')`);
        deepStrictEqual(sizes, { file_size_bytes: BigInt(afterBytes.length), footer_size: BigInt(a.length) });
        deepStrictEqual(a.length - b.length, 4 * UUIDS.length);
        deepStrictEqual(
          (await duckdbQuery(`SELECT decode(key) AS k FROM parquet_kv_metadata('${after}')`)).map((r) => r.k),
          ["ARROW:schema"],
        );
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parquet-wasm's footer decodes and re-encodes to its own bytes; the patch adds only the UUID type", async (t) => {
  const dir = await Deno.makeTempDir();
  try {
    for (const compression of ["snappy", "zstd", "gzip", "none"] as const) {
      await t.step(compression, async () => {
        const { beforeBytes, afterBytes } = await beforeAndAfter(dir, compression);
        const empty = new ParquetWriter(UUID_COLUMNS, { compression, uuidLogicalType: false });
        for (const file of [beforeBytes, await empty.finish()]) {
          const f = findFooter(file)!;
          const metadata = file.subarray(f.start, f.start + f.length);
          deepStrictEqual(encodeThrift(decodeThrift(metadata)), metadata);
        }

        // Patched = original plus field 10 (logicalType) = { 14: UUIDType {} } on the uuid elements.
        const metadataOf = (file: Uint8Array) => {
          const f = findFooter(file)!;
          return decodeThrift(file.subarray(f.start, f.start + f.length));
        };
        const patched = metadataOf(afterBytes), original = metadataOf(beforeBytes);
        const elements = (m: ThriftStruct) =>
          (m.fields.find((f) => f.id === 2)!.value as { items: ThriftStruct[] }).items;
        const uuidAt = UUID_COLUMNS.flatMap((c, i) => c.type.kind === "uuid" ? [i + 1] : []);
        for (const i of uuidAt) {
          const logical = elements(patched)[i]!.fields.find((f) => f.id === 10);
          deepStrictEqual(logical?.value, {
            kind: "struct",
            fields: [{ id: 14, type: T.STRUCT, value: { kind: "struct", fields: [] }, long: false }],
          });
          ok(!elements(original)[i]!.fields.some((f) => f.id === 10));
          elements(patched)[i]!.fields = elements(patched)[i]!.fields.filter((f) => f.id !== 10);
        }
        deepStrictEqual(patched, original);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the Thrift compact codec: fixed bytes, every wire type, header forms, and bad input", () => {
  // {1: i32 -1, 2: true, 20: binary "ab"}: short headers, a bool in the header, a long header.
  const vector = new Uint8Array([0x15, 0x01, 0x11, 0x08, 0x28, 0x02, 0x61, 0x62, 0x00]);
  const small = decodeThrift(vector);
  deepStrictEqual(small.fields.map((f) => [f.id, f.type, f.value, f.long]), [
    [1, T.I32, -1, false],
    [2, T.TRUE, true, false],
    [20, T.BINARY, new Uint8Array([0x61, 0x62]), true],
  ]);
  deepStrictEqual(encodeThrift(small), vector);

  const list = (elementType: number, items: ThriftValue[], long = false): ThriftValue => ({
    kind: "list",
    type: T.LIST,
    elementType,
    items,
    long,
  });
  const f = (id: number, type: number, value: ThriftValue, long = false) => ({ id, type, value, long });
  const tree: ThriftStruct = {
    kind: "struct",
    fields: [
      f(1, T.TRUE, false),
      f(2, T.I8, -128),
      f(3, T.I16, -32768),
      f(4, T.I32, 2147483647),
      f(5, T.I64, -(2n ** 63n)),
      f(6, T.I64, 2n ** 63n - 1n),
      f(7, T.DOUBLE, -1.5e300),
      f(8, T.BINARY, new Uint8Array(300).fill(7)),
      f(9, T.LIST, list(T.I32, Array.from({ length: 20 }, (_, i) => (i - 10) * 1000))),
      f(10, T.LIST, list(T.TRUE, [1, 2, 1])),
      f(11, T.LIST, list(T.STRUCT, [], true)),
      f(12, T.SET, {
        kind: "list",
        type: T.SET,
        elementType: T.BINARY,
        items: [new Uint8Array(0)],
        long: false,
      }),
      f(13, T.MAP, { kind: "map", keyType: T.I32, valueType: T.BINARY, entries: [[1, new Uint8Array([9])]] }),
      f(14, T.MAP, { kind: "map", keyType: 0, valueType: 0, entries: [] }),
      f(15, T.UUID, new Uint8Array(16).fill(0xab)),
      f(30, T.STRUCT, { kind: "struct", fields: [f(1, T.I64, 2n ** 40n), f(16, T.TRUE, true)] }),
      f(5, T.I32, 0, true), // out of order: a long header
      f(32767, T.I16, 1, true),
    ],
  };
  const bytes = encodeThrift(tree);
  deepStrictEqual(decodeThrift(bytes), tree);
  deepStrictEqual(encodeThrift(decodeThrift(bytes)), bytes);

  throws(() => decodeThrift(vector.subarray(0, 7)), ThriftSyntaxError);
  throws(() => decodeThrift(new Uint8Array([...vector, 0])), /1 bytes follow the struct/);
  throws(() => decodeThrift(new Uint8Array([0x1e, 0x00])), /Unknown wire type 14/);
  throws(() => decodeThrift(new Uint8Array([0x15, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00])), /i32 out of range/);
  throws(() => encodeThrift({ kind: "struct", fields: [f(1, T.I32, 2 ** 31)] }), RangeError);
  throws(() => encodeThrift({ kind: "struct", fields: [f(1, T.I8, 1.5)] }), RangeError);
  throws(() => encodeThrift({ kind: "struct", fields: [f(0, T.I32, 1)] }), /outside 1..32767/);
  throws(() => encodeThrift({ kind: "struct", fields: [f(1, T.BINARY, 1)] }), RangeError);
});

function uuidText(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
