/**
 * Checks of the `unique_ids`, `dates` and `timestamps` methods: id kinds and
 * their room for the table's rows, ISO ranges, formats and `after` lags.
 *
 * @module
 */
import { andList, checkKeys, readBoolean, readNumber, readObject, readString, show } from "./_check.ts";
import { didYouMean } from "./_spec_error.ts";
import type { ModelColumn, Obj } from "./_spec_model.ts";
import {
  checkDistribution,
  checkFormat,
  type ColumnContext,
  describeMethod,
  isoOrReport,
  sibling,
} from "./_validate_values.ts";

const KINDS = ["sequential", "uuid4", "uuid7", "hash"];
const ALPHABETS: Record<string, number> = { hex: 16, base36: 36, base62: 62 };
const KIND_KEYS: Record<string, string[]> = {
  sequential: ["prefix", "width", "start"],
  uuid4: [],
  uuid7: ["from", "to"],
  hash: ["length", "alphabet"],
};

/** Checks a `unique_ids` column: its kind, the kind's keys, and room for the table's rows. */
export function checkUniqueIds(ctx: ColumnContext, col: ModelColumn, raw: Obj): void {
  const { c, rows } = ctx;
  const path = col.path;
  const kind = raw.kind;
  if (kind === undefined) return;
  if (typeof kind !== "string" || !KINDS.includes(kind)) {
    const tail = typeof kind === "string" ? didYouMean(kind, KINDS) : `; known: ${KINDS.join(", ")}`;
    c.reportValue([...path, "kind"], `unknown kind ${show(kind)}${tail}`);
    return;
  }
  const example = kind === "sequential"
    ? '{ method: unique_ids, kind: sequential, prefix: "C-", width: 6 }'
    : kind === "hash"
    ? "{ method: unique_ids, kind: hash, length: 16 }"
    : kind === "uuid7"
    ? '{ method: unique_ids, kind: uuid7, from: "2024-01-01", to: "2024-12-31" }'
    : "{ method: unique_ids, kind: uuid4 }";
  for (const [other, keys] of Object.entries(KIND_KEYS)) {
    if (other === kind) continue;
    for (const k of keys) {
      if (raw[k] !== undefined && !KIND_KEYS[kind]!.includes(k)) {
        c.report([...path, k], `"${k}" applies to kind ${other}, not ${kind}, e.g. ${example}`);
      }
    }
  }
  if (kind === "sequential") {
    readString(c, raw, "prefix", path, example, true);
    const width = readNumber(c, raw, "width", path, { integer: true, min: 1, max: 18 }, example);
    const start = readNumber(c, raw, "start", path, { integer: true, min: 0 }, example) ?? 1;
    const last = start + rows.max - 1;
    if (width !== undefined && rows.max > 0 && last >= 10 ** width) {
      const need = String(last).length;
      c.reportValue(
        [...path, "width"],
        `width ${width} holds numbers up to ${
          10 ** width - 1
        }, but table "${ctx.table.name}" numbers rows up to ${last}; use width: ${need} or more`,
      );
    }
  } else if (kind === "hash") {
    const length = readNumber(c, raw, "length", path, { integer: true, min: 1, max: 64 }, example) ?? 16;
    const alphabet = raw.alphabet;
    let size = 16;
    if (alphabet !== undefined) {
      if (typeof alphabet !== "string" || !Object.hasOwn(ALPHABETS, alphabet)) {
        c.reportValue([...path, "alphabet"], `unknown alphabet ${show(alphabet)}; use hex, base36 or base62`);
        return;
      }
      size = ALPHABETS[alphabet]!;
    }
    const needed = 1000 * rows.max;
    if (size ** length < needed) {
      const fit = Math.ceil(Math.log(needed) / Math.log(size) - 1e-9);
      c.report(
        [...path, "length"],
        `${length} ${
          alphabet ?? "hex"
        } characters give ${size}^${length} values, too few to keep ${rows.max} rows apart (at least 1000 times the rows: ${needed}); use length: ${fit} or more`,
        { path: [...path, raw.length === undefined ? "kind" : "length"], part: "value" },
      );
    }
  } else if (kind === "uuid7") {
    const from = readString(c, raw, "from", path, example);
    const to = readString(c, raw, "to", path, example);
    if ((raw.from === undefined) !== (raw.to === undefined)) {
      c.report(path, `kind uuid7 takes both "from" and "to" or neither, e.g. ${example}`);
    }
    const f = from !== undefined ? isoOrReport(c, from, [...path, "from"], false, example) : undefined;
    const t = to !== undefined ? isoOrReport(c, to, [...path, "to"], false, example) : undefined;
    if (f !== undefined && t !== undefined && f > t) {
      c.report(path, `from "${from}" is later than to "${to}", e.g. ${example}`, {
        path: [...path, "from"],
        part: "value",
      });
    }
  }
}

