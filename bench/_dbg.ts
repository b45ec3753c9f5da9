import { loadParser } from "../core/exec/parser.ts";
import { statementMetadata } from "../core/api/metadata.ts";
await loadParser();
console.log(statementMetadata("INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING RETURNING a", 7));
console.log(
  statementMetadata(
    "WITH x AS (SELECT 1) SELECT a.x, row_number() OVER () FROM t AS a LEFT JOIN s.u AS b ON a.i = b.i CROSS JOIN x WHERE a.y IN (SELECT 1) UNION SELECT 1,2",
    1,
  ),
);
console.log(statementMetadata("BEGIN; UPDATE t SET a = 1 WHERE b > 2 RETURNING *; COMMIT", 2));
