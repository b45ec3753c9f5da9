/**
 * The statement kinds `utility_statements` and `dml_with_functions` exist
 * for, checked on what the servers accepted: a few hundred statements of
 * each on PostgreSQL and on PGlite, none failing with a generator-bug
 * SQLSTATE, and the parse trees (libpg-query) of the statements that ran
 * hold every node kind each grammar promises.
 */
import { deepStrictEqual } from "node:assert/strict";
import defaultSchema from "../configs/schemas/default.json" with { type: "json" };
import { compile } from "../core/compile/compile.ts";
import { LocalGenerator } from "../core/engine/local.ts";
import { Coverage } from "../core/exec/coverage.ts";
import { opensTransaction } from "../core/exec/run.ts";
import { schemaFromJson } from "../core/schema/parse.ts";
import { setupStatements } from "../core/setup/setup.ts";
import { parseSeed, type Seed } from "../core/seed.ts";
import { BUILTIN_GRAMMARS } from "../grammars/mod.ts";
import { isGeneratorBug } from "./validity.ts";
import { type CatalogDatabase, withCatalogDatabase } from "./_catalog_database.ts";

/** Each grammar, how many statements, and the node kinds its statements that ran must show. */
const PROMISES: [string, number, string[]][] = [
  ["utility_statements", 250, [
    "CreateSeqStmt",
    "AlterSeqStmt",
    "CreateDomainStmt",
    "AlterDomainStmt",
    "CreateEnumStmt",
    "AlterEnumStmt",
    "CreateSchemaStmt",
    "AlterObjectSchemaStmt",
    "AlterOwnerStmt",
    "RoleSpec",
    "CompositeTypeStmt",
    "CreateCastStmt",
    "CreateRangeStmt",
    "DefineStmt",
    "AlterFunctionStmt",
    "AlterOperatorStmt",
    "CreateConversionStmt",
    "RuleStmt",
    "CreateTrigStmt",
    "TriggerTransition",
    "CreateStatsStmt",
    "StatsElem",
    "AlterStatsStmt",
    "CreatePolicyStmt",
    "AlterPolicyStmt",
    "GrantStmt",
    "AccessPriv",
    "AlterDefaultPrivilegesStmt",
    "CreatePublicationStmt",
    "PublicationObjSpec",
    "AlterPublicationStmt",
    "AlterTSConfigurationStmt",
    "AlterTSDictionaryStmt",
    "PartitionElem",
    "PartitionCmd",
    "ClusterStmt",
    "ReindexStmt",
    "TruncateStmt",
    "ReplicaIdentityStmt",
    "ListenStmt",
    "NotifyStmt",
    "UnlistenStmt",
    "DiscardStmt",
    "ExplainStmt",
    "PrepareStmt",
    "ExecuteStmt",
    "DeallocateStmt",
    "ParamRef",
  ]],
  ["dml_with_functions", 400, [
    "MergeStmt",
    "MergeWhenClause",
    "SetToDefault",
    "MultiAssignRef",
    "RangeTableSample",
    "SQLValueFunction",
    "XmlExpr",
    "XmlSerialize",
    "RangeTableFunc",
    "RangeTableFuncCol",
  ]],
];

async function check(db: CatalogDatabase): Promise<void> {
  const schema = schemaFromJson(defaultSchema);
  const problems: string[] = [];
  for (const [name, count, kinds] of PROMISES) {
    for (const s of [`CREATE SCHEMA g_${name}`, `SET search_path TO g_${name}`, ...setupStatements(schema)]) {
      deepStrictEqual(await db.run(s), { ok: true }, `${db.name} ${name}: ${s}`);
    }
    const coverage = await Coverage.create();
    const program = compile(BUILTIN_GRAMMARS.get(name)!.grammar, schema);
    for (const sql of new LocalGenerator(program, parseSeed("5") as Seed).statements(0n, count)) {
      const r = await db.run(sql);
      if (r.ok) coverage.add(sql);
      else {
        if (isGeneratorBug(r.code)) problems.push(`${name}: ${r.code} ${r.message}: ${sql.slice(0, 400)}`);
        if (opensTransaction(sql)) await db.run("ROLLBACK");
      }
    }
    const seen = coverage.report().nodeKinds;
    deepStrictEqual(kinds.filter((k) => !(k in seen)), [], `${db.name} ${name}: node kinds never reached`);
  }
  deepStrictEqual(problems.slice(0, 3), [], `${db.name}: generator bugs`);
}

Deno.test({
  name: "utility statements and MERGE/DEFAULT/TABLESAMPLE/XML kinds run on PostgreSQL",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PostgreSQL", check);
  },
});

Deno.test({
  name: "utility statements and MERGE/DEFAULT/TABLESAMPLE/XML kinds run on PGlite",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await withCatalogDatabase("PGlite", check);
  },
});
