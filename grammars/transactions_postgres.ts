/**
 * `transactions_postgres`: PostgreSQL's transaction features, one whole
 * transaction per line. Lines choose an isolation level (`BEGIN ISOLATION
 * LEVEL …` or `SET TRANSACTION`), run READ ONLY transactions that only read,
 * change settings for the transaction alone (`SET LOCAL`, `SET
 * CONSTRAINTS`), take row locks (`SELECT … FOR UPDATE / NO KEY UPDATE /
 * SHARE / KEY SHARE`, with `OF`, `NOWAIT` and `SKIP LOCKED`) and table locks
 * (`LOCK TABLE … IN … MODE`), change a locked row (kept in a
 * transaction-local setting, or through a `FOR UPDATE` cursor and `WHERE
 * CURRENT OF`), claim rows like a work queue (`FOR UPDATE SKIP LOCKED` in a
 * subquery), nest savepoints up to three deep, and chain transactions
 * (`COMMIT AND CHAIN`, PostgreSQL 12+) before ending the chained one.
 * `PREPARE TRANSACTION` is never emitted: servers commonly run with
 * `max_prepared_transactions = 0`.
 *
 * The statements inside are the portable building blocks `yugabyte_transactions`
 * uses too (`parts/key_reads.ts`, `parts/row_writes.ts`, `parts/row_locks.ts`),
 * plus what only PostgreSQL runs. Every savepoint is defined earlier
 * on its line than any statement naming it, because each savepoint's
 * definition and end come from one rule.
 *
 * @module
 */
import {
  choice,
  columnName,
  type Element,
  grammar,
  maybe,
  number,
  pool,
  ref,
  repeat,
  tableName,
  template,
  withTable,
} from "../core/dsl/grammar.ts";
import { columnNames, nonNullLiteral } from "./parts/columns.ts";
import { joinSelect, keyListRead, pointSelect, rangeSelect } from "./parts/key_reads.ts";
import { keyedTable, rangeKey, withKeyColumns } from "./parts/keys.ts";
import { limitClause } from "./parts/limits.ts";
import { lockStrength, readModifyWrite } from "./parts/row_locks.ts";
import { assignments, deleteNewest, insertRow, updateByKey, upsertRow } from "./parts/row_writes.ts";

const g = grammar("transactions_postgres", {
  description: "PostgreSQL transactions, one per line: isolation levels, READ ONLY, SET LOCAL, row locks " +
    "(FOR UPDATE/SHARE, NOWAIT, SKIP LOCKED), LOCK TABLE, cursors, nested savepoints and COMMIT AND CHAIN.",
  start: "transaction",
  maxDepth: 12,
});

// ---------------------------------------------------------------------------
// Transactions.

const isolation = pool(["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"]);

g.rule(
  "transaction",
  choice(
    [6, ref("read_write_tx")],
    [3, ref("read_only_tx")],
    [3, ref("locking_tx")],
    [2, ref("lock_table_tx")],
    [3, ref("savepoint_tx")],
    [3, ref("chain_tx")],
  ),
);

/** How a read-write transaction starts; the level is set at BEGIN or by SET TRANSACTION. */
const beginReadWrite = choice(
  [4, template("BEGIN ISOLATION LEVEL {iso}", { iso: isolation })],
  [1, template("BEGIN ISOLATION LEVEL {iso}, READ WRITE", { iso: isolation })],
  [1, template("START TRANSACTION ISOLATION LEVEL {iso}", { iso: isolation })],
  [2, template("BEGIN; SET TRANSACTION ISOLATION LEVEL {iso}", { iso: isolation })],
  [2, "BEGIN"],
);

const end = choice([8, "COMMIT"], [3, "ROLLBACK"], [1, "END"], [1, "COMMIT AND NO CHAIN"]);

g.rule(
  "read_write_tx",
  template("{begin}; {settings}{work}; {end}", {
    begin: beginReadWrite,
    settings: maybe(template("{set_local}; "), 0.4),
    work: repeat(ref("work"), 1, 4, "; "),
    end,
  }),
);

g.rule(
  "read_only_tx",
  template("{begin}; {settings}{reads}; {end}", {
    begin: choice(
      [3, "BEGIN READ ONLY"],
      [3, template("BEGIN ISOLATION LEVEL {iso}, READ ONLY", { iso: isolation })],
      [1, "BEGIN ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE"],
      [1, "START TRANSACTION READ ONLY"],
      [2, template("BEGIN; SET TRANSACTION ISOLATION LEVEL {iso} READ ONLY", { iso: isolation })],
    ),
    settings: maybe(template("{set_local}; "), 0.3),
    reads: repeat(ref("read"), 1, 4, "; "),
    end: choice([3, "COMMIT"], [1, "ROLLBACK"]),
  }),
);

