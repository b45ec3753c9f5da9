/**
 * Checks of one column's generator: its method, the keys that method takes,
 * their values, and references to other columns of the row (correlated `on`,
 * `after.column`, email `from`, derived expressions).
 *
 * @module
 */
import {
  andList,
  checkKeys,
  eg,
  readBoolean,
  readNumber,
  readObject,
  readString,
  readStrings,
  show,
} from "./_check.ts";
import { didYouMean, nearest, SpecError } from "./_spec_error.ts";
import { isObj, type ModelColumn, type Obj } from "./_spec_model.ts";
import { columnOffsets, columnsOf, parseExpression } from "./expression.ts";
import { parsePattern } from "./pattern.ts";
import { FAKER_METHODS, METHODS } from "./spec.ts";
import { checkTemporal, checkUniqueIds } from "./_validate_ids_times.ts";
import {
  checkChoices,
  checkDistribution,
  checkLocale,
  type ColumnContext,
  describeMethod,
  sibling,
  valuesOf,
} from "./_validate_values.ts";

/** Keys every column may carry (`locale` only on faker methods). */
const COMMON = ["method", "null_fraction", "type", "not_null"];

/** Foreign key options, on a `reference` column or a `foreign_keys` entry. */
export const FK_OPTIONS = ["distribution", "per_parent", "one_to_one", "distinct", "window"];

interface MethodInfo {
  keys: readonly string[];
  required: readonly string[];
  example: (column: string) => string;
}

const NAME_METHODS = ["first_name", "last_name", "full_name"];

function faker(method: string): MethodInfo {
  if (method === "email") {
    return {
      keys: ["locale", "from", "domains"],
      required: [],
      example: () => "{ method: email, from: full_name, domains: [example.com] }",
    };
  }
  return { keys: ["locale"], required: [], example: () => `{ method: ${method}, locale: de }` };
}

const INFO: Record<string, MethodInfo> = {
  integers: {
    keys: ["min", "max", "distribution"],
    required: ["min", "max"],
    example: () => "{ method: integers, min: 1, max: 10 }",
  },
  floats: {
    keys: ["min", "max", "round", "distribution"],
    required: ["min", "max"],
    example: () => "{ method: floats, min: 0, max: 100, round: 2 }",
  },
  booleans: {
    keys: ["true_probability"],
    required: [],
    example: () => "{ method: booleans, true_probability: 0.3 }",
  },
  nulls: { keys: [], required: [], example: () => "{ method: nulls }" },
  distincts: {
    keys: ["values"],
    required: ["values"],
    example: () => "{ method: distincts, values: { active: 8, closed: 2 } }",
  },
  correlated: {
    keys: ["on", "map", "default"],
    required: ["on", "map"],
    example: () => "{ method: correlated, on: country, map: { US: [USD], DE: [EUR] }, default: [EUR] }",
  },
  tuples: {
    keys: ["columns", "values"],
    required: ["columns", "values"],
    example: (c) =>
      `{ method: tuples, columns: [${c}, zip], values: [{ tuple: [Paris, "75001"], weight: 2 }] }`,
  },
  unique_ids: {
    keys: ["kind", "prefix", "width", "start", "length", "alphabet", "from", "to"],
    required: ["kind"],
    example: () => '{ method: unique_ids, kind: sequential, prefix: "C-", width: 6 }',
  },
  dates: {
    keys: ["min", "max", "distribution", "format", "ordered", "after"],
    required: ["min", "max"],
    example: () => '{ method: dates, min: "2024-01-01", max: "2024-12-31" }',
  },
  timestamps: {
    keys: ["min", "max", "distribution", "format", "ordered", "after"],
    required: ["min", "max"],
    example: () => '{ method: timestamps, min: "2024-01-01 00:00:00", max: "2024-12-31 23:59:59" }',
  },
  pattern: {
    keys: ["pattern"],
    required: ["pattern"],
    example: () => "{ method: pattern, pattern: '[A-Z]{3}-\\d{4}' }",
  },
  derived: {
    keys: ["expression", "round"],
    required: ["expression"],
    example: () => '{ method: derived, expression: "quantity * unit_price", round: 2 }',
  },
  reference: {
    keys: ["table", "column", ...FK_OPTIONS],
    required: ["table", "column"],
    example: () => "{ method: reference, table: customers, column: customer_id }",
  },
  ordinal: { keys: [], required: [], example: () => "{ method: ordinal }" },
  ...Object.fromEntries(FAKER_METHODS.map((m) => [m, faker(m)])),
};

