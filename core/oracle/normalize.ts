/**
 * Result values normalized per type, so that two databases that agree print
 * equal keys: numeric without trailing zeros (its scale is presentation),
 * floats kept as numbers for a tolerance, timestamps with a time zone moved
 * to UTC, jsonb with sorted keys and normalized numbers, bytea in lower-case
 * hex, and NULL as its own value. Pure; no host calls.
 *
 * @module
 */

/** Type OIDs of PostgreSQL's built-in types that need normalizing. */
export const OID = {
  bool: 16,
  bytea: 17,
  int8: 20,
  int2: 21,
  int4: 23,
  json: 114,
  float4: 700,
  float8: 701,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

/** A normalized cell: text compared exactly, or a float compared with a tolerance. */
export type Cell = { kind: "null" } | { kind: "text"; text: string } | {
  kind: "float";
  value: number;
  single: boolean;
};

/** A numeric's text without trailing fraction zeros and with one spelling of zero: `1.50` → `1.5`, `-0.00` → `0`. */
export function normalizeNumeric(text: string): string {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return text.trim(); // NaN, Infinity
  const whole = (m[2] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  const body = fraction ? `${whole}.${fraction}` : whole;
  return body === "0" ? "0" : `${m[1]}${body}`;
}

/**
 * A timestamptz's text at UTC: `2020-01-01 10:00:00+02` → `2020-01-01 08:00:00+00`.
 * Text in another form (BC, infinity, another DateStyle) is kept as it is.
 */
export function timestampToUtc(text: string): string {
  const m = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-])(\d\d)(?::?(\d\d))?(?::(\d\d))?$/.exec(
    text,
  );
  if (!m) return text;
  const offset = (m[8] === "-" ? -1 : 1) *
    (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  const ms =
    Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) -
    offset * 1000;
  const d = new Date(ms);
  if (Number.isNaN(ms) || d.getUTCFullYear() > 9999) return text;
  const p = (n: number) => String(n).padStart(2, "0");
  return `${String(d.getUTCFullYear()).padStart(4, "0")}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${
    p(d.getUTCHours())
  }:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${m[7] ?? ""}+00`;
}

/** A JSON document with object keys sorted and numbers as normalized numerics. */
export function canonicalJson(text: string): string {
  let parsed: unknown;
  try {
    // The reviver's third argument carries each number's source text (no loss through doubles).
    parsed = JSON.parse(
      text,
      (_key, value, context?: { source?: string }) =>
        typeof value === "number" && context?.source !== undefined
          ? { __number: normalizeNumeric(context.source.replace(/e.*$/i, "")) + exponent(context.source) }
          : value,
    );
  } catch {
    return text;
  }
  return write(parsed);
}

function exponent(source: string): string {
  const m = /e([+-]?\d+)$/i.exec(source);
  return m ? `e${Number(m[1])}` : "";
}

function write(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(write).join(",")}]`;
  const o = v as Record<string, unknown>;
  if (typeof o.__number === "string" && Object.keys(o).length === 1) return o.__number;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${write(o[k])}`).join(",")}}`;
}

/** One cell of a column of type `oid`, normalized. */
export function normalizeCell(text: string | null, oid: number): Cell {
  if (text === null) return { kind: "null" };
  switch (oid) {
    case OID.float4:
    case OID.float8: {
      const value = text === "NaN"
        ? NaN
        : text === "Infinity"
        ? Infinity
        : text === "-Infinity"
        ? -Infinity
        : Number(text);
      return { kind: "float", value, single: oid === OID.float4 };
    }
    case OID.numeric:
      return { kind: "text", text: normalizeNumeric(text) };
    case OID.timestamptz:
      return { kind: "text", text: timestampToUtc(text) };
    case OID.jsonb:
      return { kind: "text", text: canonicalJson(text) };
    case OID.bytea:
      return { kind: "text", text: text.toLowerCase() };
    default:
      return { kind: "text", text };
  }
}

/** Normalized rows of a result whose columns have the type OIDs `types`. */
export function normalizeRows(
  rows: readonly (readonly (string | null)[])[],
  types: readonly number[],
): Cell[][] {
  return rows.map((row) => row.map((cell, i) => normalizeCell(cell, types[i] ?? 25)));
}

/**
 * The key a cell sorts by: exact text, or a float rounded to fewer digits than
 * the tolerance allows to differ (so values within the tolerance nearly always
 * sort alike; the comparison itself applies the tolerance).
 */
export function cellKey(c: Cell): string {
  if (c.kind === "null") return "\u0000N";
  if (c.kind === "text") return `T${c.text}`;
  if (!Number.isFinite(c.value)) return `F${c.value}`;
  return `F${c.value.toPrecision(c.single ? 4 : 8)}`;
}

/** Whether two cells are equal: floats within relative tolerance `eps` (float4 at least 1e-5). */
export function cellsEqual(a: Cell, b: Cell, eps: number): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "null") return true;
  if (a.kind === "text") return a.text === (b as { text: string }).text;
  const x = a.value;
  const y = (b as { value: number }).value;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (x === y) return true;
  const tolerance = a.single || (b as { single: boolean }).single ? Math.max(eps, 1e-5) : eps;
  // Relative to the larger value, and absolute below 1: a sum that cancels to near zero is not flagged.
  return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y), 1);
}

/** A cell as text for a report. */
export function cellText(c: Cell): string {
  return c.kind === "null" ? "NULL" : c.kind === "text" ? c.text : String(c.value);
}
