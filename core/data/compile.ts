/**
 * Compiles a data spec into one kernel image holding a row program per
 * table (value_ops.ts describes the layout): every column becomes a value
 * op, every foreign key a reference op that recomputes the parent's key
 * columns for the parent row it picks. Tables whose rows follow from a
 * `per_parent` key get their row counts from the kernel itself, so the
 * counts are the kernel's draws and nothing else.
 *
 * @module
 */
import * as v from "../../wasm/value_ops.ts";
import { instantiate, sharedMemory } from "../../wasm/kernel.ts";
import { PROGRAM_BASE } from "../../wasm/layout.ts";
import { quoteIdent } from "../dialect/quote.ts";
import { ImageBuilder } from "../values/image.ts";
import { nameKey, type OpArg, writeDistribution, writeOp } from "../values/ops.ts";
import { type ColumnDraw, columnDraw, ColumnError, columnKey, kernelDistribution } from "./columns.ts";
import type { LiveListAddress } from "../values/live_list.ts";
import { poolDraw, tupleDraw } from "./_list_draws.ts";
import { batchKind, batchType } from "./batch.ts";
import type { NormalizedSpec } from "./normalize_spec.ts";
import type { BatchType } from "./batch.ts";
import type { Seed } from "../seed.ts";
import type { ColumnSpec, ForeignKeyOptions } from "./spec.ts";

/** A table as the compiler takes it: normalised, parents first. */
export interface PlannedTable {
  name: string;
  schema?: string;
  /** Explicit rows, or undefined when a per_parent / one_to_one key decides. */
  rows?: number;
  /** Output columns in order; foreign-key columns have method "reference". */
  columns: {
    name: string;
    spec: ColumnSpec | { method: "reference"; null_fraction?: number };
    /** A tuples column (index 0) or one of its members: the tuples column and the position in each tuple. */
    tuple?: { column: string; index: number };
    /** Drawn from a live list ({@link PoolColumn}) instead of its spec. */
    pool?: PoolColumn;
  }[];
  foreignKeys: PlannedForeignKey[];
  primaryKey?: string[];
  unique?: string[][];
  checks?: string[];
}

/**
 * A column drawn from a live list of keys (core/values/live_list.ts) that
 * its user rewrites while rows are written: member 0 picks an entry of the
 * pool, the other members of the same table take that entry's other key
 * columns, so a composite key stays one existing key.
 */
export interface PoolColumn {
  /** Names the pool; every column naming it shares its lists. */
  id: string;
  /** Which key column of the pool this column takes. */
  member: number;
  /** Key columns of the pool. */
  members: number;
  /** Member 0's column in the same table (read by the other members). */
  first: string;
  capacity: number;
  slotBytes: number;
}

/** A foreign key as the compiler takes it. */
export interface PlannedForeignKey extends ForeignKeyOptions {
  columns: string[];
  references: { table: string; columns: string[] };
  nullFraction: number;
  /** In a cycle of keys: loaded after both tables (constraint added afterwards). */
  secondPass?: boolean;
}

/** One compiled table. */
export interface CompiledTable {
  name: string;
  schema?: string;
  /** Address of the table record in the image. */
  addr: number;
  rows: bigint;
  columns: { name: string; sqlType: string; nullable: boolean; batch: BatchType }[];
  planned: PlannedTable;
  /** Upper bound of one formatted row, any format. */
  maxRowBytes: number;
}

/**
 * A compiled spec: one image, tables in generation order. Row counts that
 * follow from per_parent keys are the kernel's draws for `seed`, so a spec
 * is compiled for the seed it runs with.
 */
export interface CompiledSpec {
  image: Uint8Array;
  tables: CompiledTable[];
  seed: Seed;
  /** The live lists of pool columns: per pool id, one list per member. */
  pools: Map<string, LiveListAddress[]>;
}

/** A compile-time problem with a spec that validation let through. */
export class DataCompileError extends Error {
  override name = "DataCompileError";
}

interface CompiledColumn {
  reg: number;
  /** The op that writes this column's register (for a key, the reference op). */
  op: number;
  draw: Pick<ColumnDraw, "sqlType" | "kind" | "maxBytes" | "values" | "temporal">;
  /** Ops (addresses) this column needs, in draw order, itself last. */
  closure: number[];
}