/** The example shown with a column's problems. */
export function methodExample(method: string, column: string): string {
  return (Object.hasOwn(INFO, method) ? INFO[method]! : INFO.integers!).example(column);
}

/** For a key a method lacks: which methods take it. */
function elsewhere(key: string, method: string): string | undefined {
  if (key === "locale") {
    return `"locale" does not apply to method "${method}"; it is for faker methods such as first_name and city`;
  }
  const users = Object.entries(INFO).filter(([, info]) => info.keys.includes(key)).map(([m]) => m);
  if (users.length === 0) return undefined;
  const shown = users.length > 4 ? `${users.slice(0, 4).join(", ")}, ...` : users.join(", ");
  return `"${key}" does not apply to method "${method}" (it is for ${shown})`;
}

/** Checks one declared column. Tuple members and undeclared FK columns are checked through their owner. */
export function checkColumn(ctx: ColumnContext, col: ModelColumn, raw: unknown): void {
  const { c, table } = ctx;
  const path = col.path;
  if (!isObj(raw)) {
    c.reportValue(
      path,
      `a column must be a mapping with a method, not ${show(raw)}, e.g. ${
        methodExample("integers", col.name)
      }`,
    );
    return;
  }
  const method = raw.method;
  if (method === undefined) {
    c.report(
      path,
      `needs a "method", e.g. ${methodExample("integers", col.name)}; methods: ${METHODS.join(", ")}`,
    );
    return;
  }
  if (typeof method !== "string" || !Object.hasOwn(INFO, method)) {
    const near = typeof method === "string" ? nearest(method, METHODS) : undefined;
    c.reportValue(
      [...path, "method"],
      near
        ? `unknown method ${show(method)} (did you mean "${near}"?), e.g. ${methodExample(near, col.name)}`
        : typeof method === "string"
        ? `unknown method ${show(method)}; methods: ${METHODS.join(", ")}`
        : `must be a method name, not ${show(method)}; methods: ${METHODS.join(", ")}`,
    );
    return;
  }
  const info = INFO[method]!;
  const example = info.example(col.name);
  const isFaker = (FAKER_METHODS as readonly string[]).includes(method);
  const afterForm = (method === "dates" || method === "timestamps") && raw.after !== undefined;
  checkKeys(
    c,
    raw,
    path,
    [...COMMON, ...info.keys],
    `method "${method}"`,
    example,
    (k) => elsewhere(k, method),
  );
  const required = afterForm ? [] : info.required;
  const missing = required.filter((k) => raw[k] === undefined);
  if (missing.length > 0) {
    c.report(path, `method "${method}" needs ${andList(missing)}, e.g. ${example}`);
  }

  // Keys every column may carry.
  const nullFraction = readNumber(c, raw, "null_fraction", path, { min: 0, max: 1 }, "null_fraction: 0.1");
  const notNull = readBoolean(c, raw, "not_null", path, "not_null: false");
  readString(c, raw, "type", path, "type: numeric(10,2)");
  if (nullFraction !== undefined && nullFraction > 0 && notNull === true) {
    c.reportValue(
      [...path, "not_null"],
      `not_null: true contradicts null_fraction: ${nullFraction}; drop one of them`,
    );
  }
  if (isFaker) checkLocale(c, raw, path);

  switch (method) {
    case "integers":
    case "floats": {
      const integer = method === "integers";
      const min = readNumber(c, raw, "min", path, { integer }, example);
      const max = readNumber(c, raw, "max", path, { integer }, example);
      if (min !== undefined && max !== undefined && min > max) {
        c.report(path, `min ${min} is greater than max ${max}, e.g. ${example}`, {
          path: [...path, "min"],
          part: "value",
        });
      }
      readNumber(c, raw, "round", path, { integer: true, min: 0, max: 9 }, example);
      if (raw.distribution !== undefined) checkDistribution(c, raw.distribution, [...path, "distribution"]);
      break;
    }
    case "booleans":
      readNumber(c, raw, "true_probability", path, { min: 0, max: 1 }, example);
      break;
    case "nulls":
      if (notNull === true) {
        c.reportValue([...path, "not_null"], `method "nulls" is always NULL; drop not_null: true`);
      }
      if (raw.null_fraction !== undefined) {
        c.report([...path, "null_fraction"], `method "nulls" is always NULL; drop null_fraction`);
      }
      break;
    case "distincts":
      if (raw.values !== undefined) checkChoices(c, raw.values, [...path, "values"], example);
      break;
    case "correlated":
      checkCorrelated(ctx, col, raw, example);
      break;
    case "tuples":
      checkTuples(ctx, col, raw, example);
      break;
    case "unique_ids":
      checkUniqueIds(ctx, col, raw);
      break;
    case "dates":
    case "timestamps":
      checkTemporal(ctx, col, raw, method, example);
      break;
    case "pattern": {
      const p = readString(c, raw, "pattern", path, example);
      if (p !== undefined) {
        try {
          parsePattern(p);
        } catch (e) {
          if (!(e instanceof SpecError)) throw e;
          c.reportValue([...path, "pattern"], withoutColumn(e), (e.column ?? 1) - 1);
        }
      }
      break;
    }
    case "derived":
      checkDerived(ctx, col, raw, example);
      break;
    case "reference":
      readString(c, raw, "table", path, example);
      readString(c, raw, "column", path, example);
      break;
    case "ordinal":
      if (!table.foreignKeys.some((fk) => fk.options.per_parent !== undefined)) {
        c.report(
          path,
          `method "ordinal" numbers the children of a per_parent parent, but table "${table.name}" has no foreign key with per_parent, e.g. order_id: { method: reference, table: orders, column: order_id, per_parent: { min: 1, max: 5 } }`,
        );
      }
      if (nullFraction !== undefined && nullFraction > 0) {
        c.reportValue([...path, "null_fraction"], `an ordinal is never NULL; drop null_fraction`);
      }
      break;
    case "email":
      checkEmail(ctx, col, raw);
      break;
  }
}