/** Checks a `dates` or `timestamps` column, in its range form or its `after` form. */
export function checkTemporal(
  ctx: ColumnContext,
  col: ModelColumn,
  raw: Obj,
  method: string,
  example: string,
): void {
  const { c } = ctx;
  const path = col.path;
  const dateOnly = method === "dates";
  checkFormat(c, raw, path);
  const ordered = readBoolean(c, raw, "ordered", path, example);
  if (raw.after !== undefined) {
    const afterExample = dateOnly
      ? "{ method: dates, after: { column: order_date, min_lag: 1, max_lag: 7 } }"
      : "{ method: timestamps, after: { column: ordered_at, unit: hours, min_lag: 1, max_lag: 72 } }";
    for (const k of ["min", "max", "distribution", "ordered"]) {
      if (raw[k] !== undefined) {
        c.report(
          [...path, k],
          `"${k}" cannot be combined with "after": the lag decides the value, e.g. ${afterExample}`,
        );
      }
    }
    checkAfter(ctx, col, raw, dateOnly, afterExample);
    return;
  }
  const min = readString(c, raw, "min", path, example);
  const max = readString(c, raw, "max", path, example);
  const lo = min !== undefined ? isoOrReport(c, min, [...path, "min"], dateOnly, example) : undefined;
  const hi = max !== undefined ? isoOrReport(c, max, [...path, "max"], dateOnly, example) : undefined;
  if (lo !== undefined && hi !== undefined && lo > hi) {
    c.report(path, `min "${min}" is later than max "${max}", e.g. ${example}`, {
      path: [...path, "min"],
      part: "value",
    });
  }
  if (raw.distribution !== undefined) {
    if (ordered === true) {
      c.report(
        [...path, "distribution"],
        `an ordered column rises with the row number, so "distribution" has no effect; drop one of them`,
      );
    } else {
      checkDistribution(c, raw.distribution, [...path, "distribution"]);
    }
  }
}

const UNITS = ["seconds", "minutes", "hours", "days"];

function checkAfter(
  ctx: ColumnContext,
  col: ModelColumn,
  raw: Obj,
  dateOnly: boolean,
  example: string,
): void {
  const { c } = ctx;
  const path = [...col.path, "after"];
  const after = readObject(c, raw, "after", col.path, example);
  if (!after) return;
  checkKeys(c, after, path, ["column", "unit", "min_lag", "max_lag", "distribution"], '"after"', example);
  const missing = ["column", "min_lag", "max_lag"].filter((k) => after[k] === undefined);
  if (missing.length > 0) c.report(path, `"after" needs ${andList(missing)}, e.g. ${example}`);
  const unit = readString(c, after, "unit", path, example);
  if (unit !== undefined && !UNITS.includes(unit)) {
    c.reportValue(
      [...path, "unit"],
      `unknown unit "${unit}"${didYouMean(unit, UNITS, false)}; use ${UNITS.join(", ")}`,
    );
  } else if (unit !== undefined && dateOnly && unit !== "days") {
    c.reportValue(
      [...path, "unit"],
      `a dates column moves in whole days; use unit: days (or a timestamps column)`,
    );
  }
  // Lags are whole units (pick a smaller unit for finer lags).
  const lo = readNumber(c, after, "min_lag", path, { integer: true, min: 0 }, example);
  const hi = readNumber(c, after, "max_lag", path, { integer: true, min: 0 }, example);
  if (lo !== undefined && hi !== undefined && lo > hi) {
    c.report(path, `min_lag ${lo} is greater than max_lag ${hi}, e.g. ${example}`, {
      path: [...path, "min_lag"],
      part: "value",
    });
  }
  if (after.distribution !== undefined) checkDistribution(c, after.distribution, [...path, "distribution"]);
  const column = readString(c, after, "column", path, example);
  if (column === undefined) return;
  if (column === col.name) {
    c.reportValue(
      [...path, "column"],
      `a column cannot come after itself; name another dates or timestamps column`,
    );
    return;
  }
  const target = sibling(ctx, column, [...path, "column"], "after.column");
  if (target && target.method !== "dates" && target.method !== "timestamps") {
    c.reportValue(
      [...path, "column"],
      `"${column}" is ${describeMethod(target)}; "after" needs a dates or timestamps column`,
    );
  }
}
