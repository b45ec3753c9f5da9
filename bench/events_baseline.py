#!/usr/bin/python3
"""Baseline for `bench/events_compare.ts`: INSERT/UPDATE/DELETE churn the way a
classic Python event generator does it, so `quarry events` has a fair opponent.

What it does, on one connection in autocommit mode, one statement per round
trip (``cursor.execute``, then the result is read before the next statement):

* At start the base tables of ``--schema`` are read from pg_catalog
  (partitioned tables count as one table; their partitions are left out):
  columns, types (domains unwrapped to their base type, array element types,
  enum labels, numeric precision and scale, varchar/char lengths), primary
  keys, identity, serial and generated columns, and foreign keys. Then comes
  ``CREATE EXTENSION IF NOT EXISTS tsm_system_rows``, and for each foreign key
  up to 1000 parent keys are sampled once (``TABLESAMPLE SYSTEM_ROWS(1000)``);
  new rows pick from them.
* Each iteration picks a table (all tables weigh the same) and an operation by
  ``--weights`` (insert,update,delete):

  - INSERT: one multi-row ``INSERT ... VALUES (...), (...)`` of
    ``--insert-rows`` rows, identity/serial/generated columns left out. A
    unique violation (23505) regenerates the rows and retries, up to
    ``--insert-retries`` times.
  - UPDATE: 1..N random columns outside the primary key get new values,
    ``WHERE (pk) IN (SELECT pk FROM t TABLESAMPLE SYSTEM_ROWS(n))``; retried
    with new values on 23505 up to ``--update-retries`` times.
  - DELETE: ``DELETE FROM t WHERE (pk) IN (SELECT pk FROM t TABLESAMPLE
    SYSTEM_ROWS(n))``.
  - Tables without a primary key get no UPDATE or DELETE: those iterations are
    counted as skipped and send nothing.

* Values are made in Python from one ``random.Random(--seed)`` and passed as
  psycopg2 parameters (``%s``): integers anywhere in their type's range,
  numerics within precision and scale, floats, text of random letters within
  the declared length, booleans, dates, timestamps (with and without zone),
  times, uuid4 drawn from the seeded generator, small json/jsonb objects, enum
  labels, and arrays of text or integers. Every other type (other arrays,
  bytea, ranges, network types, ...) gets NULL. CHECK constraints are not read,
  so rows that break one fail; like every other failure they are counted by
  SQLSTATE and the run goes on.

Counting: an iteration that sends statements is an event; it succeeded if its
last statement did. ``events_per_second`` is events over the seconds from the
first event to the last (discovery excluded); ``statements`` adds the retries.

Run it with Debian's interpreter, which has python3-psycopg2 (a pyenv or venv
python3 first on PATH may not)::

    /usr/bin/python3 bench/events_baseline.py --dsn postgres://postgres@127.0.0.1:5432/evbench \\
        --iterations 2000 --seed 42 --json

``bench/specs/events_bench.sql`` is the schema both tools churn in the
benchmark. Exit codes: 0 done (failed events included), 2 bad usage, 3 the
database could not be reached or set up.
"""

import argparse
import datetime
import decimal
import json
import random
import string
import sys
import time
import uuid

import psycopg2
import psycopg2.extensions
import psycopg2.extras

psycopg2.extras.register_uuid()

UNIQUE_VIOLATION = "23505"
PARENT_KEY_SAMPLE = 1000
LETTERS = string.ascii_letters
DATE_LO = datetime.date(2000, 1, 1).toordinal()
DATE_HI = datetime.date(2030, 12, 31).toordinal()
INT_RANGES = {
    "int2": (-(2**15), 2**15 - 1),
    "int4": (-(2**31), 2**31 - 1),
    "int8": (-(2**63), 2**63 - 1),
}
TEXT_TYPES = {"text", "varchar", "bpchar", "name", "citext"}


class UsageError(Exception):
    """A mistake in the arguments: exit 2."""


class ColumnType:
    """A column's type reduced to what value generation needs."""

    def __init__(self, kind, length=0, precision=0, scale=0, labels=None, element=None):
        self.kind = kind  # a pg_type name, "enum", "array", or None (unknown: NULL)
        self.length = length  # varchar/char length, 0 when unbounded
        self.precision = precision
        self.scale = scale
        self.labels = labels or []
        self.element = element  # ColumnType of array elements


class Table:
    def __init__(self, oid, name, sql_name):
        self.oid = oid
        self.name = name
        self.sql_name = sql_name  # quoted, schema-qualified, '%' doubled for psycopg2
        self.columns = []  # (name, quoted name, ColumnType, insertable, updatable)
        self.primary_key = []  # quoted names
        self.foreign_keys = []  # (column names, list of parent key tuples)
        self.insert_sql = {}  # rows -> statement text