/** An expression or pattern error without "at column N": the position and caret line show where. */
function withoutColumn(e: SpecError): string {
  return e.message.replace(/ at column \d+(?=\n)/, "");
}

function checkCorrelated(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c } = ctx;
  const path = col.path;
  const on = readString(c, raw, "on", path, example);
  const map = readObject(c, raw, "map", path, example);
  if (map) {
    if (Object.keys(map).length === 0) {
      c.reportValue([...path, "map"], `needs at least one entry${eg(example)}`);
    }
    for (const [k, v] of Object.entries(map)) checkChoices(c, v, [...path, "map", k], example);
  }
  if (raw.default !== undefined) checkChoices(c, raw.default, [...path, "default"], example);
  if (on === undefined) return;
  if (on === col.name) {
    c.reportValue(
      [...path, "on"],
      `a correlated column cannot depend on itself; name a distincts, tuples or correlated column`,
    );
    return;
  }
  const target = sibling(ctx, on, [...path, "on"], "on");
  if (!target) return;
  if (target.method !== "distincts" && target.method !== "tuples" && target.method !== "correlated") {
    c.reportValue(
      [...path, "on"],
      `"${on}" is ${
        describeMethod(target)
      }; "on" must name a distincts, tuples or correlated column, whose values can key "map"`,
    );
    return;
  }
  const values = valuesOf(target);
  if (!map || !values) return;
  const keys = Object.keys(map);
  for (const k of keys) {
    if (!values.has(k)) {
      c.report([...path, "map", k], `"${k}" is not a value of "${on}"${didYouMean(k, [...values])}`);
    }
  }
  if (raw.default === undefined) {
    const lacking = [...values].filter((v) => !keys.includes(v));
    if (lacking.length > 0) {
      const shown = lacking.length > 5
        ? `${andList(lacking.slice(0, 5))} and ${lacking.length - 5} more`
        : andList(lacking);
      c.report(
        [...path, "map"],
        `map has no entry for ${shown} of "${on}"'s values; add ${
          lacking.length > 1 ? "them" : "it"
        } or a default, e.g. default: [other]`,
      );
    }
  }
}