interface TableState {
  planned: PlannedTable;
  addr: number;
  key: bigint;
  rows: bigint;
  columns: Map<string, CompiledColumn>;
  ops: number[];
  regs: number;
}

function tableKey(name: string): bigint {
  return (BigInt(nameKey(name)) << 32n) | BigInt(nameKey(`${name}\u0000rows`));
}

/** Columns in an order where every column comes after those it reads. */
function drawOrder(t: PlannedTable, reads: Map<string, string[]>): string[] {
  const done = new Set<string>();
  const visiting = new Set<string>();
  const order: string[] = [];
  const visit = (c: string) => {
    if (done.has(c)) return;
    if (visiting.has(c)) {
      throw new DataCompileError(`tables.${t.name}: columns read each other in a cycle at "${c}"`);
    }
    visiting.add(c);
    for (const r of reads.get(c) ?? []) visit(r);
    visiting.delete(c);
    done.add(c);
    order.push(c);
  };
  t.columns.forEach((c) => visit(c.name));
  return order;
}

/**
 * Compiles tables given parents first. `defaultRows` is used for tables
 * without `rows` and without a per_parent / one_to_one key.
 *
 * @throws {DataCompileError} for what validation could not see.
 */
export function compileTables(
  planned: readonly PlannedTable[],
  options: {
    locale?: string;
    defaultRows?: number;
    seed?: Seed;
    /** Streaming: a last column of this name on every table, the time its row was released (ms since 1970). */
    createdAt?: string;
  } = {},
): CompiledSpec {
  const seed = options.seed ?? ([0n, 0n, 0n, 0n] as const);
  const image = new ImageBuilder();
  const locale = options.locale ?? "en";
  const states = new Map<string, TableState>();
  const compiled: CompiledTable[] = [];
  const stamp = options.createdAt;
  const deferred: DeferredKey[] = [];
  const pools = new Map<string, LiveListAddress[]>();
  for (const declared of planned) {
    const t: PlannedTable = stamp
      ? { ...declared, columns: [...declared.columns, { name: stamp, spec: { method: "nulls" } }] }
      : declared;
    const addr = image.alloc(v.RT_WORDS * 4, 8);
    const state: TableState = {
      planned: t,
      addr,
      key: tableKey(t.name),
      rows: 0n,
      columns: new Map(),
      ops: [],
      regs: 0,
    };
    states.set(t.name, state);
    const drive = t.foreignKeys.find((fk) => fk.per_parent || fk.one_to_one);
    const parentOf = (fk: PlannedForeignKey) => {
      const p = states.get(fk.references.table);
      if (!p) {
        throw new DataCompileError(
          `tables.${t.name}: foreign key to "${fk.references.table}", which is not generated before it`,
        );
      }
      return p;
    };
    // Rows: explicit, the parent's (one_to_one), or counted by the kernel below.
    if (drive?.one_to_one) state.rows = parentOf(drive).rows;
    else if (!drive) state.rows = BigInt(t.rows ?? options.defaultRows ?? 1000);

    const fkOf = new Map<string, PlannedForeignKey>();
    for (const fk of t.foreignKeys) for (const c of fk.columns) fkOf.set(c, fk);
    const draws = new Map<string, ColumnDraw>();
    const reads = new Map<string, string[]>();
    for (const c of t.columns) {
      const fk = fkOf.get(c.name);
      if (fk) {
        // Every column of a key is drawn by its first column's op; self keys read the parent columns.
        const self = fk.references.table === t.name;
        reads.set(
          c.name,
          c.name === fk.columns[0] ? (self ? [...fk.references.columns] : []) : [fk.columns[0]!],
        );
        continue;
      }
      const spec = c.spec as ColumnSpec;
      const where = `tables.${t.name}.columns.${c.name}`;
      if (c.name === stamp) {
        const draw: ColumnDraw = {
          code: v.V_NOW,
          reads: [],
          args: () => [],
          sqlType: "bigint",
          kind: v.K_INT,
          maxBytes: 20,
        };
        draws.set(c.name, draw);
        reads.set(c.name, []);
        continue;
      }
      if (c.pool) {
        const draw = poolDraw(image, pools, c.pool);
        draws.set(c.name, draw);
        reads.set(c.name, draw.reads);
        continue;
      }
      if (c.tuple && spec.method === "tuples") {
        const draw = tupleDraw(image, spec, c.tuple);
        draws.set(c.name, draw);
        reads.set(c.name, draw.reads);
        continue;
      }
      try {
        const draw = columnDraw(image, spec, {
          where,
          locale,
          rows: Number(state.rows),
          drawOf: (col) => draws.get(col),
        });
        draws.set(c.name, draw);
        reads.set(c.name, draw.reads);
      } catch (e) {
        if (e instanceof ColumnError) {
          throw new DataCompileError(e.message.startsWith("tables.") ? e.message : `${where}: ${e.message}`);
        }
        throw e;
      }
    }
    const order = drawOrder(t, reads);
    // Registers: each key's columns consecutive.
    const regOf = new Map<string, number>();
    for (const name of order) {
      if (regOf.has(name)) continue;
      const fk = fkOf.get(name);
      for (const c of fk ? fk.columns : [name]) regOf.set(c, state.regs++);
    }
    if (state.regs > 128) throw new DataCompileError(`tables.${t.name}: more than 128 columns`);
    const reg = (c: string) => {
      const r = regOf.get(c);
      if (r === undefined) throw new DataCompileError(`tables.${t.name}: unknown column "${c}"`);
      return r;
    };
    for (const name of order) {
      if (state.columns.has(name)) continue;
      const fk = fkOf.get(name);
      const closureOf = (cols: readonly string[]) => {
        const seen = new Set<number>();
        for (const c of cols) for (const a of state.columns.get(c)?.closure ?? []) seen.add(a);
        return [...seen];
      };
      if (fk && fk.secondPass && !states.has(fk.references.table)) {
        // Closes a cycle: its parent comes later; the op is written once every table is.
        deferred.push({ state, fk, reg: reg(fk.columns[0]!), slot: state.ops.length });
        fk.columns.forEach((c) => state.columns.set(c, { reg: reg(c), op: 0, draw: PENDING, closure: [] }));
        state.ops.push(0);
        continue;
      }
      if (fk) {
        const parent = parentOf(fk);
        const at = referenceOp(image, state, parent, fk, reg(fk.columns[0]!), fk === drive);
        const before = closureOf(fk.references.table === t.name ? fk.references.columns : []);
        fk.columns.forEach((c, i) => {
          const p = parent.columns.get(fk.references.columns[i]!)!;
          state.columns.set(c, { reg: reg(c), op: at, draw: p.draw, closure: [...before, at] });
        });
        state.ops.push(at);
        continue;
      }
      const draw = draws.get(name)!;
      const nullFraction = (t.columns.find((c) => c.name === name)!.spec as ColumnSpec).null_fraction ?? 0;
      const at = writeOp(image, {
        code: draw.code,
        reg: reg(name),
        nullFraction,
        key: columnKey(name),
        args: draw.args(reg),
      });
      state.columns.set(name, { reg: reg(name), op: at, draw, closure: [...closureOf(draw.reads), at] });
      state.ops.push(at);
    }
    writeTableRecord(image, state, drive, drive ? parentOf(drive) : undefined);
    if (drive?.per_parent) state.rows = countRows(image, state, seed);
    image.i64(addr + v.RT_ROWS * 4, state.rows);
  }
  for (const d of deferred) {
    const parent = states.get(d.fk.references.table);
    if (!parent) {
      throw new DataCompileError(
        `tables.${d.state.planned.name}: foreign key to unknown table "${d.fk.references.table}"`,
      );
    }
    const at = referenceOp(image, d.state, parent, d.fk, d.reg, false);
    image.i32(image.readI32(d.state.addr + v.RT_OPS * 4) + d.slot * 4, at);
    d.fk.columns.forEach((c, i) => {
      const p = parent.columns.get(d.fk.references.columns[i]!)!;
      d.state.columns.set(c, { reg: d.state.columns.get(c)!.reg, op: at, draw: p.draw, closure: [at] });
    });
  }
  for (const state of states.values()) {
    writeOutputs(image, state);
    compiled.push(compiledTable(state));
  }
  return { image: image.image(), tables: compiled, seed, pools };
}