def qident(name, conn):
    """A quoted identifier with '%' doubled, ready for a psycopg2 statement with parameters."""
    return psycopg2.extensions.quote_ident(name, conn).replace("%", "%%")


def read_types(cur):
    cur.execute("SELECT oid, typname, typtype, typelem, typbasetype, typtypmod, typcategory FROM pg_type")
    types = {r[0]: r[1:] for r in cur.fetchall()}
    cur.execute("SELECT enumtypid, enumlabel FROM pg_enum ORDER BY enumtypid, enumsortorder")
    labels = {}
    for oid, label in cur.fetchall():
        labels.setdefault(oid, []).append(label)
    return types, labels


def resolve_type(oid, typmod, types, labels):
    """The ColumnType of type `oid` with modifier `typmod`, domains unwrapped."""
    name, typtype, elem, base, domain_typmod, category = types[oid]
    while typtype == "d":
        if typmod == -1:
            typmod = domain_typmod
        name, typtype, elem, base, domain_typmod, category = types[base]
        oid = base
    if typtype == "e":
        return ColumnType("enum", labels=labels.get(oid, []))
    if category == "A" and elem != 0:
        return ColumnType("array", element=resolve_type(elem, typmod, types, labels))
    if name in ("varchar", "bpchar"):
        return ColumnType(name, length=typmod - 4 if typmod >= 4 else (1 if name == "bpchar" else 0))
    if name == "numeric":
        if typmod < 4:
            return ColumnType(name, precision=12, scale=4)
        precision = ((typmod - 4) >> 16) & 0xFFFF
        scale = ((((typmod - 4) & 0x7FF) ^ 1024) - 1024)
        return ColumnType(name, precision=precision, scale=max(scale, 0))
    return ColumnType(name)


def discover(conn, schema, only):
    """The base tables of `schema` (or those named in `only`), with columns and keys."""
    cur = conn.cursor()
    types, labels = read_types(cur)
    cur.execute(
        """SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname""",
        (schema,),
    )
    quoted_schema = qident(schema, conn)
    tables = {oid: Table(oid, name, f"{quoted_schema}.{qident(name, conn)}") for oid, name in cur.fetchall()}
    if only:
        missing = [t for t in only if t not in {x.name for x in tables.values()}]
        if missing:
            raise UsageError(f"no base table {', '.join(map(repr, missing))} in schema {schema!r}")
        tables = {oid: t for oid, t in tables.items() if t.name in only}
    if not tables:
        raise UsageError(f"schema {schema!r} has no base tables to churn")
    # Only once the arguments are known to be right does the run change the database.
    cur.execute("CREATE EXTENSION IF NOT EXISTS tsm_system_rows")
    oids = list(tables)
    cur.execute(
        """SELECT a.attrelid, a.attname, a.atttypid, a.atttypmod, a.attidentity::text,
                  a.attgenerated::text, pg_get_expr(d.adbin, d.adrelid)
           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
           WHERE a.attrelid = ANY(%s::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attrelid, a.attnum""",
        (oids,),
    )
    for relid, name, typid, typmod, identity, generated, default in cur.fetchall():
        serial = default is not None and default.startswith("nextval(")
        computed = generated == "s"
        insertable = not (identity or serial or computed)
        updatable = not (identity == "a" or computed)
        ctype = resolve_type(typid, typmod, types, labels)
        tables[relid].columns.append((name, qident(name, conn), ctype, insertable, updatable))
    cur.execute(
        """SELECT con.conrelid, con.contype::text, con.confrelid::regclass::text,
                  ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
                  ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i)
           FROM pg_constraint con
           WHERE con.conrelid = ANY(%s::oid[]) AND con.contype IN ('p', 'f') AND con.conparentid = 0
           ORDER BY con.conrelid, con.conname""",
        (oids,),
    )
    for relid, kind, parent, columns, parent_columns in cur.fetchall():
        table = tables[relid]
        if kind == "p":
            table.primary_key = [qident(c, conn) for c in columns]
            continue
        cols = ", ".join(qident(c, conn) for c in parent_columns)
        # The parent's name comes from regclass, already quoted and qualified as needed.
        cur.execute(f"SELECT {cols} FROM {parent.replace('%', '%%')} TABLESAMPLE SYSTEM_ROWS(%s)",
                    (PARENT_KEY_SAMPLE,))
        keys = sorted({row for row in cur.fetchall() if None not in row}, key=repr)
        table.foreign_keys.append((columns, keys))
    cur.close()
    return sorted(tables.values(), key=lambda t: t.name)