function checkTuples(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c, table } = ctx;
  const path = col.path;
  const columns = readStrings(c, raw, "columns", path, example);
  if (columns) {
    if (columns[0] !== col.name) {
      c.reportValue(
        [...path, "columns"],
        `the first of "columns" must be this column, "${col.name}", e.g. ${example}`,
      );
    }
    if (columns.length < 2) {
      c.reportValue(
        [...path, "columns"],
        `tuples draws several columns together; for one column use { method: distincts }`,
      );
    }
    const declared = isObj(table.spec.columns) ? table.spec.columns : {};
    columns.forEach((m, i) => {
      if (i > 0 && m === col.name && columns[0] !== col.name) return; // reported above
      if (columns.indexOf(m) !== i) c.reportValue([...path, "columns", i], `"${m}" is named twice`);
      else if (i > 0 && Object.hasOwn(declared, m)) {
        c.reportValue(
          [...path, "columns", i],
          `"${m}" is also declared as a column of "${table.name}"; a tuple member is declared only here`,
        );
      } else if (i > 0) {
        const owner = table.byName.get(m);
        if (owner && owner.tuple && owner.tuple.column !== col.name) {
          c.reportValue(
            [...path, "columns", i],
            `"${m}" is already a member of tuples column "${owner.tuple.column}"`,
          );
        }
      }
    });
  }
  const values = raw.values;
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length === 0) {
    c.reportValue(
      [...path, "values"],
      `must be a non-empty list of { tuple: [...], weight: n }${eg(example)}`,
    );
    return;
  }
  values.forEach((v, i) => {
    const at = [...path, "values", i];
    if (!isObj(v)) {
      c.reportValue(at, `each value is { tuple: [...], weight: n }, not ${show(v)}${eg(example)}`);
      return;
    }
    checkKeys(c, v, at, ["tuple", "weight"], "a tuples value", example);
    readNumber(c, v, "weight", at, { above: 0 }, example);
    const tuple = v.tuple;
    if (tuple === undefined) {
      c.report(at, `needs "tuple"${eg(example)}`);
    } else if (!Array.isArray(tuple)) {
      c.reportValue([...at, "tuple"], `must be a list of values, not ${show(tuple)}${eg(example)}`);
    } else {
      if (columns && tuple.length !== columns.length) {
        c.reportValue(
          [...at, "tuple"],
          `has ${tuple.length} value${tuple.length === 1 ? "" : "s"} but "columns" names ${columns.length} (${
            columns.join(", ")
          })`,
        );
      }
      tuple.forEach((x, j) => {
        if (x !== null && typeof x === "object") {
          c.reportValue(
            [...at, "tuple", j],
            `a value must be a string, number, boolean or null, not ${show(x)}`,
          );
        }
      });
    }
  });
}

function checkDerived(ctx: ColumnContext, col: ModelColumn, raw: Obj, example: string): void {
  const { c } = ctx;
  const path = col.path;
  readNumber(c, raw, "round", path, { integer: true, min: 0, max: 9 }, example);
  const text = readString(c, raw, "expression", path, example);
  if (text === undefined) return;
  let expr;
  try {
    expr = parseExpression(text);
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    c.reportValue([...path, "expression"], withoutColumn(e), (e.column ?? 1) - 1);
    return;
  }
  const offsets = columnOffsets(text);
  for (const name of columnsOf(expr)) {
    if (name === col.name) {
      c.reportValue(
        [...path, "expression"],
        `the expression uses its own column "${name}"`,
        offsets.get(name),
      );
      continue;
    }
    sibling(ctx, name, [...path, "expression"], "the expression's column", offsets.get(name));
  }
}

function checkEmail(ctx: ColumnContext, col: ModelColumn, raw: Obj): void {
  const { c } = ctx;
  const path = col.path;
  const example = "{ method: email, from: full_name, domains: [example.com] }";
  const domains = readStrings(c, raw, "domains", path, example);
  domains?.forEach((d, i) => {
    if (
      !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/.test(d)
    ) {
      c.reportValue([...path, "domains", i], `"${d}" is not a domain name like example.com`);
    }
  });
  const from = readString(c, raw, "from", path, example);
  if (from === undefined) return;
  const target = sibling(ctx, from, [...path, "from"], "from");
  if (target && !NAME_METHODS.includes(target.method ?? "")) {
    c.reportValue(
      [...path, "from"],
      `"${from}" is ${describeMethod(target)}; "from" must name a first_name, last_name or full_name column`,
    );
  }
}

/** Which methods make a column unique by itself (for messages). */
export const UNIQUE_HINT =
  "a key is unique by construction with a unique_ids column, a one_to_one foreign key, or a per_parent foreign key plus an ordinal column (or a distinct foreign key)";
