-- A third hostile schema for bench/live_data.ts, unlike the other two: no integer sequence at
-- all on most tables, keys of numeric(12,0), char(2) under a pattern, a date and an enum
-- together, a smallint key member whose CHECK ceiling the data already reaches, an identity
-- that starts high and steps by 7, a range-partitioned table split on a money column around a
-- CHECK that forbids zero, a self-reference, ON UPDATE/ON DELETE CASCADE and SET NULL chains, a
-- unique index on an expression introspection does not model, arrays, jsonb, inet, a table with
-- no key at all, and a name with a space.
CREATE TYPE currency AS ENUM ('EUR', 'USD', 'JPY', 'CHF');

CREATE TABLE country (
  code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
  name text NOT NULL UNIQUE,
  vat numeric(4,2) NOT NULL DEFAULT 20 CHECK (vat >= 0 AND vat < 50)
);

CREATE TABLE customer (
  id numeric(12,0) PRIMARY KEY CHECK (id > 0),
  country char(2) NOT NULL REFERENCES country ON UPDATE CASCADE,
  email text NOT NULL,
  tags text[],
  meta jsonb,
  ip inet,
  referrer numeric(12,0) REFERENCES customer ON DELETE SET NULL,
  since date NOT NULL DEFAULT current_date
);
CREATE UNIQUE INDEX customer_email_lower ON customer (lower(email));

CREATE TABLE account (
  customer numeric(12,0) NOT NULL REFERENCES customer ON DELETE CASCADE,
  no smallint NOT NULL CHECK (no BETWEEN 1 AND 20),
  currency currency NOT NULL,
  "limit" numeric(12,2) CHECK ("limit" IS NULL OR "limit" >= 0),
  PRIMARY KEY (customer, no)
);

CREATE TABLE rate (
  day date NOT NULL,
  currency currency NOT NULL,
  value numeric(10,4) NOT NULL CHECK (value > 0),
  PRIMARY KEY (day, currency)
);

CREATE TABLE ledger (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000000 INCREMENT BY 7),
  customer numeric(12,0) NOT NULL,
  no smallint NOT NULL,
  amount numeric(14,2) NOT NULL CHECK (amount <> 0),
  booked timestamp(3) NOT NULL DEFAULT localtimestamp,
  reversal_of bigint,
  memo varchar(12),
  PRIMARY KEY (id, amount),
  FOREIGN KEY (customer, no) REFERENCES account ON DELETE CASCADE ON UPDATE CASCADE
) PARTITION BY RANGE (amount);
CREATE TABLE ledger_debit PARTITION OF ledger FOR VALUES FROM (MINVALUE) TO (0);
CREATE TABLE ledger_credit PARTITION OF ledger FOR VALUES FROM (0) TO (1000000);

CREATE TABLE "Audit Log" (
  at timestamptz(0) NOT NULL DEFAULT now(),
  who numeric(12,0) REFERENCES customer ON DELETE SET NULL,
  what jsonb NOT NULL DEFAULT '{}',
  codes int[]
);

INSERT INTO country (code, name, vat)
SELECT chr(65 + g / 26) || chr(65 + g % 26), 'country ' || g, (g % 25)::numeric FROM generate_series(0, 99) g;
INSERT INTO customer (id, country, email, tags, meta, ip, referrer, since)
SELECT 100000000000 + g * 13, chr(65 + (g % 100) / 26) || chr(65 + (g % 100) % 26), 'Customer' || g || '@Example.org',
       ARRAY['t' || g % 7], jsonb_build_object('n', g), ('10.0.' || g % 250 || '.1')::inet,
       CASE WHEN g > 5 THEN 100000000000 + (g / 2) * 13 END, date '2020-01-01' + g % 1000
FROM generate_series(1, 1500) g;
INSERT INTO account (customer, no, currency, "limit")
SELECT 100000000000 + (1 + g % 1500) * 13, 1 + g / 1500, (ARRAY['EUR', 'USD', 'JPY', 'CHF'])[1 + g % 4]::currency,
       CASE WHEN g % 3 > 0 THEN g % 900 END
FROM generate_series(0, 29999) g WHERE 1 + g / 1500 <= 20;
INSERT INTO rate SELECT date '2024-01-01' + g / 4, (ARRAY['EUR', 'USD', 'JPY', 'CHF'])[1 + g % 4]::currency,
       1 + (g % 100) / 100.0
FROM generate_series(0, 1999) g;
INSERT INTO ledger (customer, no, amount, booked, memo)
SELECT 100000000000 + (1 + g % 1500) * 13, 1 + g % 20, CASE WHEN g % 2 = 0 THEN -(1 + g % 500) ELSE 1 + g % 900 END,
       timestamp '2024-01-01' + g * interval '11 minutes', 'memo ' || g % 1000
FROM generate_series(1, 4000) g;
UPDATE ledger SET reversal_of = id - 7 WHERE id % 5 = 0;
INSERT INTO "Audit Log" (at, who, what, codes)
SELECT timestamptz '2024-01-01' + g * interval '1 hour', CASE WHEN g % 4 > 0 THEN 100000000000 + (1 + g % 1500) * 13 END,
       jsonb_build_object('op', g % 5), ARRAY[g % 10, g % 3]
FROM generate_series(1, 1000) g;
ANALYZE;
