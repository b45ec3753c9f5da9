/**
 * Reads a schema from JSON, checking every field and naming the JSON path of
 * the first problem.
 *
 * @module
 */
import type {
  Column,
  ForeignKey,
  Index,
  Partitioning,
  Routine,
  Schema,
  Sharding,
  Table,
  UserType,
  View,
} from "./model.ts";
import { columnType, parseType } from "./types.ts";
import { vocabularyNames } from "../vocab/vocabularies.ts";
import { parseLiveFacts } from "../live/facts.ts";

/** A schema document that cannot be used; `path` is a JSON path like `$.tables[1].name`. */
export class SchemaError extends SyntaxError {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = "SchemaError";
  }
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function expectString(v: Json, path: string): string {
  if (typeof v !== "string" || v.length === 0) throw new SchemaError(path, "expected a non-empty string");
  return v;
}

const encoder = new TextEncoder();

/** PostgreSQL truncates longer names (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/** Most columns per table that column picks can see. */
export const MAX_COLUMNS = 64;

/** A table, column or constraint name: at most 63 bytes, on one line. */
function expectName(v: Json, path: string): string {
  const name = expectString(v, path);
  if (encoder.encode(name).length > MAX_IDENTIFIER_BYTES) {
    throw new SchemaError(path, `name "${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000\r\n]/.test(name)) throw new SchemaError(path, "a name cannot contain NUL or line breaks");
  return name;
}

function expectStringList(v: Json, path: string): string[] {
  if (!Array.isArray(v) || v.length === 0) throw new SchemaError(path, "expected a non-empty list of names");
  return v.map((x, i) => expectName(x, `${path}[${i}]`));
}

function checkKeys(o: Record<string, Json>, allowed: string[], path: string): void {
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      throw new SchemaError(`${path}.${key}`, `unknown field (expected one of: ${allowed.join(", ")})`);
    }
  }
}

function parseColumn(v: Json, path: string, types: Pick<Schema, "types">): Column {
  if (!isObject(v)) throw new SchemaError(path, "expected a column object");
  checkKeys(v, ["name", "type", "nullable", "default", "generated", "identity", "range", "vocabulary"], path);
  const col: Column = {
    name: expectName(v.name, `${path}.name`),
    type: expectString(v.type, `${path}.type`),
  };
  const t = columnType(types, col.type);
  if (typeof t === "string") throw new SchemaError(`${path}.type`, t);
  if (v.nullable !== undefined) col.nullable = expectBoolean(v.nullable, `${path}.nullable`);
  if (v.default !== undefined) col.default = expectString(v.default, `${path}.default`);
  if (v.generated !== undefined) col.generated = expectString(v.generated, `${path}.generated`);
  if (v.identity !== undefined) {
    if (v.identity !== "always" && v.identity !== "by default") {
      throw new SchemaError(`${path}.identity`, 'expected "always" or "by default"');
    }
    col.identity = v.identity;
  }
  if (v.vocabulary !== undefined) {
    const name = expectString(v.vocabulary, `${path}.vocabulary`);
    if (!vocabularyNames().includes(name)) {
      throw new SchemaError(
        `${path}.vocabulary`,
        `unknown vocabulary "${name}" (known: ${vocabularyNames().join(", ")})`,
      );
    }
    col.vocabulary = name;
  }
  if (v.range !== undefined) col.range = expectRange(v.range, `${path}.range`);
  return col;
}

function parseForeignKey(v: Json, path: string): ForeignKey {
  if (!isObject(v)) throw new SchemaError(path, "expected a foreign key object");
  checkKeys(v, ["name", "columns", "references", "onDelete", "deferrable"], path);
  const refs = v.references;
  if (!isObject(refs)) throw new SchemaError(`${path}.references`, "expected { table, columns }");
  checkKeys(refs, ["table", "schema", "columns"], `${path}.references`);
  const fk: ForeignKey = {
    columns: expectStringList(v.columns, `${path}.columns`),
    references: {
      table: expectName(refs.table, `${path}.references.table`),
      columns: expectStringList(refs.columns, `${path}.references.columns`),
    },
  };
  if (refs.schema !== undefined) {
    fk.references.schema = expectName(refs.schema, `${path}.references.schema`);
  }
  if (v.name !== undefined) fk.name = expectName(v.name, `${path}.name`);
  if (v.onDelete !== undefined) {
    const a = v.onDelete;
    if (a !== "cascade" && a !== "restrict" && a !== "set null" && a !== "no action") {
      throw new SchemaError(`${path}.onDelete`, 'expected "cascade", "restrict", "set null" or "no action"');
    }
    fk.onDelete = a;
  }
  if (v.deferrable !== undefined) {
    if (typeof v.deferrable !== "boolean") {
      throw new SchemaError(`${path}.deferrable`, "expected true or false");
    }
    if (v.deferrable) fk.deferrable = true;
  }
  if (fk.columns.length !== fk.references.columns.length) {
    throw new SchemaError(`${path}.references.columns`, "must list as many columns as the foreign key");
  }
  if (fk.columns.length > 8) throw new SchemaError(`${path}.columns`, "at most 8 columns per foreign key");
  return fk;
}

function parseTable(v: Json, path: string, types: Pick<Schema, "types">): Table {
  if (!isObject(v)) throw new SchemaError(path, "expected a table object");
  checkKeys(
    v,
    [
      "name",
      "schema",
      "columns",
      "primaryKey",
      "unique",
      "uniqueNullsNotDistinct",
      "checks",
      "foreignKeys",
      "seedRows",
      "indexes",
      "partitioning",
      "sharding",
      "live",
    ],
    path,
  );
  if (!Array.isArray(v.columns) || v.columns.length === 0) {
    throw new SchemaError(`${path}.columns`, "expected a non-empty list of columns");
  }
  if (v.columns.length > MAX_COLUMNS) {
    throw new SchemaError(
      `${path}.columns`,
      `${v.columns.length} columns; at most ${MAX_COLUMNS} per table are supported`,
    );
  }
  const table: Table = {
    name: expectName(v.name, `${path}.name`),
    columns: v.columns.map((c, i) => parseColumn(c, `${path}.columns[${i}]`, types)),
  };
  const names = new Set<string>();
  table.columns.forEach((c, i) => {
    if (names.has(c.name)) {
      throw new SchemaError(`${path}.columns[${i}].name`, `duplicate column "${c.name}"`);
    }
    names.add(c.name);
  });
  const known = (list: string[], p: string) =>
    list.forEach((n, i) => {
      if (!names.has(n)) throw new SchemaError(`${p}[${i}]`, `no column "${n}" in table "${table.name}"`);
    });
  if (v.schema !== undefined) table.schema = expectName(v.schema, `${path}.schema`);
  if (v.primaryKey !== undefined) {
    table.primaryKey = expectStringList(v.primaryKey, `${path}.primaryKey`);
    known(table.primaryKey, `${path}.primaryKey`);
  }
  for (const field of ["unique", "uniqueNullsNotDistinct"] as const) {
    const lists = v[field];
    if (lists === undefined) continue;
    if (!Array.isArray(lists)) throw new SchemaError(`${path}.${field}`, "expected a list of column lists");
    table[field] = lists.map((u, i) => {
      const list = expectStringList(u, `${path}.${field}[${i}]`);
      known(list, `${path}.${field}[${i}]`);
      return list;
    });
  }
  if (v.checks !== undefined) {
    if (!Array.isArray(v.checks)) throw new SchemaError(`${path}.checks`, "expected a list of checks");
    table.checks = v.checks.map((c, i) => {
      if (!isObject(c)) throw new SchemaError(`${path}.checks[${i}]`, "expected { expression }");
      checkKeys(c, ["name", "expression"], `${path}.checks[${i}]`);
      const check = { expression: expectString(c.expression, `${path}.checks[${i}].expression`) };
      return c.name === undefined
        ? check
        : { ...check, name: expectName(c.name, `${path}.checks[${i}].name`) };
    });
  }
  if (v.foreignKeys !== undefined) {
    if (!Array.isArray(v.foreignKeys)) throw new SchemaError(`${path}.foreignKeys`, "expected a list");
    table.foreignKeys = v.foreignKeys.map((f, i) => {
      const fk = parseForeignKey(f, `${path}.foreignKeys[${i}]`);
      known(fk.columns, `${path}.foreignKeys[${i}].columns`);
      return fk;
    });
  }
  if (v.seedRows !== undefined) {
    if (
      typeof v.seedRows !== "number" || !Number.isInteger(v.seedRows) || v.seedRows < 1 || v.seedRows > 1e6
    ) {
      throw new SchemaError(`${path}.seedRows`, "expected a whole number from 1 to 1000000");
    }
    table.seedRows = v.seedRows;
  }
  if (v.indexes !== undefined) {
    if (!Array.isArray(v.indexes)) throw new SchemaError(`${path}.indexes`, "expected a list of indexes");
    table.indexes = v.indexes.map((x, i) => parseIndex(x, `${path}.indexes[${i}]`, names));
  }
  if (v.partitioning !== undefined) {
    table.partitioning = parsePartitioning(v.partitioning, `${path}.partitioning`);
    known(table.partitioning.columns, `${path}.partitioning.columns`);
  }
  if (v.sharding !== undefined) {
    table.sharding = parseSharding(v.sharding, `${path}.sharding`, table.primaryKey?.length ?? 0);
  }
  if (v.live !== undefined) table.live = parseLiveFacts(v.live, `${path}.live`);
  return table;
}

const INDEX_METHODS = ["btree", "hash", "gin", "gist", "brin", "spgist", "lsm", "ybgin"] as const;

function expectOptionalString(o: Record<string, Json>, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : expectString(o[key], `${path}.${key}`);
}

function expectWhole(v: Json, path: string, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new SchemaError(path, `expected a whole number from ${lo} to ${hi}`);
  }
  return v;
}

function expectBoolean(v: Json, path: string): boolean {
  if (typeof v !== "boolean") throw new SchemaError(path, "expected true or false");
  return v;
}

function parseIndex(v: Json, path: string, columns: Set<string>): Index {
  if (!isObject(v)) throw new SchemaError(path, "expected an index object { name, keys }");
  checkKeys(v, ["name", "method", "keys", "unique", "where", "hashKeys"], path);
  if (!Array.isArray(v.keys) || v.keys.length === 0) {
    throw new SchemaError(`${path}.keys`, "expected a non-empty list of column names or { expression }");
  }
  const index: Index = {
    name: expectName(v.name, `${path}.name`),
    keys: v.keys.map((k, i) => {
      const p = `${path}.keys[${i}]`;
      if (typeof k === "string") {
        if (!columns.has(k)) throw new SchemaError(p, `no column "${k}" in the table`);
        return k;
      }
      if (!isObject(k)) throw new SchemaError(p, "expected a column name or { expression }");
      checkKeys(k, ["expression"], p);
      return { expression: expectString(k.expression, `${p}.expression`) };
    }),
  };
  if (v.method !== undefined) {
    if (!INDEX_METHODS.includes(v.method as Index["method"] & string)) {
      throw new SchemaError(`${path}.method`, `expected one of: ${INDEX_METHODS.join(", ")}`);
    }
    index.method = v.method as NonNullable<Index["method"]>;
  }
  if (v.unique !== undefined) index.unique = expectBoolean(v.unique, `${path}.unique`);
  const where = expectOptionalString(v, "where", path);
  if (where !== undefined) index.where = where;
  if (v.hashKeys !== undefined) {
    index.hashKeys = expectWhole(v.hashKeys, `${path}.hashKeys`, 0, index.keys.length);
  }
  return index;
}

function parsePartitioning(v: Json, path: string): Partitioning {
  if (!isObject(v)) throw new SchemaError(path, "expected { by, columns, partitions }");
  checkKeys(v, ["by", "columns", "partitions"], path);
  if (v.by !== "range" && v.by !== "list" && v.by !== "hash") {
    throw new SchemaError(`${path}.by`, 'expected "range", "list" or "hash"');
  }
  if (!Array.isArray(v.partitions) || v.partitions.length === 0) {
    throw new SchemaError(`${path}.partitions`, "expected a non-empty list of { name, bound }");
  }
  return {
    by: v.by,
    columns: expectStringList(v.columns, `${path}.columns`),
    partitions: v.partitions.map((p, i) => {
      const at = `${path}.partitions[${i}]`;
      if (!isObject(p)) throw new SchemaError(at, "expected { name, bound }");
      checkKeys(p, ["name", "bound"], at);
      return { name: expectName(p.name, `${at}.name`), bound: expectString(p.bound, `${at}.bound`) };
    }),
  };
}

function parseSharding(v: Json, path: string, keyColumns: number): Sharding {
  if (!isObject(v)) throw new SchemaError(path, "expected { hashColumns, splitInto?, colocation? }");
  checkKeys(v, ["hashColumns", "splitInto", "colocation"], path);
  const sharding: Sharding = {
    hashColumns: expectWhole(v.hashColumns, `${path}.hashColumns`, 0, keyColumns),
  };
  if (v.splitInto !== undefined) {
    sharding.splitInto = expectWhole(v.splitInto, `${path}.splitInto`, 1, 65536);
    if (sharding.hashColumns === 0) {
      throw new SchemaError(`${path}.splitInto`, "SPLIT INTO needs hash sharding (hashColumns ≥ 1)");
    }
  }
  if (v.colocation !== undefined) sharding.colocation = expectBoolean(v.colocation, `${path}.colocation`);
  return sharding;
}

function parseView(v: Json, path: string): View {
  if (!isObject(v)) throw new SchemaError(path, "expected a view object { name, query }");
  checkKeys(v, ["name", "schema", "query", "materialized"], path);
  const view: View = {
    name: expectName(v.name, `${path}.name`),
    query: expectString(v.query, `${path}.query`),
  };
  if (v.schema !== undefined) view.schema = expectName(v.schema, `${path}.schema`);
  if (v.materialized !== undefined) view.materialized = expectBoolean(v.materialized, `${path}.materialized`);
  return view;
}

function parseRoutine(v: Json, path: string): Routine {
  if (!isObject(v)) throw new SchemaError(path, "expected a routine object { name, kind, language, body }");
  checkKeys(
    v,
    ["name", "schema", "kind", "language", "arguments", "returns", "body", "atomic", "volatility"],
    path,
  );
  if (v.kind !== "function" && v.kind !== "procedure") {
    throw new SchemaError(`${path}.kind`, 'expected "function" or "procedure"');
  }
  if (v.language !== "sql" && v.language !== "plpgsql") {
    throw new SchemaError(`${path}.language`, 'expected "sql" or "plpgsql"');
  }
  const routine: Routine = {
    name: expectName(v.name, `${path}.name`),
    kind: v.kind,
    language: v.language,
    arguments: v.arguments === undefined || v.arguments === ""
      ? ""
      : expectString(v.arguments, `${path}.arguments`),
    body: expectString(v.body, `${path}.body`),
  };
  if (v.schema !== undefined) routine.schema = expectName(v.schema, `${path}.schema`);
  const returns = expectOptionalString(v, "returns", path);
  if (routine.kind === "function" && returns === undefined) {
    throw new SchemaError(`${path}.returns`, "a function needs a result type");
  }
  if (routine.kind === "procedure" && returns !== undefined) {
    throw new SchemaError(`${path}.returns`, "a procedure has no result type");
  }
  if (returns !== undefined) routine.returns = returns;
  if (v.atomic !== undefined) routine.atomic = expectBoolean(v.atomic, `${path}.atomic`);
  if (v.volatility !== undefined) {
    if (v.volatility !== "immutable" && v.volatility !== "stable" && v.volatility !== "volatile") {
      throw new SchemaError(`${path}.volatility`, 'expected "immutable", "stable" or "volatile"');
    }
    routine.volatility = v.volatility;
  }
  return routine;
}

function parseTypes(v: Json): UserType[] {
  if (!Array.isArray(v)) throw new SchemaError("$.types", "expected a list of types");
  const names = new Set<string>();
  const done: UserType[] = [];
  for (const [i, t] of v.entries()) {
    const path = `$.types[${i}]`;
    if (!isObject(t)) throw new SchemaError(path, "expected a type object { name, kind, … }");
    const name = expectName(t.name, `${path}.name`);
    if (names.has(name)) throw new SchemaError(`${path}.name`, `duplicate type "${name}"`);
    if (typeof parseType(name) !== "string") {
      throw new SchemaError(`${path}.name`, `"${name}" is a built-in type`);
    }
    names.add(name);
    let type: UserType;
    if (t.kind === "enum") {
      checkKeys(t, ["name", "schema", "kind", "labels"], path);
      const labels = expectStringList(t.labels, `${path}.labels`);
      if (new Set(labels).size !== labels.length) {
        throw new SchemaError(`${path}.labels`, "labels must be distinct");
      }
      type = { name, kind: "enum", labels };
    } else if (t.kind === "domain") {
      checkKeys(t, ["name", "schema", "kind", "base", "notNull", "checks", "range"], path);
      const base = expectString(t.base, `${path}.base`);
      // A built-in type or one listed before: an enum, a composite, another domain, or an array of one.
      const parsed = columnType({ types: done }, base);
      if (typeof parsed === "string") throw new SchemaError(`${path}.base`, parsed);
      const domain: UserType = { name, kind: "domain", base };
      if (t.notNull !== undefined) domain.notNull = expectBoolean(t.notNull, `${path}.notNull`);
      if (t.checks !== undefined) {
        if (!Array.isArray(t.checks)) {
          throw new SchemaError(`${path}.checks`, "expected a list of expressions");
        }
        domain.checks = t.checks.map((c, k) => expectString(c, `${path}.checks[${k}]`));
      }
      if (t.range !== undefined) domain.range = expectRange(t.range, `${path}.range`);
      type = domain;
    } else if (t.kind === "composite") {
      checkKeys(t, ["name", "schema", "kind", "attributes"], path);
      if (!Array.isArray(t.attributes) || t.attributes.length === 0) {
        throw new SchemaError(`${path}.attributes`, "expected a non-empty list of { name, type }");
      }
      type = {
        name,
        kind: "composite",
        attributes: t.attributes.map((a, k) => {
          const at = `${path}.attributes[${k}]`;
          if (!isObject(a)) throw new SchemaError(at, "expected { name, type }");
          checkKeys(a, ["name", "type"], at);
          return { name: expectName(a.name, `${at}.name`), type: expectString(a.type, `${at}.type`) };
        }),
      };
    } else {
      throw new SchemaError(`${path}.kind`, 'expected "enum", "domain" or "composite"');
    }
    if (t.schema !== undefined) type.schema = expectName(t.schema, `${path}.schema`);
    // A composite may use the types before it; checked now so the path is exact.
    const resolved = columnType({ types: [...done, type] }, name);
    if (typeof resolved === "string") throw new SchemaError(path, resolved);
    done.push(type);
  }
  return done;
}

function expectRange(r: Json, path: string): [number | string, number | string] {
  if (
    !Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === "number" || typeof x === "string")
  ) {
    throw new SchemaError(path, "expected [min, max] of numbers or ISO date strings");
  }
  return [r[0] as number | string, r[1] as number | string];
}

/**
 * Checks a parsed JSON value and returns it as a schema.
 *
 * @throws {SchemaError} naming the JSON path of the first problem.
 */
export function schemaFromJson(value: Json): Schema {
  if (!isObject(value)) throw new SchemaError("$", "expected a schema object { name, tables }");
  checkKeys(value, ["name", "types", "tables", "views", "routines", "colocated"], "$");
  if (!Array.isArray(value.tables) || value.tables.length === 0) {
    throw new SchemaError("$.tables", "expected a non-empty list of tables");
  }
  const types = value.types === undefined ? undefined : parseTypes(value.types);
  const scope = types ? { types } : {};
  const schema: Schema = {
    name: value.name === undefined ? "schema" : expectString(value.name, "$.name"),
    ...scope,
    tables: value.tables.map((t, i) => parseTable(t, `$.tables[${i}]`, scope)),
  };
  if (value.views !== undefined) {
    if (!Array.isArray(value.views)) throw new SchemaError("$.views", "expected a list of views");
    schema.views = value.views.map((x, i) => parseView(x, `$.views[${i}]`));
  }
  if (value.routines !== undefined) {
    if (!Array.isArray(value.routines)) throw new SchemaError("$.routines", "expected a list of routines");
    schema.routines = value.routines.map((x, i) => parseRoutine(x, `$.routines[${i}]`));
  }
  if (value.colocated !== undefined) schema.colocated = expectBoolean(value.colocated, "$.colocated");
  const tables = new Map<string, Table>();
  schema.tables.forEach((t, i) => {
    const key = `${t.schema ?? ""}.${t.name}`;
    if (tables.has(key)) throw new SchemaError(`$.tables[${i}].name`, `duplicate table "${t.name}"`);
    tables.set(key, t);
  });
  schema.tables.forEach((t, i) =>
    (t.foreignKeys ?? []).forEach((fk, j) => {
      const p = `$.tables[${i}].foreignKeys[${j}].references`;
      const parent = tables.get(`${fk.references.schema ?? t.schema ?? ""}.${fk.references.table}`);
      if (!parent) throw new SchemaError(`${p}.table`, `no table "${fk.references.table}" in the schema`);
      const cols = new Set(parent.columns.map((c) => c.name));
      fk.references.columns.forEach((c, k) => {
        if (!cols.has(c)) {
          throw new SchemaError(`${p}.columns[${k}]`, `no column "${c}" in table "${parent.name}"`);
        }
      });
    })
  );
  return schema;
}

/**
 * Parses schema JSON text.
 *
 * @throws {SchemaError} for invalid JSON (path `$`, with the parser's message) or an invalid schema.
 */
export function parseSchema(text: string): Schema {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SchemaError("$", `not valid JSON: ${(e as Error).message}`);
  }
  return schemaFromJson(value);
}
