/**
 * The data spec model: what `quarry data` generates. A spec is plain data
 * (YAML, JSON or a TypeScript object): tables → columns → `{ method, ...args }`.
 * `parseSpec` (core/data/parse_spec.ts) turns text into this model with
 * teaching errors; `compileSpec` (core/data/compile.ts) turns the model into
 * kernel value operations (core/values/).
 *
 * Row `i` of table `t` is a pure function of (spec, seed, t, i).
 *
 * @module
 */

/** A whole spec: one or more tables, generated parents first. */
export interface DataSpec {
  /** Shown by `data specs`; optional in user specs. */
  name?: string;
  description?: string;
  /** Default locale for faker-built vocabularies (`en` when absent). */
  locale?: string;
  /** Tables in any order; FK order is derived. */
  tables: Record<string, TableSpec>;
}

/** One table. */
export interface TableSpec {
  /**
   * Rows to generate. Absent on a table whose rows follow from a foreign key's
   * `per_parent` or `one_to_one`; otherwise defaults to `--rows` (1000).
   */
  rows?: number;
  /** SQL schema to create the table in (unqualified when absent). */
  schema?: string;
  /** Output column order is this object's key order. */
  columns: Record<string, ColumnSpec>;
  /** Primary key columns (unique by construction: see `unique_ids`, FK ordinals). */
  primary_key?: string[];
  /** UNIQUE constraints (each a list of columns). */
  unique?: string[][];
  /** Multi-column and table-level foreign keys; single ones may sit on the column (`method: reference`). */
  foreign_keys?: ForeignKeySpec[];
  /** CHECK constraints created with the table (kept true by the columns' ranges). */
  checks?: string[];
}

/** A probability distribution over a numeric, date or key range. */
export type Distribution =
  | { type: "uniform" }
  | { type: "normal"; mean?: number; stddev: number }
  | { type: "lognormal"; mu: number; sigma: number }
  | { type: "exponential"; rate: number }
  | { type: "poisson"; lambda: number }
  | { type: "zipf"; exponent: number }
  /** Weights over equal-width buckets of the range, in order. */
  | { type: "weighted"; weights: number[] };

/** Keys every column may carry. */
export interface ColumnCommon {
  /** Fraction of rows where the column is NULL (0 to 1). */
  null_fraction?: number;
  /** SQL type for DDL and typed outputs; inferred from the method when absent. */
  type?: string;
  /** NOT NULL in DDL (default: true unless `null_fraction` > 0). */
  not_null?: boolean;
  /** Faker locale for vocabulary methods (the spec's `locale` when absent). */
  locale?: string;
}

/** A scalar written in a spec: distincts, tuple members, correlation keys. */
export type SpecValue = string | number | boolean | null;

/** One column's generator. */
export type ColumnSpec =
  & ColumnCommon
  & (
    | { method: "integers"; min: number; max: number; distribution?: Distribution }
    | { method: "floats"; min: number; max: number; round?: number; distribution?: Distribution }
    | { method: "booleans"; true_probability?: number }
    | { method: "nulls" }
    | {
      method: "distincts";
      /** A list (equal weights) or value → weight. */
      values: SpecValue[] | Record<string, number>;
    }
    | {
      /** A value chosen by another column's value (device → os). */
      method: "correlated";
      /** The column whose value selects the list (a distincts, tuples member or correlated column). */
      on: string;
      /** For each value of `on`: a list or value → weight. */
      map: Record<string, SpecValue[] | Record<string, number>>;
      /** Used for a value of `on` that `map` lacks; without it such a value is a spec error. */
      default?: SpecValue[] | Record<string, number>;
    }
    | {
      /** Several columns drawn together; this column is the first of `columns`. */
      method: "tuples";
      columns: string[];
      values: { tuple: SpecValue[]; weight?: number }[];
    }
    | {
      method: "unique_ids";
      kind: "sequential" | "uuid4" | "uuid7" | "hash";
      /** sequential: text before the number, e.g. `C-`. */
      prefix?: string;
      /** sequential: zero-pad the number to this many digits. */
      width?: number;
      /** sequential: the first value (default 1). */
      start?: number;
      /** hash: characters (default 16). */
      length?: number;
      /** hash: `hex` (default), `base36` or `base62`. */
      alphabet?: "hex" | "base36" | "base62";
      /** uuid7: the time range its timestamps cover (ISO), in row order. */
      from?: string;
      to?: string;
    }
    | {
      method: "dates" | "timestamps";
      /** ISO date (`2024-05-01`) or timestamp (`2024-05-01 13:45:10`, `T` and a zone allowed), inclusive. */
      min: string;
      max: string;
      distribution?: Distribution;
      /** `sql` (default: `2024-05-01 13:45:10`), `iso` (`2024-05-01T13:45:10Z`), `epoch`, `epoch_ms`, or a strftime subset (%Y %m %d %H %M %S %j %%). */
      format?: string;
      /** Increasing with the row index (event logs, creation times); cannot be combined with `distribution`. */
      ordered?: boolean;
      after?: undefined;
    }
    | {
      method: "dates" | "timestamps";
      /**
       * Derived from another `dates`/`timestamps` column of the same row: that
       * value plus a lag of `min_lag` to `max_lag` units (inclusive, whole
       * numbers >= 0), so `ship_date >= order_date` always holds.
       * `unit` defaults to `days` (the only unit `dates` accepts). When the
       * other column is NULL, so is this one. The range comes from the lag, so
       * `min`, `max`, `distribution` and `ordered` are not allowed here.
       */
      after: {
        column: string;
        unit?: "seconds" | "minutes" | "hours" | "days";
        min_lag: number;
        max_lag: number;
        /** Over the lag range (uniform when absent). */
        distribution?: Distribution;
      };
      format?: string;
      min?: undefined;
      max?: undefined;
      distribution?: undefined;
      ordered?: undefined;
    }
    | { method: "pattern"; pattern: string }
    | {
      method: FakerMethod;
      /** email: the name column it is derived from (first_name/last_name/full_name). */
      from?: string;
      /** email: domains to use (faker's free-mail domains when absent). */
      domains?: string[];
    }
    | {
      /** An expression over the row's other columns, e.g. `quantity * unit_price`. */
      method: "derived";
      expression: string;
      round?: number;
    }
    | {
      /**
       * The child's 1-based position among the children of its `per_parent`
       * parent (`line_no` of an order's items), so that the parent key plus
       * this column can be a primary key. Needs a `per_parent` foreign key in
       * the table.
       */
      method: "ordinal";
    }
    | {
      /** Shorthand for a single-column foreign key; see {@link ForeignKeySpec}. */
      method: "reference";
      table: string;
      column: string;
    } & ForeignKeyOptions
  );

