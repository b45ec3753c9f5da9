/**
 * Reads a column-batch chunk the kernel wrote (value_ops.ts: F_COLUMNS)
 * into {@link ColumnBatch}es: the regions are copied out of the shared
 * memory as they are, never value by value.
 *
 * @module
 */
import type { ColumnBatch } from "./batch.ts";
import type { CompiledTable } from "./compile.ts";

const WIDTH: Record<string, number> = {
  bool: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  float32: 4,
  float64: 8,
  decimal: 8,
  date: 4,
  timestamp: 8,
  uuid: 16,
};

/** The batches of one chunk (a copy: the chunk's memory is reused afterwards). */
export function chunkBatches(table: CompiledTable, chunk: Uint8Array): ColumnBatch[] {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const rows = view.getUint32(0, true);
  return table.columns.map((c, i) => {
    const h = 4 + i * 16;
    const valuesAt = view.getUint32(h, true);
    const validityAt = view.getUint32(h + 8, true);
    const validity = chunk.slice(validityAt, validityAt + Math.ceil(rows / 8));
    const batch: ColumnBatch = { name: c.name, type: c.batch, length: rows, values: new Uint8Array(0) };
    if (validity.some((b, j) => b !== (j < Math.floor(rows / 8) ? 0xff : (1 << (rows % 8)) - 1))) {
      batch.validity = validity;
    }
    if (c.batch.kind === "utf8") {
      const offsetsAt = view.getUint32(h + 4, true);
      const used = view.getUint32(h + 12, true);
      batch.offsets = new Int32Array(chunk.slice(offsetsAt, offsetsAt + (rows + 1) * 4).buffer);
      batch.values = chunk.slice(valuesAt, valuesAt + used);
    } else {
      batch.values = chunk.slice(valuesAt, valuesAt + rows * WIDTH[c.batch.kind]!);
    }
    return batch;
  });
}
