/**
 * Literals for the types the VM does not format itself (arrays, ranges,
 * multiranges, bit strings, tsvector, money, point, json, cidr, macaddr,
 * composite types): each such type gets a fixed list of typed SQL literals,
 * made here once, and the VM picks among them. Sample `r` is the same on
 * every run, so seed rows and generated statements stay reproducible.
 *
 * @module
 */
import * as op from "../../wasm/opcodes.ts";
import { quoteLiteral } from "../dialect/quote.ts";

/** Literals made per pooled type. */
export const SAMPLE_COUNT = 64;

/** What a scalar literal needs of its type. */
export interface ScalarSpec {
  code: number;
  sql: string;
  /** varchar/char length, numeric precision, or 0. */
  length: number;
  scale: number;
}

const WORDS = [
  "amber",
  "birch",
  "cedar",
  "delta",
  "ember",
  "fjord",
  "grove",
  "haven",
  "iris",
  "jade",
  "kelp",
  "lumen",
  "maple",
  "north",
  "onyx",
  "pearl",
];

const word = (r: number) => WORDS[r % WORDS.length]!;
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const isoDate = (r: number) => new Date(Date.UTC(2020, 0, 1 + (r * 37) % 3000)).toISOString().slice(0, 10);
/** Day `x` counted from 2020-01-01: increasing in x, for range bounds. */
const dayDate = (x: number) => new Date(Date.UTC(2020, 0, 1 + x)).toISOString().slice(0, 10);
const isoTime = (r: number) => `${pad(r % 24, 2)}:${pad((r * 7) % 60, 2)}:${pad((r * 13) % 60, 2)}`;

/** Codes {@link scalarLiteral} handles: element and attribute types. */
export const SCALAR_CODES: ReadonlySet<number> = new Set([
  op.T_INT2,
  op.T_INT4,
  op.T_INT8,
  op.T_NUMERIC,
  op.T_FLOAT4,
  op.T_FLOAT8,
  op.T_TEXT,
  op.T_VARCHAR,
  op.T_CHAR,
  op.T_BOOL,
  op.T_DATE,
  op.T_TIMESTAMP,
  op.T_TIMESTAMPTZ,
  op.T_TIME,
  op.T_INTERVAL,
  op.T_UUID,
  op.T_INET,
]);

/**
 * Literal number `r` of a scalar type, typed so that it reads the same inside
 * `ARRAY[…]` and `ROW(…)`.
 *
 * @example
 * ```ts
 * import { scalarLiteral } from "./samples.ts";
 * import { T_DATE } from "../../wasm/opcodes.ts";
 * if (scalarLiteral({ code: T_DATE, sql: "date", length: 0, scale: 0 }, 0) !== "'2020-01-01'::date") throw new Error();
 * ```
 */
export function scalarLiteral(t: ScalarSpec, r: number): string {
  switch (t.code) {
    case op.T_INT2:
      return String((r * 37) % 30000);
    case op.T_INT4:
      return String((r * 7919) % 1000000);
    case op.T_INT8:
      return String(r * 104729);
    case op.T_NUMERIC: {
      const intDigits = t.length === 0 ? 6 : Math.min(t.length - t.scale, 6);
      const whole = intDigits <= 0 ? 0 : (r * 7919) % 10 ** intDigits;
      return t.scale > 0
        ? `${whole}.${pad((r * 31) % 10 ** Math.min(t.scale, 6), Math.min(t.scale, 6))}`
        : String(whole);
    }
    case op.T_FLOAT4:
    case op.T_FLOAT8:
      return `${r}.5`;
    case op.T_TEXT:
    case op.T_VARCHAR:
    case op.T_CHAR: {
      const w = `${word(r)}${r}`;
      return `${quoteLiteral(t.length > 0 ? w.slice(0, t.length) : w)}::${t.sql}`;
    }
    case op.T_BOOL:
      return r % 2 === 0 ? "true" : "false";
    case op.T_DATE:
      return `'${isoDate(r)}'::date`;
    case op.T_TIMESTAMP:
      return `'${isoDate(r)} ${isoTime(r)}'::timestamp`;
    case op.T_TIMESTAMPTZ:
      return `'${isoDate(r)} ${isoTime(r)}+00'::timestamptz`;
    case op.T_TIME:
      return `'${isoTime(r)}'::time`;
    case op.T_INTERVAL:
      return `'${r} days ${isoTime(r)}'::interval`;
    case op.T_UUID:
      return `'00000000-0000-4000-8000-${pad(r, 12)}'::uuid`;
    case op.T_INET:
      return `'10.${r % 256}.${(r * 7) % 256}.1'::inet`;
    default:
      throw new RangeError(`no scalar literal for type ${t.sql}`);
  }
}

