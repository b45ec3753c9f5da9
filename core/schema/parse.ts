/**
 * Reads a schema from JSON, checking every field and naming the JSON path of
 * the first problem.
 *
 * @module
 */
import type { Column, ForeignKey, Schema, Table, UserType } from "./model.ts";
import { columnType, parseType } from "./types.ts";
import { vocabularyNames } from "../vocab/vocabularies.ts";

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
  if (v.nullable !== undefined) {
    if (typeof v.nullable !== "boolean") throw new SchemaError(`${path}.nullable`, "expected true or false");
    col.nullable = v.nullable;
  }
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
  if (v.range !== undefined) {
    const r = v.range;
    if (
      !Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === "number" || typeof x === "string")
    ) {
      throw new SchemaError(`${path}.range`, "expected [min, max] of numbers or ISO date strings");
    }
    col.range = [r[0] as number | string, r[1] as number | string];
  }
  return col;
}

function parseForeignKey(v: Json, path: string): ForeignKey {
  if (!isObject(v)) throw new SchemaError(path, "expected a foreign key object");
  checkKeys(v, ["name", "columns", "references", "onDelete"], path);
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
    ["name", "schema", "columns", "primaryKey", "unique", "checks", "foreignKeys", "seedRows"],
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
  if (v.unique !== undefined) {
    if (!Array.isArray(v.unique)) throw new SchemaError(`${path}.unique`, "expected a list of column lists");
    table.unique = v.unique.map((u, i) => {
      const list = expectStringList(u, `${path}.unique[${i}]`);
      known(list, `${path}.unique[${i}]`);
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
  return table;
}

function parseTypes(v: Json): UserType[] {
  if (!Array.isArray(v)) throw new SchemaError("$.types", "expected a list of types");
  const names = new Set<string>();
  return v.map((t, i) => {
    const path = `$.types[${i}]`;
    if (!isObject(t)) throw new SchemaError(path, "expected a type object { name, kind, labels }");
    checkKeys(t, ["name", "schema", "kind", "labels"], path);
    const name = expectName(t.name, `${path}.name`);
    if (names.has(name)) throw new SchemaError(`${path}.name`, `duplicate type "${name}"`);
    if (typeof parseType(name) !== "string") {
      throw new SchemaError(`${path}.name`, `"${name}" is a built-in type`);
    }
    names.add(name);
    if (t.kind !== "enum") throw new SchemaError(`${path}.kind`, 'expected "enum" (the only kind so far)');
    const labels = expectStringList(t.labels, `${path}.labels`);
    if (new Set(labels).size !== labels.length) {
      throw new SchemaError(`${path}.labels`, "labels must be distinct");
    }
    const type: UserType = { name, kind: "enum", labels };
    if (t.schema !== undefined) type.schema = expectName(t.schema, `${path}.schema`);
    return type;
  });
}

/**
 * Checks a parsed JSON value and returns it as a schema.
 *
 * @throws {SchemaError} naming the JSON path of the first problem.
 */
export function schemaFromJson(value: Json): Schema {
  if (!isObject(value)) throw new SchemaError("$", "expected a schema object { name, tables }");
  checkKeys(value, ["name", "types", "tables"], "$");
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
