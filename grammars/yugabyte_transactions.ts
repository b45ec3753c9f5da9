/**
 * `yugabyte_transactions`: one whole transaction per line, using only what
 * YugabyteDB 2.20+ (PostgreSQL 11.2 based) and PostgreSQL both accept:
 * isolation levels, READ ONLY (and SERIALIZABLE READ ONLY DEFERRABLE)
 * transactions that only read, `SET LOCAL`, savepoints, row locks with
 * `SELECT … FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE`, and short
 * read-modify-write transactions keyed by the primary key. Never `LOCK
 * TABLE`, advisory locks, LISTEN/NOTIFY, `COMMIT AND CHAIN` (PostgreSQL 12+)
 * or cursors.
 *
 * YugabyteDB limits what a locking read may add: `SKIP LOCKED` is not
 * supported under SERIALIZABLE (yugabyte-db#11761), `NOWAIT` only under READ
 * COMMITTED (#12166), and an ordered `FOR UPDATE` scan failed under
 * SERIALIZABLE in some releases (#18589). So SERIALIZABLE transactions lock
 * single rows by key, plainly, and only the snapshot levels use ranges and
 * `SKIP LOCKED`.
 *
 * A read-modify-write carries the row it read to its write through a
 * transaction-local setting (see `parts/row_locks.ts`), so both statements
 * touch the same key although a grammar cannot repeat a random value.
 *
 * The statements are the portable building blocks of `parts/key_reads.ts`,
 * `parts/row_writes.ts` and `parts/row_locks.ts`, which
 * `transactions_postgres` extends with what only PostgreSQL runs.
 *
 * @module
 */
import { choice, grammar, maybe, number, pool, ref, repeat, template } from "../core/dsl/grammar.ts";
import { joinSelect, keyListRead, pointSelect, rangeSelect } from "./parts/key_reads.ts";
import { keyedTable } from "./parts/keys.ts";
import { lockStrength, readModifyWrite } from "./parts/row_locks.ts";
import { deleteNewest, insertRow, updateByKey, upsertRow } from "./parts/row_writes.ts";

// ---------------------------------------------------------------------------
// The grammar. Each transaction shape comes in a SERIALIZABLE flavour
// ("ser") and a snapshot flavour ("snap": READ COMMITTED, REPEATABLE READ or
// the default), which differ only in the locking reads they may use.

const g = grammar("yugabyte_transactions", {
  description: "Transactions YugabyteDB 2.20+ and PostgreSQL both run, one per line: isolation levels, " +
    "READ ONLY, SET LOCAL, savepoints, SELECT FOR UPDATE/SHARE and primary-key read-modify-write.",
  start: "transaction",
  maxDepth: 10,
});

const FLAVOURS = ["ser", "snap"] as const;

g.rule(
  "transaction",
  choice(
    [5, ref("rmw_ser")],
    [8, ref("rmw_snap")],
    [3, ref("short_ser")],
    [5, ref("short_snap")],
    [4, ref("read_only_tx")],
    [2, ref("savepoint_ser")],
    [3, ref("savepoint_snap")],
  ),
);

g.rule(
  "begin_ser",
  choice(
    [4, "BEGIN ISOLATION LEVEL SERIALIZABLE"],
    [1, "BEGIN TRANSACTION ISOLATION LEVEL SERIALIZABLE"],
    [1, "START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE"],
    [2, "BEGIN; SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"],
  ),
);

g.rule(
  "begin_snap",
  choice(
    [3, "BEGIN"],
    [3, "BEGIN ISOLATION LEVEL REPEATABLE READ"],
    [3, "BEGIN ISOLATION LEVEL READ COMMITTED"],
    [1, "START TRANSACTION ISOLATION LEVEL REPEATABLE READ"],
    [
      1,
      template("BEGIN; SET TRANSACTION ISOLATION LEVEL {iso}", {
        iso: pool(["REPEATABLE READ", "READ COMMITTED"]),
      }),
    ],
  ),
);

const end = choice([8, "COMMIT"], [2, "ROLLBACK"], [1, "END"]);

