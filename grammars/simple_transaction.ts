/**
 * `simple_transaction`: one explicit transaction per line, `BEGIN; …; COMMIT`
 * or `…; ROLLBACK`, holding one to four short DML statements keyed by the
 * primary key. Some lines open `SAVEPOINT s`, run part of their work under it
 * and then roll back to it or release it; a savepoint is only ever named
 * after the `SAVEPOINT` that defines it on the same line, because the rules
 * emit the definition and its end as one unit.
 *
 * The statements are the portable building blocks of `parts/key_reads.ts`
 * and `parts/row_writes.ts` that `yugabyte_transactions` uses too: a point
 * SELECT, an UPDATE of one row by key, an INSERT of a new row and a
 * DELETE of the row with the highest key.
 *
 * @module
 */
import { choice, grammar, maybe, ref, repeat, template } from "../core/dsl/grammar.ts";
import { pointSelect } from "./parts/key_reads.ts";
import { keyedTable } from "./parts/keys.ts";
import { deleteNewest, insertRow, updateByKey } from "./parts/row_writes.ts";

const g = grammar("simple_transaction", {
  description: "One transaction per line: BEGIN, 1-4 primary-key DML statements (some under a " +
    "SAVEPOINT that is rolled back to or released), then COMMIT or ROLLBACK.",
  start: "transaction",
  maxDepth: 8,
});

g.rule(
  "transaction",
  template("{begin}; {body}; {end}", {
    begin: choice([6, "BEGIN"], [2, "START TRANSACTION"], [1, "BEGIN TRANSACTION"], [1, "BEGIN WORK"]),
    end: choice([7, "COMMIT"], [3, "ROLLBACK"], [1, "END"], [1, "ROLLBACK WORK"]),
  }),
);

g.rule(
  "body",
  choice(
    [5, repeat(ref("dml"), 1, 4, "; ")],
    [4, ref("savepoint_body")],
  ),
);

// At most one statement before, one or two under and one after the savepoint: 1-4 in all.
g.rule(
  "savepoint_body",
  template("{before}SAVEPOINT s; {under}; {close}{after}", {
    before: maybe(template("{dml}; "), 0.4),
    under: repeat(ref("dml"), 1, 2, "; "),
    close: choice(
      [4, "ROLLBACK TO SAVEPOINT s"],
      [4, "RELEASE SAVEPOINT s"],
      [1, "ROLLBACK TO SAVEPOINT s; RELEASE SAVEPOINT s"],
    ),
    after: maybe(template("; {dml}"), 0.4),
  }),
);

g.rule(
  "dml",
  choice(
    [30, keyedTable(pointSelect(""))],
    [30, updateByKey],
    [25, insertRow],
    // Deletes take the newest row, not a seed row by key: deleting seed rows
    // would soon leave the foreign keys of inserted rows pointing at nothing.
    [10, deleteNewest],
  ),
);

export default g;