// Lock rows first, then write: a locked row changed through a kept copy or a
// cursor, or locks followed by other writes.
g.rule(
  "locking_tx",
  template("{begin}; {lock}; {writes}; {end}", {
    begin: beginReadWrite,
    lock: choice([3, ref("locking_read")], [2, ref("read_modify_write")], [1, ref("cursor_update")]),
    writes: repeat(ref("write"), 1, 2, "; "),
    end,
  }),
);

g.rule(
  "lock_table_tx",
  template("{begin}; {lock}; {work}; {end}", {
    begin: choice([3, "BEGIN"], [1, beginReadWrite]),
    lock: ref("lock_table"),
    work: repeat(ref("work"), 1, 3, "; "),
    end,
  }),
);

g.rule(
  "savepoint_tx",
  template("{begin}; {pre}{sp}{post}; {end}", {
    begin: beginReadWrite,
    pre: maybe(template("{work}; "), 0.5),
    sp: ref("savepoint_1"),
    post: maybe(template("; {work}"), 0.3),
    end,
  }),
);

// The chained transaction keeps the first one's isolation level and access
// mode, so a READ ONLY chain goes on reading.
g.rule(
  "chain_tx",
  choice(
    [
      3,
      template("{begin}; {a}; {chain}; {b}; {end}", {
        begin: beginReadWrite,
        a: repeat(ref("work"), 1, 2, "; "),
        chain: choice([3, "COMMIT AND CHAIN"], [1, "ROLLBACK AND CHAIN"]),
        b: repeat(ref("work"), 1, 2, "; "),
        end,
      }),
    ],
    [
      1,
      template("BEGIN ISOLATION LEVEL {iso}, READ ONLY; {a}; COMMIT AND CHAIN; {b}; COMMIT", {
        iso: isolation,
        a: ref("read"),
        b: ref("read"),
      }),
    ],
  ),
);

/**
 * Savepoint `sp<level>`, work under it, maybe a deeper savepoint, then its
 * end. A deeper savepoint that is left open is ended with this one: rolling
 * back to or releasing an outer savepoint ends every inner one.
 */
function savepointRule(level: number, deepest: number): Element {
  const name = `sp${level}`;
  const inner = level < deepest
    ? choice(
      [2, ""],
      [2, template("; {inner}", { inner: ref(`savepoint_${level + 1}`) })],
      [1, template(`; SAVEPOINT sp${level + 1}; {w}`, { w: ref("work") })],
    )
    : "";
  return template(`SAVEPOINT ${name}; {w}{inner}; {close}`, {
    w: repeat(ref("work"), 1, 2, "; "),
    inner,
    close: choice(
      [3, `ROLLBACK TO SAVEPOINT ${name}`],
      [3, `RELEASE SAVEPOINT ${name}`],
      [1, template(`ROLLBACK TO SAVEPOINT ${name}; {w}; RELEASE SAVEPOINT ${name}`, { w: ref("work") })],
    ),
  });
}

for (let level = 1; level <= 3; level++) g.rule(`savepoint_${level}`, savepointRule(level, 3));

/** Settings a transaction may change for itself alone. */
g.rule(
  "set_local",
  choice(
    [3, template("SET LOCAL statement_timeout = '{n}s'", { n: number(5, 60) })],
    [2, template("SET LOCAL lock_timeout = '{n}ms'", { n: number(500, 10000) })],
    [3, template("SET LOCAL work_mem = '{n}MB'", { n: number(1, 64) })],
    [1, template("SET LOCAL idle_in_transaction_session_timeout = '{n}s'", { n: number(10, 300) })],
    [1, template("SET LOCAL synchronous_commit TO {v}", { v: pool(["on", "off", "local"]) })],
    [
      1,
      template("SET LOCAL {opt} = {v}", {
        opt: pool(["enable_seqscan", "enable_hashjoin", "enable_mergejoin", "enable_nestloop", "jit"]),
        v: pool(["on", "off"]),
      }),
    ],
    [1, template("SET LOCAL random_page_cost = {n}.{d}", { n: number(1, 4), d: number(0, 9) })],
    [1, template("SET LOCAL application_name = 'quarry_tx_{n}'", { n: number(1, 99) })],
    [1, pool(["SET CONSTRAINTS ALL DEFERRED", "SET CONSTRAINTS ALL IMMEDIATE"])],
  ),
);

// ---------------------------------------------------------------------------
// Statements inside a transaction.