/** What a deferred key's columns are until their op is written. */
const PENDING: CompiledColumn["draw"] = { sqlType: "text", kind: v.K_NULL, maxBytes: 0 };

/** A key that closes a cycle, written after every table. */
interface DeferredKey {
  state: TableState;
  fk: PlannedForeignKey;
  reg: number;
  /** Its place in the table's op list. */
  slot: number;
}

/** The compiler's tables from a normalized spec (parents first, as normalizeSpec orders them). */
export function plannedTables(spec: NormalizedSpec, defaultRows: number): PlannedTable[] {
  return spec.tables.map((t) => {
    const planned: PlannedTable = {
      name: t.name,
      columns: t.columns.map((c) => ({
        name: c.name,
        spec: c.foreignKey
          ? { method: "reference" as const }
          : { ...c.spec, null_fraction: c.nullFraction, not_null: c.notNull, locale: c.locale } as ColumnSpec,
        ...(c.tuple ? { tuple: c.tuple } : {}),
      })),
      foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, nullFraction: fk.nullFraction })),
      primaryKey: t.primaryKey,
      unique: t.unique,
      checks: t.checks,
    };
    if (t.schema) planned.schema = t.schema;
    if (t.rows.kind === "fixed") planned.rows = t.rows.rows;
    else if (t.rows.kind === "default") planned.rows = defaultRows;
    return planned;
  });
}

