-- A second hostile schema for bench/live_data.ts, unlike the first: natural text keys under a
-- pattern CHECK, a smallint key without a sequence, uuid keys, a foreign key of two NOT NULL
-- columns, cyclic and deferrable keys, cascading deletes, hash and multi-column range
-- partitioning with MINVALUE/MAXVALUE, a list partition split again by range, a domain with a
-- pattern, a generated column, UNIQUE NULLS NOT DISTINCT, and reserved words everywhere.
CREATE DOMAIN "SkuCode" AS varchar(8) CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4}$');
CREATE TYPE "Grade" AS ENUM ('A', 'B', 'C');

CREATE TABLE "group" (
  code smallint PRIMARY KEY CHECK (code BETWEEN 1 AND 9999),
  "desc" text NOT NULL,
  "end" date
);

CREATE TABLE warehouse (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "group" smallint NOT NULL REFERENCES "group" ON DELETE CASCADE,
  name varchar(30) NOT NULL,
  capacity int NOT NULL CHECK (capacity > 0),
  manager int,
  UNIQUE NULLS NOT DISTINCT ("group", name)
);

CREATE TABLE staff (
  badge int PRIMARY KEY,
  warehouse uuid NOT NULL REFERENCES warehouse DEFERRABLE INITIALLY DEFERRED,
  "user" varchar(20) NOT NULL UNIQUE,
  grade "Grade" NOT NULL DEFAULT 'B',
  lo int NOT NULL,
  hi int NOT NULL,
  CHECK (lo < hi)
);
ALTER TABLE warehouse ADD FOREIGN KEY (manager) REFERENCES staff (badge) ON DELETE SET NULL;

CREATE TABLE item (
  sku "SkuCode" PRIMARY KEY,
  "group" smallint NOT NULL REFERENCES "group",
  price numeric(10,2) NOT NULL CHECK (price > 0 AND price < 100000),
  weight real CHECK (weight >= 0),
  taxed numeric(10,2) GENERATED ALWAYS AS (price * 1.2) STORED
);

CREATE TABLE stock (
  warehouse uuid NOT NULL REFERENCES warehouse ON DELETE CASCADE,
  sku "SkuCode" NOT NULL REFERENCES item,
  bin int NOT NULL CHECK (bin >= 0),
  qty int NOT NULL CHECK (qty BETWEEN 0 AND 1000),
  PRIMARY KEY (warehouse, sku, bin)
) PARTITION BY HASH (warehouse);
CREATE TABLE stock_0 PARTITION OF stock FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE stock_1 PARTITION OF stock FOR VALUES WITH (MODULUS 2, REMAINDER 1);

CREATE TABLE "order" (
  year int NOT NULL,
  month int NOT NULL CHECK (month BETWEEN 1 AND 12),
  no bigint NOT NULL,
  warehouse uuid NOT NULL,
  sku "SkuCode" NOT NULL,
  bin int NOT NULL,
  amount int NOT NULL CHECK (amount <> 0),
  PRIMARY KEY (year, month, no),
  FOREIGN KEY (warehouse, sku, bin) REFERENCES stock (warehouse, sku, bin) ON DELETE CASCADE
) PARTITION BY RANGE (year, month);
CREATE TABLE order_old PARTITION OF "order" FOR VALUES FROM (MINVALUE, MINVALUE) TO (2024, 1);
CREATE TABLE order_2024h1 PARTITION OF "order" FOR VALUES FROM (2024, 1) TO (2024, 7);
CREATE TABLE order_2024h2 PARTITION OF "order" FOR VALUES FROM (2024, 7) TO (2025, 1);

CREATE TABLE "Return" (
  id bigint GENERATED ALWAYS AS IDENTITY,
  kind text NOT NULL,
  at date NOT NULL,
  sku "SkuCode" REFERENCES item,
  note text,
  PRIMARY KEY (id, kind, at)
) PARTITION BY LIST (kind);
CREATE TABLE return_damage PARTITION OF "Return" FOR VALUES IN ('damaged', 'broken') PARTITION BY RANGE (at);
CREATE TABLE return_damage_2024 PARTITION OF return_damage FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE return_other PARTITION OF "Return" FOR VALUES IN ('late', 'wrong');

INSERT INTO "group" SELECT g * 7, 'group ' || g, CASE WHEN g % 2 = 0 THEN date '2025-01-01' + g END
FROM generate_series(1, 60) g;
INSERT INTO warehouse (id, "group", name, capacity)
SELECT md5('w' || g)::uuid, (1 + g % 60) * 7, 'wh ' || g, 100 + g FROM generate_series(1, 80) g;
INSERT INTO staff
SELECT 1000 + g, md5('w' || (1 + g % 80))::uuid, 'user' || g, (ARRAY['A', 'B', 'C'])[1 + g % 3]::"Grade", g % 50,
       g % 50 + 1 + g % 9
FROM generate_series(1, 400) g;
UPDATE warehouse SET manager = 1000 + (abs(hashtext(id::text)) % 400) + 1;
INSERT INTO item (sku, "group", price, weight)
SELECT chr(65 + g % 26) || chr(65 + (g / 26) % 26) || 'Q-' || lpad(g::text, 4, '0'), (1 + g % 60) * 7,
       1 + g % 900, (g % 30) / 3.0
FROM generate_series(1, 1200) g;
INSERT INTO stock
SELECT md5('w' || (1 + g % 80))::uuid, chr(65 + g % 26) || chr(65 + (g / 26) % 26) || 'Q-' || lpad(g::text, 4, '0'),
       g % 4, g % 1000
FROM generate_series(1, 1200) g;
INSERT INTO "order"
SELECT 2023 + g % 2, 1 + g % 12, g, s.warehouse, s.sku, s.bin, 1 + g % 50
FROM generate_series(1, 3000) g JOIN LATERAL (SELECT * FROM stock OFFSET g % 1200 LIMIT 1) s ON true;
INSERT INTO "Return" (kind, at, sku, note)
SELECT (ARRAY['damaged', 'broken', 'late', 'wrong'])[1 + g % 4], date '2024-01-01' + g % 300,
       chr(65 + g % 26) || chr(65 + (g / 26) % 26) || 'Q-' || lpad(g::text, 4, '0'), CASE WHEN g % 3 = 0 THEN 'note ' || g END
FROM generate_series(1, 900) g;
ANALYZE;