g.rule("work", choice([4, ref("read")], [3, ref("locking_read")], [5, ref("write")], [1, ref("set_local")]));

g.rule(
  "read",
  choice(
    [5, keyedTable(pointSelect(""))],
    [2, keyedTable(rangeSelect(""))],
    [2, joinSelect("")],
    [1, keyListRead(5)],
    [1, ref("count_read")],
    [
      1,
      pool([
        "SHOW transaction_isolation",
        "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')",
        "SELECT txid_current_if_assigned()",
      ]),
    ],
  ),
);

g.rule(
  "count_read",
  keyedTable(
    rangeKey(
      template("SELECT count(*) FROM {t} WHERE {k} BETWEEN {lo} AND {hi}", {
        t: tableName("t"),
        k: columnName("rk"),
        lo: nonNullLiteral("rk"),
        hi: nonNullLiteral("rk"),
      }),
      template("SELECT count(*) FROM {t}", { t: tableName("t") }),
    ),
  ),
);

const wait = choice([4, ""], [1, " NOWAIT"], [1, " SKIP LOCKED"]);

g.rule(
  "locking_read",
  choice(
    [4, keyedTable(pointSelect(template(" FOR {s}{w}", { s: lockStrength, w: wait })))],
    [
      2,
      keyedTable(
        rangeSelect(template(" FOR {s}{w}", { s: lockStrength, w: choice([1, ""], [2, " SKIP LOCKED"]) })),
      ),
    ],
    [
      // Lock the child rows, and maybe share-lock their parents.
      2,
      joinSelect(template(" FOR {s} OF a{w}{parent}", {
        s: lockStrength,
        w: wait,
        parent: maybe(template(" FOR {s} OF b", { s: pool(["SHARE", "KEY SHARE"]) }), 0.5),
      })),
    ],
  ),
);

g.rule(
  "lock_table",
  withTable(
    "t",
    choice(
      [
        6,
        template("LOCK TABLE {t} IN {mode} MODE{w}", {
          t: tableName("t"),
          mode: pool([
            "ACCESS SHARE",
            "ROW SHARE",
            "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE",
            "SHARE",
            "SHARE ROW EXCLUSIVE",
            "EXCLUSIVE",
            "ACCESS EXCLUSIVE",
          ]),
          w: maybe(" NOWAIT", 0.25),
        }),
      ],
      [1, template("LOCK {t}", { t: tableName("t") })],
    ),
  ),
);

g.rule(
  "read_modify_write",
  readModifyWrite(template("{s}{w}", { s: pool(["UPDATE", "NO KEY UPDATE"]), w: wait })),
);

/**
 * Read-modify-write through a cursor: lock rows in key order up to the one
 * wanted, change it where the cursor stands, close the cursor. The cursor
 * reads the whole table: were it to skip a partition, an UPDATE … WHERE
 * CURRENT OF on a partitioned table would find no row lock in that partition.
 */
g.rule(
  "cursor_update",
  keyedTable(
    rangeKey(
      assignments(
        (set) =>
          template(
            "DECLARE cur CURSOR FOR SELECT * FROM {t} ORDER BY {k}{order} FOR UPDATE; {move}" +
              "FETCH NEXT FROM cur; UPDATE {t} SET {set} WHERE CURRENT OF cur; CLOSE cur",
            {
              t: tableName("t"),
              k: columnName("rk"),
              order: pool(["", " DESC"]),
              move: maybe(template("MOVE FORWARD {n} IN cur; ", { n: number(1, 9) }), 0.6),
              set,
            },
          ),
        ref("locking_read"),
      ),
      ref("locking_read"),
    ),
  ),
);

g.rule(
  "write",
  choice(
    [5, updateByKey],
    [3, insertRow],
    [2, upsertRow],
    [1, ref("update_skip_locked")],
    [1, deleteNewest],
  ),
);

// A work queue's step: claim the first few unlocked rows and change them.
g.rule(
  "update_skip_locked",
  keyedTable(
    rangeKey(
      withKeyColumns(
        "key",
        "t",
        assignments(
          (set) =>
            template(
              "UPDATE {t} SET {set} WHERE ({k}) IN (SELECT {k} FROM {t} WHERE {rk} >= {v} ORDER BY {rk}{limit} " +
                "FOR UPDATE SKIP LOCKED)",
              {
                t: tableName("t"),
                set,
                k: columnNames("key"),
                rk: columnName("rk"),
                v: nonNullLiteral("rk"),
                limit: limitClause(20),
              },
            ),
          updateByKey,
          true,
        ),
      ),
      updateByKey,
    ),
  ),
);

export default g;
