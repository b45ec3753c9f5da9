/**
 * Issue 4's round trip for one schema, shared by tests/ddl_test.ts (which
 * asserts on it) and bench/ddl_scale.ts (which counts it): create the schema
 * and its seed rows in SQL schema `s<n>`, read it back through pg_catalog,
 * compare the two, then send it `dml_unique` traffic.
 *
 * @module
 */
import dmlUnique from "../grammars/dml_unique.ts";
import { compile } from "../core/compile/compile.ts";
import { introspect } from "../core/schema/introspect.ts";
import type { Schema } from "../core/schema/model.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import type { Seed } from "../core/seed.ts";
import { isGeneratorBug } from "./validity.ts";
import { schemaShape, shapeDifference } from "./_schema_shape.ts";
import type { CatalogDatabase } from "./_catalog_database.ts";

/** What one schema's round trip gave. */
export interface RoundTrip {
  /** DDL and seed statements sent. */
  statements: number;
  /** Those that failed, as `CODE message: sql`. */
  failures: string[];
  /** Where introspection disagrees with the model; empty when it agrees. */
  difference: string;
  /** Traffic statements that succeeded. */
  succeeded: number;
  /** Traffic statements that failed with a generator-bug code, as `CODE message: sql`. */
  bugs: string[];
}

/** Round-trips `schema` as SQL schema `s<n>` and sends it `traffic` statements made from `seed`. */
export async function roundTrip(
  db: CatalogDatabase,
  schema: Schema,
  n: number,
  seed: Seed,
  traffic: number,
): Promise<RoundTrip> {
  const setup = [`CREATE SCHEMA s${n}`, `SET search_path TO s${n}`, ...setupStatements(schema)];
  const failures: string[] = [];
  for (const sql of setup) {
    const r = await db.run(sql);
    if (!r.ok) failures.push(`${r.code} ${r.message}: ${sql}`);
  }
  const read = await introspect(db.query, `s${n}`);
  const difference = shapeDifference(schemaShape(read), schemaShape(schema));
  const bugs: string[] = [];
  let succeeded = 0;
  for (const sql of new LocalGenerator(compile(dmlUnique, schema), seed).statements(0n, traffic)) {
    const r = await db.run(sql);
    if (r.ok) succeeded++;
    else if (isGeneratorBug(r.code)) bugs.push(`${r.code} ${r.message}: ${sql}`);
  }
  return { statements: setup.length, failures, difference, succeeded, bugs };
}