/** Vocabulary methods built from faker ahead of time. */
export type FakerMethod =
  | "first_name"
  | "last_name"
  | "full_name"
  | "email"
  | "phone"
  | "street_address"
  | "city"
  | "country"
  | "country_code"
  | "company"
  | "job_title"
  | "product_name"
  | "word"
  | "sentence"
  | "ipv4"
  | "ipv6"
  | "user_agent";

/** The faker methods, in the order of {@link FakerMethod}. */
export const FAKER_METHODS: readonly FakerMethod[] = [
  "first_name",
  "last_name",
  "full_name",
  "email",
  "phone",
  "street_address",
  "city",
  "country",
  "country_code",
  "company",
  "job_title",
  "product_name",
  "word",
  "sentence",
  "ipv4",
  "ipv6",
  "user_agent",
];

/** Locales a spec or column may name: @faker-js/faker 10.6's, without its `base`. */
export const LOCALES: readonly string[] = (
  "af_ZA ar az bn_BD cs_CZ cy da de de_AT de_CH dv el en en_AU en_AU_ocker en_BORK en_CA en_GB en_GH en_HK " +
  "en_IE en_IN en_NG en_NP en_US en_ZA eo es es_MX fa fi fr fr_BE fr_CA fr_CH fr_LU fr_SN he hr hu hy id_ID " +
  "it ja ka_GE ko ku_ckb ku_kmr_latin lv mk mn_MN_cyrl nb_NO ne nl nl_BE pl pt_BR pt_PT ro ro_MD ru sk sl_SI " +
  "sr_RS_latin sv ta_IN th tr uk ur uz_UZ_latin vi yo_NG zh_CN zh_TW zu_ZA"
).split(" ");

/** Names of every method, for validation and suggestions. */
export const METHODS: readonly string[] = [
  "integers",
  "floats",
  "booleans",
  "nulls",
  "distincts",
  "correlated",
  "tuples",
  "unique_ids",
  "dates",
  "timestamps",
  "pattern",
  "derived",
  "reference",
  "ordinal",
  ...FAKER_METHODS,
];

/** How children pick their parents. */
export interface ForeignKeyOptions {
  /** Which parents are referenced how often (uniform when absent; zipf = hot parents). */
  distribution?: Distribution;
  /**
   * Children per parent: the child table's rows follow from the parents'
   * (then `rows` must be absent). At most one foreign key of a table has it.
   */
  per_parent?: { exactly: number } | { min: number; max: number; distribution?: Distribution };
  /** Exactly one child per parent, child row i referencing parent row i. */
  one_to_one?: boolean;
  /**
   * Within one `per_parent` parent, never the same parent of this key twice:
   * a many-to-many link table without duplicate pairs.
   */
  distinct?: boolean;
  /**
   * Children reference only parents created near them: child row i picks among
   * the `rows` parents created before its position in the parent table
   * (parents and children advance together in row order).
   */
  window?: { rows: number };
}

/** A foreign key, single or composite. */
export interface ForeignKeySpec extends ForeignKeyOptions {
  /** The child columns; those not declared in `columns` are added after them. */
  columns: string[];
  references: { table: string; columns: string[] };
  /** Fraction of rows whose key is NULL (its columns must then be nullable). */
  null_fraction?: number;
}
