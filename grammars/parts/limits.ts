/**
 * `LIMIT` clauses: how many rows a query or a subquery returns.
 *
 * @example A read of at most 50 rows, limited half of the time
 * ```ts
 * import { template } from "../../core/dsl/grammar.ts";
 * import { maybeLimit } from "./limits.ts";
 * const read = template("SELECT * FROM t{l}", { l: maybeLimit(50, 0.5) });
 * if (typeof read === "string") throw new Error();
 * ```
 *
 * @module
 */
import { type Element, maybe, number, template } from "../../core/dsl/grammar.ts";

/** ` LIMIT n` with n from 1 to `max`. */
export const limitClause = (max: number): Element => template(" LIMIT {n}", { n: number(1, max) });

/** ` LIMIT n` with n from 1 to `max`, with probability `p`. */
export const maybeLimit = (max: number, p: number): Element => maybe(limitClause(max), p);

/** ` LIMIT n` (1–100), now and then with ` OFFSET m` (0–20), with probability `p`. */
export const pagedLimit = (p: number): Element =>
  maybe(
    template(" LIMIT {n}{offset}", {
      n: number(1, 100),
      offset: maybe(template(" OFFSET {o}", { o: number(0, 20) }), 0.2),
    }),
    p,
  );
