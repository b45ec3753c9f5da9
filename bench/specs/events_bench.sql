-- The benchmark schema for `quarry events` and bench/events_baseline.py: a
-- small shop whose four tables both tools churn with INSERT, UPDATE and DELETE.
-- It has serial and bigserial keys, a composite primary key, UNIQUE columns,
-- CHECK bounds, a text array and ON DELETE CASCADE foreign keys, and starts
-- with 10k customers, 1k products, 20k orders and 50k order items so that
-- sampled UPDATEs and DELETEs always find rows.
--
--   createdb -h 127.0.0.1 -U postgres evbench
--   psql -h 127.0.0.1 -U postgres -d evbench -v ON_ERROR_STOP=1 -f bench/specs/events_bench.sql

CREATE TABLE customers (
  id serial PRIMARY KEY,
  name text,
  email varchar(80) UNIQUE,
  created timestamptz
);

CREATE TABLE products (
  id serial PRIMARY KEY,
  sku text UNIQUE,
  price numeric(10,2) CHECK (price >= 0),
  tags text[]
);

CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id integer REFERENCES customers ON DELETE CASCADE,
  status text,
  total numeric(12,2),
  placed_at timestamptz
);

CREATE TABLE order_items (
  order_id bigint REFERENCES orders ON DELETE CASCADE,
  line_no integer,
  product_id integer REFERENCES products,
  qty integer CHECK (qty BETWEEN 1 AND 100),
  PRIMARY KEY (order_id, line_no)
);

-- Foreign-key columns are indexed, as applications index them: deleting a
-- parent then looks its children up instead of scanning their tables.
CREATE INDEX ON orders (customer_id);
CREATE INDEX ON order_items (product_id);

INSERT INTO customers (name, email, created)
SELECT 'Customer ' || g, 'customer' || g || '@example.com',
       timestamptz '2023-01-01 00:00:00+00' + g * interval '37 minutes'
FROM generate_series(1, 10000) g;

INSERT INTO products (sku, price, tags)
SELECT 'SKU-' || lpad(g::text, 6, '0'), (g % 500) + 0.99,
       ARRAY['tag' || g % 10, 'tag' || g % 7]
FROM generate_series(1, 1000) g;

INSERT INTO orders (customer_id, status, total, placed_at)
SELECT 1 + g % 10000, (ARRAY['new', 'paid', 'shipped', 'cancelled'])[1 + g % 4], (g % 1000) * 1.5,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '11 minutes'
FROM generate_series(1, 20000) g;

INSERT INTO order_items (order_id, line_no, product_id, qty)
SELECT 1 + (g - 1) % 20000, 1 + (g - 1) / 20000, 1 + g % 1000, 1 + g % 100
FROM generate_series(1, 50000) g;

ANALYZE;