function referenceOp(
  image: ImageBuilder,
  child: TableState,
  parent: TableState,
  fk: PlannedForeignKey,
  reg: number,
  driving: boolean,
): number {
  const self = parent === child;
  const mode = driving
    ? (fk.one_to_one ? v.RM_ONE : v.RM_DRIVE)
    : self
    ? v.RM_SELF
    : fk.distinct
    ? v.RM_DISTINCT
    : fk.window
    ? v.RM_WINDOW
    : v.RM_DRAW;
  if (mode === v.RM_DISTINCT && parent.rows >= 2n ** 32n) {
    throw new DataCompileError(
      `tables.${child.planned.name}: distinct references need a parent under 2^32 rows`,
    );
  }
  const parentCols = fk.references.columns.map((c) => {
    const col = parent.columns.get(c);
    if (!col) {
      throw new DataCompileError(
        `tables.${child.planned.name}: foreign key to ${parent.planned.name}.${c}, which is not a generated column`,
      );
    }
    return col;
  });
  const ops = [...new Set(parentCols.flatMap((c) => c.closure))];
  // Draw order of the parent: its op list order.
  ops.sort((a, b) => parent.ops.indexOf(a) - parent.ops.indexOf(b));
  const pdist = Number(parent.rows) - 1;
  const dist = writeDistribution(image, kernelDistribution(fk.distribution, 0, Math.max(pdist, 0)));
  let countDist = 0, countLo = 0n, countSpan = 0n;
  const per = fk.per_parent;
  if (driving && per) {
    if ("exactly" in per) countLo = BigInt(per.exactly);
    else {
      countLo = BigInt(per.min);
      countSpan = BigInt(per.max - per.min);
      countDist = writeDistribution(image, kernelDistribution(per.distribution, per.min, per.max));
    }
  }
  const args: OpArg[] = [
    mode,
    parent.addr,
    dist,
    fk.window?.rows ?? 1,
    countDist,
    { i64: countLo },
    { i64: countSpan },
    ops.length,
    ...ops,
    parentCols.length,
    ...parentCols.map((c) => c.reg),
  ];
  return writeOp(image, {
    code: v.V_REFERENCE,
    reg,
    nullFraction: fk.nullFraction,
    key: columnKey(fk.columns.join("\u0000")),
    args,
  });
}

function writeTableRecord(
  image: ImageBuilder,
  state: TableState,
  drive: PlannedForeignKey | undefined,
  parent: TableState | undefined,
): void {
  const t = state.planned;
  const addr = state.addr;
  const ops = image.words(state.ops);
  const qualified = (t.schema ? `${quoteIdent(t.schema)}.` : "") + quoteIdent(t.name);
  const [head, headLen] = image.text(
    `INSERT INTO ${qualified} (${t.columns.map((c) => quoteIdent(c.name)).join(", ")}) VALUES\n`,
  );
  image.i32(addr + v.RT_OPS * 4, ops);
  image.i32(addr + v.RT_OP_COUNT * 4, state.ops.length);
  image.i64(addr + v.RT_KEY * 4, state.key);
  image.i32(addr + v.RT_FORMAT * 4, v.F_CSV);
  image.i32(addr + v.RT_DELIM * 4, 44);
  image.i32(addr + v.RT_HEAD_OFF * 4, head);
  image.i32(addr + v.RT_HEAD_LEN * 4, headLen);
  image.i32(addr + v.RT_BATCH * 4, 1000);
  if (drive && parent) {
    const driveOp = state.columns.get(drive.columns[0]!)!.op;
    image.i32(addr + v.RT_DRIVE * 4, drive.per_parent ? driveOp : 0);
    if (drive.per_parent) {
      const blocks = Number((parent.rows + BigInt(v.PREFIX_BLOCK) - 1n) / BigInt(v.PREFIX_BLOCK));
      image.i32(addr + v.RT_PREFIX * 4, image.alloc(Math.max(1, blocks) * 8, 8));
      image.i64(addr + v.RT_PARENT_ROWS * 4, parent.rows);
    }
  }
}