class Values:
    """Random values for column types, all from one seeded generator."""

    def __init__(self, rng):
        self.rng = rng

    def text(self, length):
        hi = min(length, 24) if length else 24
        lo = min(hi, 4)
        return "".join(self.rng.choices(LETTERS, k=self.rng.randint(lo, hi)))

    def value(self, t):
        rng = self.rng
        kind = t.kind
        if kind in INT_RANGES:
            return rng.randint(*INT_RANGES[kind])
        if kind == "numeric":
            digits = min(t.precision, 28)  # what decimal's default context holds exactly
            n = rng.randint(-(10**digits - 1), 10**digits - 1)
            return decimal.Decimal(n).scaleb(-t.scale)
        if kind in ("float4", "float8"):
            return rng.uniform(-1e6, 1e6)
        if kind in TEXT_TYPES:
            return self.text(t.length)
        if kind == "bool":
            return rng.random() < 0.5
        if kind == "date":
            return datetime.date.fromordinal(rng.randint(DATE_LO, DATE_HI))
        if kind in ("timestamp", "timestamptz"):
            day = datetime.date.fromordinal(rng.randint(DATE_LO, DATE_HI))
            zone = datetime.timezone.utc if kind == "timestamptz" else None
            return datetime.datetime(day.year, day.month, day.day, tzinfo=zone) + datetime.timedelta(
                seconds=rng.randrange(86400), microseconds=rng.randrange(1000000)
            )
        if kind == "time":
            return datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
        if kind == "uuid":
            return uuid.UUID(int=rng.getrandbits(128), version=4)
        if kind in ("json", "jsonb"):
            return psycopg2.extras.Json({"id": rng.randint(1, 10**6), "name": self.text(12),
                                         "active": rng.random() < 0.5})
        if kind == "enum":
            return rng.choice(t.labels) if t.labels else None
        if kind == "array":
            element = t.element
            if element.kind in INT_RANGES or element.kind in TEXT_TYPES:
                return [self.value(element) for _ in range(rng.randint(0, 4))]
            return None
        return None


class Churn:
    def __init__(self, conn, tables, rng, args):
        self.conn = conn
        self.cur = conn.cursor()
        self.tables = tables
        self.rng = rng
        self.values = Values(rng)
        self.args = args
        self.operations = ["insert", "update", "delete"]
        self.weights = args.weights
        self.succeeded = 0
        self.failed = 0
        self.skipped = 0
        self.retries = 0
        self.errors = {}
        self.by_operation = {op: {"succeeded": 0, "failed": 0, "skipped": 0} for op in self.operations}

    def run(self, iterations):
        started = time.perf_counter()
        for _ in range(iterations):
            table = self.rng.choice(self.tables)
            operation = self.rng.choices(self.operations, self.weights)[0]
            outcome = getattr(self, operation)(table)
            self.by_operation[operation][outcome] += 1
            if outcome == "skipped":
                self.skipped += 1
            elif outcome == "succeeded":
                self.succeeded += 1
            else:
                self.failed += 1
        return time.perf_counter() - started

    def execute(self, sql, params):
        """One round trip; returns None or the SQLSTATE it failed with."""
        try:
            # execute() returns once the whole result is in: nothing is pipelined.
            self.cur.execute(sql, params)
            return None
        except psycopg2.Error as e:
            if self.conn.closed:
                raise
            return e.pgcode or type(e).__name__

    def record(self, code):
        if code is None:
            return "succeeded"
        self.errors[code] = self.errors.get(code, 0) + 1
        return "failed"

    def row_values(self, table, names):
        """Values for the columns `names` of one row, foreign-key columns from sampled parent keys."""
        row = {}
        for fk_columns, keys in table.foreign_keys:
            if any(c in names and c not in row for c in fk_columns):
                key = self.rng.choice(keys) if keys else (None,) * len(fk_columns)
                for c, v in zip(fk_columns, key):
                    row.setdefault(c, v)
        types = {c[0]: c[2] for c in table.columns}
        return [row[n] if n in row else self.values.value(types[n]) for n in names]

    def insert(self, table):
        columns = [c for c in table.columns if c[3]]
        names = [c[0] for c in columns]
        rows = self.args.insert_rows
        sql = table.insert_sql.get(rows)
        if sql is None:
            if columns:
                one = "(" + ", ".join(["%s"] * len(columns)) + ")"
                sql = (f"INSERT INTO {table.sql_name} ({', '.join(c[1] for c in columns)}) VALUES "
                       + ", ".join([one] * rows))
            else:
                sql = f"INSERT INTO {table.sql_name} DEFAULT VALUES"
            table.insert_sql[rows] = sql
        for attempt in range(self.args.insert_retries + 1):
            params = [v for _ in range(rows) for v in self.row_values(table, names)] if columns else None
            code = self.execute(sql, params)
            if code != UNIQUE_VIOLATION or attempt == self.args.insert_retries:
                return self.record(code)
            self.retries += 1

    def sampled(self, table, rows):
        pk = ", ".join(table.primary_key)
        return f"({pk}) IN (SELECT {pk} FROM {table.sql_name} TABLESAMPLE SYSTEM_ROWS({int(rows)}))"

    def update(self, table):
        if not table.primary_key:
            return "skipped"
        candidates = [c for c in table.columns if c[4] and c[1] not in table.primary_key]
        if not candidates:
            return "skipped"
        chosen = self.rng.sample(candidates, self.rng.randint(1, len(candidates)))
        sets = ", ".join(f"{c[1]} = %s" for c in chosen)
        sql = f"UPDATE {table.sql_name} SET {sets} WHERE {self.sampled(table, self.args.update_rows)}"
        names = [c[0] for c in chosen]
        for attempt in range(self.args.update_retries + 1):
            code = self.execute(sql, self.row_values(table, names))
            if code != UNIQUE_VIOLATION or attempt == self.args.update_retries:
                return self.record(code)
            self.retries += 1

    def delete(self, table):
        if not table.primary_key:
            return "skipped"
        sql = f"DELETE FROM {table.sql_name} WHERE {self.sampled(table, self.args.delete_rows)}"
        return self.record(self.execute(sql, None))


