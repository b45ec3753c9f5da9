/**
 * The built-in grammar catalogue.
 *
 * @module
 */
import type { Grammar } from "../core/dsl/grammar.ts";
import dmlUnique from "./dml_unique.ts";
import advancedQueryPatterns from "./advanced_query_patterns.ts";
import optimizerSubqueryPortable from "./optimizer_subquery_portable.ts";
import outerJoinPortable from "./outer_join_portable.ts";
import fuzz from "./fuzz.ts";
import ddlFocused from "./ddl_focused.ts";
import functionsDdl from "./functions_ddl.ts";
import dmlWithFunctions from "./dml_with_functions.ts";
import postgresql15Types from "./postgresql15_types.ts";
import jsonSqlPg15 from "./json_sql_pg15.ts";
import utilityStatements from "./utility_statements.ts";
import simpleTransaction from "./simple_transaction.ts";
import transactionsPostgres from "./transactions_postgres.ts";
import yugabyteTransactions from "./yugabyte_transactions.ts";
import dmlYugabyte from "./dml_yugabyte.ts";
import selectWorkload from "./select_workload.ts";
import insertWorkload from "./insert_workload.ts";
import updateWorkload from "./update_workload.ts";
import deleteWorkload from "./delete_workload.ts";
import upsertWorkload from "./upsert_workload.ts";

/** A built-in grammar and the module that defines it. */
export interface BuiltinGrammar {
  grammar: Grammar;
  /** Repository-relative path, for error messages and `grammars show`. */
  file: string;
}

const entry = (grammar: Grammar): [string, BuiltinGrammar] => [
  grammar.name,
  { grammar, file: `grammars/${grammar.name}.ts` },
];

/** Built-in grammars by name. */
export const BUILTIN_GRAMMARS: ReadonlyMap<string, BuiltinGrammar> = new Map([
  entry(dmlUnique),
  entry(advancedQueryPatterns),
  entry(optimizerSubqueryPortable),
  entry(outerJoinPortable),
  entry(fuzz),
  entry(ddlFocused),
  entry(functionsDdl),
  entry(dmlWithFunctions),
  entry(postgresql15Types),
  entry(jsonSqlPg15),
  entry(utilityStatements),
  entry(simpleTransaction),
  entry(transactionsPostgres),
  entry(yugabyteTransactions),
  entry(dmlYugabyte),
  entry(selectWorkload),
  entry(insertWorkload),
  entry(updateWorkload),
  entry(deleteWorkload),
  entry(upsertWorkload),
]);

/** The grammar `generate` uses when none is named. */
export const DEFAULT_GRAMMAR = "dml_unique";