/** The table's output entries: each column's register, temporal format, JSON key and batch kind. */
function writeOutputs(image: ImageBuilder, state: TableState): void {
  const t = state.planned;
  const out = image.alloc(t.columns.length * v.OUT_WORDS * 4, 8);
  image.i32(state.addr + v.RT_OUT * 4, out);
  image.i32(state.addr + v.RT_OUT_COUNT * 4, t.columns.length);
  t.columns.forEach((c, i) => {
    const col = state.columns.get(c.name)!;
    const e = out + i * v.OUT_WORDS * 4;
    image.i32(e, col.reg);
    image.i32(e + 4, col.draw.temporal?.format ?? v.TF_SQL);
    const [fmt, fmtLen] = image.text(col.draw.temporal?.text ?? "");
    image.i32(e + 8, fmt);
    image.i32(e + 12, fmtLen);
    const [key, keyLen] = image.text(JSON.stringify(c.name));
    image.i32(e + 16, key);
    image.i32(e + 20, keyLen);
    image.i32(e + 24, batchKind(col.draw));
    image.i32(e + 28, col.draw.maxBytes);
    const [assign, assignLen] = image.text(`${quoteIdent(c.name)} = `);
    image.i32(e + 32, assign);
    image.i32(e + 36, assignLen);
  });
}

/** Runs the kernel's count of a per_parent table over the image so far, keeping its prefix table. */
function countRows(image: ImageBuilder, state: TableState, seed: Seed): bigint {
  const bytes = image.image();
  const memory = sharedMemory(PROGRAM_BASE + bytes.length + 65536);
  const view = new Uint8Array(memory.buffer);
  view.set(bytes, PROGRAM_BASE);
  const k = instantiate(memory);
  k.setSeed(seed[0], seed[1], seed[2], seed[3]);
  const rows = BigInt.asUintN(64, k.countRows(state.addr));
  const prefix = new DataView(memory.buffer).getInt32(state.addr + v.RT_PREFIX * 4, true);
  const parentRows = new DataView(memory.buffer).getBigUint64(state.addr + v.RT_PARENT_ROWS * 4, true);
  const blocks = Math.max(1, Number((parentRows + BigInt(v.PREFIX_BLOCK) - 1n) / BigInt(v.PREFIX_BLOCK)));
  image.set(prefix, view.slice(prefix, prefix + blocks * 8));
  return rows;
}

function compiledTable(state: TableState): CompiledTable {
  const t = state.planned;
  const columns = t.columns.map((c) => {
    const col = state.columns.get(c.name)!;
    const spec = c.spec as ColumnSpec;
    const fk = t.foreignKeys.find((f) => f.columns.includes(c.name));
    const nullable = fk
      ? fk.nullFraction > 0 || fk.references.table === t.name
      : (spec.null_fraction ?? 0) > 0 ||
        spec.not_null === false || spec.method === "nulls";
    return {
      name: c.name,
      sqlType: (spec as { type?: string }).type ?? col.draw.sqlType,
      nullable,
      batch: batchType(col.draw),
    };
  });
  // Text may double when escaped (JSON: \u00XX is 6 bytes, but pools hold no control characters).
  const maxRowBytes = t.columns.reduce(
    (n, c) => n + 2 * state.columns.get(c.name)!.draw.maxBytes + JSON.stringify(c.name).length + 8,
    64,
  );
  const out: CompiledTable = {
    name: t.name,
    addr: state.addr,
    rows: state.rows,
    columns,
    planned: t,
    maxRowBytes,
  };
  if (t.schema) out.schema = t.schema;
  return out;
}