/** The pooled built-in types: a name and the literal for sample `r`, given the type's modifier. */
export const POOLED: Record<
  string,
  { sql: (n: number) => string; sample: (r: number, n: number) => string }
> = {
  json: { sql: () => "json", sample: (r) => `'{"k": ${r}, "w": "${word(r)}"}'::json` },
  money: { sql: () => "money", sample: (r) => `'${r * 3}.${pad(r % 100, 2)}'::money` },
  tsvector: { sql: () => "tsvector", sample: (r) => `'${word(r)} ${word(r * 5 + 3)}'::tsvector` },
  point: { sql: () => "point", sample: (r) => `point(${r % 100}.5, ${(r * 7) % 100})` },
  cidr: { sql: () => "cidr", sample: (r) => `'10.${r % 256}.0.0/16'::cidr` },
  macaddr: {
    sql: () => "macaddr",
    sample: (r) => `'08:00:2b:${pad(r % 100, 2)}:${pad((r * 3) % 100, 2)}:${pad((r * 7) % 100, 2)}'::macaddr`,
  },
  bit: {
    sql: (n) => `bit(${n || 1})`,
    sample: (r, n) => `B'${bits(r, n || 1)}'`,
  },
  varbit: {
    sql: (n) => (n ? `varbit(${n})` : "varbit"),
    sample: (r, n) => `B'${bits(r, 1 + (r % Math.min(n || 16, 64)))}'`,
  },
  int4range: { sql: () => "int4range", sample: (r) => range("int4range", r, (x) => String(x)) },
  int8range: { sql: () => "int8range", sample: (r) => range("int8range", r, (x) => String(x * 1000)) },
  numrange: { sql: () => "numrange", sample: (r) => range("numrange", r, (x) => `${x}.25`) },
  daterange: { sql: () => "daterange", sample: (r) => range("daterange", r, (x) => `'${dayDate(x)}'::date`) },
  tsrange: {
    sql: () => "tsrange",
    sample: (r) => range("tsrange", r, (x) => `'${dayDate(x)} 00:00:00'::timestamp`),
  },
  tstzrange: {
    sql: () => "tstzrange",
    sample: (r) => range("tstzrange", r, (x) => `'${dayDate(x)} 00:00:00+00'::timestamptz`),
  },
};

/** Multirange type names and the range each holds (PostgreSQL 14+). */
export const MULTIRANGES: Record<string, string> = {
  int4multirange: "int4range",
  int8multirange: "int8range",
  nummultirange: "numrange",
  datemultirange: "daterange",
  tsmultirange: "tsrange",
  tstzmultirange: "tstzrange",
};

/** Types without a btree operator class: no `=`, DISTINCT, GROUP BY or ORDER BY. */
export const INCOMPARABLE: ReadonlySet<string> = new Set(["json", "point"]);

function bits(r: number, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += ((r * 2654435761) >>> (i % 31)) & 1 ? "1" : "0";
  return out;
}

/** `lo < hi`, or now and then the empty range. */
function range(name: string, r: number, bound: (x: number) => string): string {
  if (r % 16 === 15) return `'empty'::${name}`;
  const lo = (r * 13) % 500;
  return `${name}(${bound(lo)}, ${bound(lo + 1 + (r % 40))})`;
}

/** Sample `r` of a multirange: one or two ranges of its kind. */
export function multirangeSample(name: string, r: number): string {
  const rangeType = MULTIRANGES[name]!;
  const one = POOLED[rangeType]!.sample(r, 0);
  return r % 3 === 0 ? `${name}()` : `${name}(${one}, ${POOLED[rangeType]!.sample(r + 7, 0)})`;
}

/** Sample `r` of an array of `element`: up to four elements, sometimes none. */
export function arraySample(element: ScalarSpec, sql: string, r: number): string {
  const n = r % 5;
  if (n === 0) return `'{}'::${sql}`;
  return `ARRAY[${
    Array.from({ length: n }, (_, i) => scalarLiteral(element, r * 5 + i)).join(", ")
  }]::${sql}`;
}