def positive(text):
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive whole number")
    return n


def count(text):
    n = int(text)
    if n < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative")
    return n


def weights(text):
    parts = [float(x) for x in text.split(",")]
    if len(parts) != 3 or any(w < 0 for w in parts) or sum(parts) == 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give three weights insert,update,delete, e.g. 3,2,1")
    return parts


def parse_args(argv):
    p = argparse.ArgumentParser(description="INSERT/UPDATE/DELETE churn baseline for bench/events_compare.ts")
    p.add_argument("--dsn", required=True, help="libpq connection string or postgres:// URL")
    p.add_argument("--schema", default="public")
    p.add_argument("--iterations", type=positive, default=2000)
    p.add_argument("--seed", type=int, help="seed of the value and choice generator; drawn and printed if left out")
    p.add_argument("--insert-rows", type=positive, default=4)
    p.add_argument("--update-rows", type=positive, default=2)
    p.add_argument("--delete-rows", type=positive, default=1)
    p.add_argument("--insert-retries", type=count, default=50, help="regenerations after 23505 (default 50)")
    p.add_argument("--update-retries", type=count, default=3, help="retries with new values after 23505 (default 3)")
    p.add_argument("--weights", type=weights, default=[3.0, 2.0, 1.0], help="insert,update,delete (default 3,2,1)")
    p.add_argument("--tables", help="comma-separated tables to churn (default: every base table)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the counts at the end")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    print(f"events_baseline: seed {seed}", file=sys.stderr)
    only = [t for t in args.tables.split(",") if t] if args.tables else []
    try:
        conn = psycopg2.connect(args.dsn)
        conn.autocommit = True
        tables = discover(conn, args.schema, only)
    except UsageError as e:
        print(f"events_baseline: {e}", file=sys.stderr)
        return 2
    except psycopg2.Error as e:
        print(f"events_baseline: {e.pgcode or 'connection'}: {' '.join(str(e).split())}", file=sys.stderr)
        return 3
    churn = Churn(conn, tables, random.Random(seed), args)
    try:
        seconds = churn.run(args.iterations)
    except psycopg2.Error as e:
        print(f"events_baseline: connection lost: {' '.join(str(e).split())}", file=sys.stderr)
        return 3
    finally:
        if not conn.closed:
            conn.close()
    events = churn.succeeded + churn.failed
    report = {
        "events": events,
        "succeeded": churn.succeeded,
        "failed": churn.failed,
        "seconds": round(seconds, 3),
        "events_per_second": round(events / seconds, 1) if seconds > 0 else 0.0,
        "errors": dict(sorted(churn.errors.items())),
        "skipped": churn.skipped,
        "retries": churn.retries,
        "statements": events + churn.retries,
        "operations": churn.by_operation,
        "tables": len(tables),
        "seed": seed,
    }
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{events} events in {report['seconds']} s: {report['events_per_second']} events/s; "
              f"{churn.succeeded} succeeded, {churn.failed} failed, {churn.skipped} skipped, "
              f"{churn.retries} retries")
        for code, n in report["errors"].items():
            print(f"  {code}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
