/**
 * What `generate --emit-setup` writes before the statements: the schema's
 * tables and `seedRows` rows per table, with primary keys 1..seedRows and
 * foreign keys pointing at rows that exist, so generated statements find
 * data and every constraint holds.
 *
 * @module
 */
import { DEFAULT_SEED_ROWS, type Schema, tablesInDependencyOrder } from "../schema/model.ts";
import { createSchemaStatements } from "../schema/ddl.ts";
import { type ResolvedColumn, resolveSchema } from "../compile/columns.ts";
import { vocabulary } from "../vocab/vocabularies.ts";
import { quoteLiteral } from "../dialect/quote.ts";
import * as op from "../../wasm/opcodes.ts";
import { A_FOREIGN_KEY, A_GENERATED, A_PRIMARY_KEY, A_UNIQUE } from "../compile/attributes.ts";

const GOLDEN = 2654435761n;

/** A spread of row `r` over [lo, hi], distinct for distinct r while r <= hi - lo + 1. */
function spread(c: ResolvedColumn, r: number, key: boolean): bigint {
  const span = c.hi - c.lo + 1n;
  const step = key ? 1n : GOLDEN;
  return c.lo + ((BigInt(r - 1) * step) % span);
}

function scaled(v: bigint, scale: number): string {
  if (scale === 0) return v.toString();
  const neg = v < 0n;
  const a = (neg ? -v : v).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${a.slice(0, -scale)}.${a.slice(-scale)}`;
}

function iso(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace("T", " ").slice(0, 19);
}

function text(c: ResolvedColumn, r: number): string {
  const unique = (c.attr & (A_UNIQUE | A_PRIMARY_KEY)) !== 0;
  const words = c.column.vocabulary ? vocabulary(c.column.vocabulary) : undefined;
  let s = words ? words[(r * 7) % words.length]! : `${c.column.name}-${r}`;
  if (unique && words) s = `${r}.${s}`;
  if (c.type.length > 0 && s.length > c.type.length) {
    s = unique && !words ? r.toString(36) : s.slice(0, c.type.length);
  }
  return quoteLiteral(s);
}

/** The literal for row `r` (1-based) of a column. */
function seedValue(c: ResolvedColumn, r: number): string {
  const key = (c.attr & (A_PRIMARY_KEY | A_UNIQUE)) !== 0;
  switch (c.type.code) {
    case op.T_INT2:
    case op.T_INT4:
    case op.T_INT8:
    case op.T_NUMERIC:
    case op.T_FLOAT4:
    case op.T_FLOAT8: {
      return scaled(spread(c, r, key), c.scale);
    }
    case op.T_TEXT:
    case op.T_VARCHAR:
    case op.T_CHAR:
      return text(c, r);
    case op.T_BOOL:
      return r % 2 === 0 ? "true" : "false";
    case op.T_DATE:
      return quoteLiteral(iso(spread(c, r, key) * 86400n).slice(0, 10));
    case op.T_TIMESTAMP:
      return quoteLiteral(iso(spread(c, r, key)));
    case op.T_TIMESTAMPTZ:
      return quoteLiteral(`${iso(spread(c, r, key))}+00`);
    case op.T_TIME:
      return quoteLiteral(iso(spread(c, r, key)).slice(11));
    case op.T_INTERVAL:
      return quoteLiteral(`${spread(c, r, key)} seconds`);
    case op.T_UUID:
      return quoteLiteral(`00000000-0000-4000-8000-${r.toString(16).padStart(12, "0")}`);
    case op.T_JSONB:
      return quoteLiteral(
        JSON.stringify({ [c.column.vocabulary ? vocabulary(c.column.vocabulary)[r % 7] ?? "n" : "n"]: r }),
      );
    case op.T_BYTEA:
      return quoteLiteral(`\\x${r.toString(16).padStart(8, "0")}`);
    case op.T_ENUM:
      return quoteLiteral(c.type.labels![r % c.type.labels!.length]!);
    case op.T_SQL:
      return c.type.samples![r % c.type.samples!.length]!;
    case op.T_INET:
      return quoteLiteral(`10.0.${r >> 8 & 255}.${r & 255}`);
    default:
      return "NULL";
  }
}

/**
 * Statements that create the schema and fill it with seed rows; idempotent
 * (`IF NOT EXISTS`, `ON CONFLICT DO NOTHING`).
 */
export function setupStatements(schema: Schema): string[] {
  // Seed rows are for a fresh database: the facts of the one a schema was read from do not apply.
  const resolved = resolveSchema({ ...schema, tables: schema.tables.map(({ live: _, ...t }) => t) });
  const byTable = new Map(schema.tables.map((t, i) => [t, i]));
  /** The literal of row `r` of column `ci` of table `ti`: a foreign key takes its parent row's value. */
  const cell = (ti: number, ci: number, r: number): string => {
    const c = resolved[ti]!.columns[ci]!;
    for (const fk of resolved[ti]!.foreignKeys) {
      const pair = fk.pairs.find(([child]) => child === ci);
      if (!pair || fk.parent === ti) continue;
      const parentRows = schema.tables[fk.parent]!.seedRows ?? DEFAULT_SEED_ROWS;
      return cell(fk.parent, pair[1], 1 + ((r - 1) * 7) % parentRows);
    }
    return seedValue(c, r);
  };
  const out = createSchemaStatements(schema);
  for (const table of tablesInDependencyOrder(schema)) {
    const ti = byTable.get(table)!;
    const rt = resolved[ti]!;
    const rows = table.seedRows ?? DEFAULT_SEED_ROWS;
    const cols = rt.columns.map((c, i) => ({ c, i })).filter(({ c }) => (c.attr & A_GENERATED) === 0);
    if (cols.length === 0) {
      // Every column is generated: rows of defaults only.
      out.push(`INSERT INTO ${rt.sqlName} SELECT FROM generate_series(1, ${rows})`);
      continue;
    }
    // A self-reference points at row 1, inserted first, so the key exists.
    const selfRef = rt.foreignKeys.some((fk) => fk.parent === ti);
    const values: string[] = [];
    for (let r = 1; r <= rows; r++) {
      values.push(
        `(${
          cols.map(({ c, i }) => (c.attr & A_FOREIGN_KEY) !== 0 && selfRef ? "NULL" : cell(ti, i, r)).join(
            ", ",
          )
        })`,
      );
    }
    out.push(
      `INSERT INTO ${rt.sqlName} (${cols.map(({ c }) => c.sqlName).join(", ")}) VALUES ${
        values.join(", ")
      } ON CONFLICT DO NOTHING`,
    );
  }
  return out;
}
