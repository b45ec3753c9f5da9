/**
 * `UNION [ALL]`, `INTERSECT [ALL]` and `EXCEPT [ALL]` whose branches have
 * matching column counts and types: two or three filtered parts of the
 * table in slot `a`, parent keys against the keys children reference, and
 * columns of one type class from two tables.
 *
 * @example The rules of a grammar
 * ```ts
 * import { grammar } from "../../core/dsl/grammar.ts";
 * import { predicateRules } from "./predicates.ts";
 * import { setOperationQuery, typedSetOperation } from "./set_operation_queries.ts";
 * const g = grammar("set_operations");
 * const predicates = predicateRules(g, () => "true");
 * g.rule("setop_query", setOperationQuery(predicates)).rule("setop_typed", typedSetOperation(predicates));
 * ```
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  maybe,
  number,
  pool,
  ref,
  tableName,
  template,
  type TypeClass,
  withColumn,
  withColumns,
  withTable,
} from "../../core/dsl/grammar.ts";
import { columnList } from "./columns.ts";
import { childAndParent, fkChildColumns, fkParentColumns } from "./foreign_keys.ts";
import { pagedLimit } from "./limits.ts";
import type { Predicates } from "./predicates.ts";
import { withSameClass } from "./type_classes.ts";

const setOp: Element = choice(
  [4, "UNION"],
  [4, "UNION ALL"],
  [2, "INTERSECT"],
  [1, "INTERSECT ALL"],
  [2, "EXCEPT"],
  [1, "EXCEPT ALL"],
);

/** Classes whose values of different tables compare: same class, equality and order. */
const MATCHING: readonly TypeClass[] = ["integer", "numeric", "float", "text", "date", "timestamp", "time"];

/** Two filtered halves or three limited parts of one table, parent against child keys, or typed columns. */
export const setOperationQuery = (predicates: Predicates): Element =>
  choice(
    // Two filtered halves of one table.
    [
      4,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3, where: { comparable: true } },
          template("SELECT {c1} FROM {t} AS a WHERE {p1} {op} SELECT {c2} FROM {t2} AS a WHERE {p2}{o}{l}", {
            c1: columnList("sel", "a"),
            t: tableName("a"),
            p1: predicates.on("a", "a"),
            op: setOp,
            c2: columnList("sel", "a"),
            t2: tableName("a"),
            p2: predicates.on("a", "a"),
            o: maybe(" ORDER BY 1", 0.5),
            l: pagedLimit(0.5),
          }),
        ),
      ),
    ],
    // Three branches, the last two grouped, each branch limited.
    [
      2,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 2, where: { comparable: true } },
          template(
            "(SELECT {c1} FROM {t} AS a WHERE {p1}) {op1} ((SELECT {c2} FROM {t2} AS a WHERE {p2} LIMIT {n}) " +
              "{op2} (SELECT {c3} FROM {t3} AS a WHERE {p3})) ORDER BY 1{l}",
            {
              c1: columnList("sel", "a"),
              t: tableName("a"),
              p1: predicates.on("a", "a"),
              op1: setOp,
              c2: columnList("sel", "a"),
              t2: tableName("a"),
              p2: predicates.on("a", "a"),
              n: number(1, 50),
              op2: setOp,
              c3: columnList("sel", "a"),
              t3: tableName("a"),
              p3: predicates.on("a", "a"),
              l: pagedLimit(0.5),
            },
          ),
        ),
      ),
    ],
    // Parent keys against the keys children reference: with and without children.
    [
      3,
      childAndParent(
        template("SELECT {pk} FROM {tb} AS b{wb} {op} SELECT {ck} FROM {ta} AS a{wa} ORDER BY 1{l}", {
          pk: fkParentColumns("fk", "b"),
          tb: tableName("b"),
          wb: predicates.where("b", "b", 0.4),
          op: pool(["EXCEPT", "INTERSECT", "UNION", "EXCEPT ALL"]),
          ck: fkChildColumns("fk", "a"),
          ta: tableName("a"),
          wa: predicates.where("a", "a", 0.4),
          l: pagedLimit(0.5),
        }),
        ref("setop_typed"),
      ),
    ],
    [3, ref("setop_typed")],
    // A tagged UNION ALL of any columns (no equality needed).
    [
      2,
      withTable(
        "a",
        withColumns(
          "sel",
          "a",
          { min: 1, max: 3 },
          template(
            "SELECT 'low' AS part, {c1} FROM {t} AS a WHERE {p1} UNION ALL SELECT 'high', {c2} FROM {t2} AS a " +
              "WHERE {p2}{l}",
            {
              c1: columnList("sel", "a"),
              t: tableName("a"),
              p1: predicates.on("a", "a"),
              c2: columnList("sel", "a"),
              t2: tableName("a"),
              p2: predicates.on("a", "a"),
              l: pagedLimit(0.5),
            },
          ),
        ),
      ),
    ],
  );

/** Columns of one class from two tables (possibly the same one). */
export const typedSetOperation = (predicates: Predicates): Element =>
  withTable(
    "a",
    withTable(
      "b",
      withColumn(
        "sx",
        "a",
        { type: [...MATCHING] },
        withSameClass(
          MATCHING,
          "sx",
          "sy",
          "b",
          template("SELECT a.{x} FROM {ta} AS a{wa} {op} SELECT b.{y} FROM {tb} AS b{wb} ORDER BY 1{l}", {
            x: columnName("sx"),
            ta: tableName("a"),
            wa: predicates.where("a", "a", 0.5),
            op: setOp,
            y: columnName("sy"),
            tb: tableName("b"),
            wb: predicates.where("b", "b", 0.5),
            l: pagedLimit(0.6),
          }),
          template("SELECT a.{x} FROM {ta} AS a {op} SELECT a.{x2} FROM {ta2} AS a ORDER BY 1{l}", {
            x: columnName("sx"),
            ta: tableName("a"),
            op: setOp,
            x2: columnName("sx"),
            ta2: tableName("a"),
            l: pagedLimit(0.6),
          }),
        ),
        template("SELECT count(*) FROM {ta} AS a UNION ALL SELECT count(*) FROM {tb} AS b", {
          ta: tableName("a"),
          tb: tableName("b"),
        }),
      ),
    ),
  );