for (const f of FLAVOURS) {
  // Lock one row by key, then change that same row.
  g.rule(
    `rmw_${f}`,
    template(`{begin_${f}}; {settings}{rmw}{more}; {end}`, {
      settings: maybe(template("{set_local}; "), 0.25),
      rmw: ref(`read_modify_write_${f}`),
      more: maybe(template("; {w}", { w: ref("write") }), 0.3),
      end,
    }),
  );

  g.rule(
    `short_${f}`,
    template(`{begin_${f}}; {settings}{work}; {end}`, {
      settings: maybe(template("{set_local}; "), 0.25),
      work: repeat(ref(`work_${f}`), 1, 3, "; "),
      end,
    }),
  );

  g.rule(
    `savepoint_${f}`,
    template(`{begin_${f}}; {pre}SAVEPOINT s1; {w}{inner}; {close}{post}; {end}`, {
      pre: maybe(template("{w}; ", { w: ref(`work_${f}`) }), 0.4),
      w: repeat(ref(`work_${f}`), 1, 2, "; "),
      inner: maybe(
        template("; SAVEPOINT s2; {w}; {close}", {
          w: ref(`work_${f}`),
          close: pool(["ROLLBACK TO SAVEPOINT s2", "RELEASE SAVEPOINT s2"]),
        }),
        0.4,
      ),
      close: choice(
        [3, "ROLLBACK TO SAVEPOINT s1"],
        [3, "RELEASE SAVEPOINT s1"],
        [1, template("ROLLBACK TO SAVEPOINT s1; {w}; RELEASE SAVEPOINT s1", { w: ref(`work_${f}`) })],
      ),
      post: maybe(template("; {w}", { w: ref(`work_${f}`) }), 0.3),
      end,
    }),
  );

  g.rule(`work_${f}`, choice([4, ref("read")], [3, ref(`locking_read_${f}`)], [5, ref("write")]));
}

g.rule(
  "read_only_tx",
  template("{begin}; {settings}{reads}; {end}", {
    begin: choice(
      [3, "BEGIN READ ONLY"],
      [2, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"],
      [1, "BEGIN ISOLATION LEVEL READ COMMITTED, READ ONLY"],
      [1, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"],
      [1, "START TRANSACTION READ ONLY"],
      [1, "BEGIN; SET TRANSACTION READ ONLY"],
    ),
    settings: maybe(template("{set_local}; "), 0.25),
    reads: repeat(ref("read"), 1, 4, "; "),
    end: choice([3, "COMMIT"], [1, "ROLLBACK"]),
  }),
);

g.rule(
  "set_local",
  choice(
    [3, template("SET LOCAL statement_timeout = '{n}s'", { n: number(5, 60) })],
    [2, template("SET LOCAL work_mem = '{n}MB'", { n: number(1, 64) })],
    [1, template("SET LOCAL application_name = 'quarry_tx_{n}'", { n: number(1, 99) })],
  ),
);

g.rule(
  "read",
  choice(
    [6, keyedTable(pointSelect(""))],
    [2, keyedTable(rangeSelect(""))],
    [2, joinSelect("")],
    [1, keyListRead(5)],
    [1, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"],
  ),
);

g.rule("locking_read_ser", keyedTable(pointSelect(template(" FOR {s}", { s: lockStrength }))));

g.rule(
  "locking_read_snap",
  choice(
    [4, keyedTable(pointSelect(template(" FOR {s}{w}", { s: lockStrength, w: maybe(" SKIP LOCKED", 0.2) })))],
    [2, keyedTable(rangeSelect(template(" FOR {s}{w}", { s: lockStrength, w: maybe(" SKIP LOCKED", 0.5) })))],
    [2, joinSelect(template(" FOR {s} OF a", { s: lockStrength }))],
  ),
);

g.rule("read_modify_write_ser", readModifyWrite(pool(["UPDATE", "NO KEY UPDATE"])));
g.rule(
  "read_modify_write_snap",
  readModifyWrite(choice([6, pool(["UPDATE", "NO KEY UPDATE"])], [1, "UPDATE SKIP LOCKED"])),
);

g.rule("write", choice([6, updateByKey], [3, insertRow], [3, upsertRow], [1, deleteNewest]));

export default g;
