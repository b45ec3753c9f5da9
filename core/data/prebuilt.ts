/**
 * The specs shipped with Quarry (`configs/data/*.yaml`), for `quarry data
 * --spec NAME` and `quarry data specs`. The YAML files are the source; they
 * are imported as text, so using them needs no read permission and they
 * travel inside a bundle or compiled binary.
 *
 * @module
 */
import accounts from "../../configs/data/accounts.yaml" with { type: "text" };
import customers from "../../configs/data/customers.yaml" with { type: "text" };
import devices from "../../configs/data/devices.yaml" with { type: "text" };
import ecommerce from "../../configs/data/ecommerce.yaml" with { type: "text" };
import employees from "../../configs/data/employees.yaml" with { type: "text" };
import events from "../../configs/data/events.yaml" with { type: "text" };
import hr from "../../configs/data/hr.yaml" with { type: "text" };
import invoices from "../../configs/data/invoices.yaml" with { type: "text" };
import iot from "../../configs/data/iot.yaml" with { type: "text" };
import orderItems from "../../configs/data/order_items.yaml" with { type: "text" };
import orders from "../../configs/data/orders.yaml" with { type: "text" };
import payments from "../../configs/data/payments.yaml" with { type: "text" };
import products from "../../configs/data/products.yaml" with { type: "text" };
import reviews from "../../configs/data/reviews.yaml" with { type: "text" };
import saas from "../../configs/data/saas.yaml" with { type: "text" };
import sensorReadings from "../../configs/data/sensor_readings.yaml" with { type: "text" };
import sessions from "../../configs/data/sessions.yaml" with { type: "text" };
import shipments from "../../configs/data/shipments.yaml" with { type: "text" };
import transactions from "../../configs/data/transactions.yaml" with { type: "text" };
import users from "../../configs/data/users.yaml" with { type: "text" };
import webLogs from "../../configs/data/web_logs.yaml" with { type: "text" };
import { didYouMean } from "./_spec_error.ts";
import { normalizeSpec, type TableRows } from "./normalize_spec.ts";
import { parseSpec } from "./parse_spec.ts";
import type { DataSpec } from "./spec.ts";

const TEXTS: Record<string, string> = {
  accounts,
  customers,
  devices,
  ecommerce,
  employees,
  events,
  hr,
  invoices,
  iot,
  order_items: orderItems,
  orders,
  payments,
  products,
  reviews,
  saas,
  sensor_readings: sensorReadings,
  sessions,
  shipments,
  transactions,
  users,
  web_logs: webLogs,
};

/**
 * Names of the prebuilt specs, sorted.
 *
 * @example Listing the prebuilt specs
 * ```ts
 * import { prebuiltSpecNames } from "./prebuilt.ts";
 * if (!prebuiltSpecNames().includes("ecommerce")) throw new Error();
 * ```
 */
export function prebuiltSpecNames(): string[] {
  return Object.keys(TEXTS).sort();
}

/**
 * The YAML text of a prebuilt spec, comments included.
 *
 * @param name A name from {@link prebuiltSpecNames}.
 * @throws {RangeError} For an unknown name (the message suggests the nearest).
 *
 * @example Showing a spec to copy
 * ```ts
 * import { prebuiltSpecText } from "./prebuilt.ts";
 * if (!prebuiltSpecText("orders").includes("name: orders")) throw new Error();
 * ```
 */
export function prebuiltSpecText(name: string): string {
  const text = Object.hasOwn(TEXTS, name) ? TEXTS[name] : undefined;
  if (text === undefined) {
    throw new RangeError(`Unknown prebuilt spec "${name}"${didYouMean(name, prebuiltSpecNames())}`);
  }
  return text;
}

/**
 * A prebuilt spec, parsed and validated.
 *
 * @param name A name from {@link prebuiltSpecNames}.
 * @throws {RangeError} For an unknown name.
 *
 * @example Reading a prebuilt spec
 * ```ts
 * import { prebuiltSpec } from "./prebuilt.ts";
 * const spec = prebuiltSpec("orders");
 * if (!spec.tables.orders) throw new Error();
 * ```
 */
export function prebuiltSpec(name: string): DataSpec {
  return parseSpec(prebuiltSpecText(name), `configs/data/${name}.yaml`);
}

function describeRows(rows: TableRows): string {
  switch (rows.kind) {
    case "fixed":
      return String(rows.rows);
    case "default":
      return "--rows";
    case "one_to_one":
      return `1 per ${rows.parent}`;
    case "per_parent": {
      const p = rows.perParent;
      return "exactly" in p ? `${p.exactly} per ${rows.parent}` : `${p.min}-${p.max} per ${rows.parent}`;
    }
  }
}

/**
 * One line for `quarry data specs`: the tables in generation order, each
 * with its row count (`--rows` where the command line decides).
 *
 * @param name A name from {@link prebuiltSpecNames}.
 * @returns E.g. `orders (--rows)` or `customers (--rows), orders (0-8 per customers), ...`.
 *
 * @example A summary
 * ```ts
 * import { prebuiltSummary } from "./prebuilt.ts";
 * if (prebuiltSummary("orders") !== "orders (--rows)") throw new Error();
 * ```
 */
export function prebuiltSummary(name: string): string {
  const spec = normalizeSpec(prebuiltSpec(name));
  return spec.tables.map((t) => `${t.name} (${describeRows(t.rows)})`).join(", ");
}
