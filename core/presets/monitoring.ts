/**
 * The `monitoring:` block of a generate config: the settings of its flags
 * (`interval`, `file`, `port`, `progress`) and the alert rules, which have
 * no flag.
 *
 * ```yaml
 * monitoring:
 *   interval: 10s              # --metrics-interval
 *   file: run.metrics.jsonl    # --metrics-file
 *   port: 9464                 # --metrics-port (needs --allow-net=127.0.0.1)
 *   alerts:
 *     - rate_below: 500k       # statements/s
 *       for: 30s               # held this long before it fires [default: one interval]
 *     - rss_above: 4GiB
 *       fatal: true            # stop the run (with a checkpoint where there is one)
 *     - replaced_above: 1%     # rejected share of the uniqueness filter's attempts
 * ```
 *
 * @module
 */
import { type Checker, checkKeys, eg, readBoolean, readString, show } from "../data/_check.ts";
import { isObj, type Obj } from "../data/_spec_model.ts";
import type { PathPart } from "../data/_spec_error.ts";
import { ALERT_KINDS, type AlertKind, type AlertRule } from "../monitor/alerts.ts";
import { parseBytes, parseDuration, parseRate, parseRatio } from "../monitor/units.ts";

/** The block's keys that stand for flags, with the flag each sets. */
export const MONITORING_FLAG_KEYS: Readonly<Record<string, string>> = {
  interval: "metrics-interval",
  file: "metrics-file",
  port: "metrics-port",
  progress: "progress",
};

const ALERT_OPTION_KEYS = ["for", "fatal"];
const KINDS = Object.keys(ALERT_KINDS) as AlertKind[];
const READ: Record<AlertKind, (v: unknown) => number | string> = {
  rate_below: parseRate,
  rss_above: parseBytes,
  replaced_above: parseRatio,
};

/** What the block sets. */
export interface MonitoringSettings {
  /** Flag values by long flag name. */
  flags: Record<string, string | boolean>;
  /** Where each flag's value was written, as a path into the config. */
  paths: Map<string, readonly PathPart[]>;
  rules: AlertRule[];
}

/**
 * Reads `obj.monitoring`, reporting problems into `c`.
 *
 * @param where Turns a path into `file:line:column` for an alert's origin.
 */
export function readMonitoring(
  c: Checker,
  obj: Obj,
  where: (path: readonly PathPart[]) => string | undefined,
): MonitoringSettings {
  const out: MonitoringSettings = { flags: {}, paths: new Map(), rules: [] };
  const block = obj.monitoring;
  if (block === undefined || block === null) return out;
  const at = ["monitoring"];
  if (!isObj(block)) {
    c.reportValue(at, `must be a mapping of interval, file, port, progress and alerts, not ${show(block)}`);
    return out;
  }
  checkKeys(c, block, at, [...Object.keys(MONITORING_FLAG_KEYS), "alerts"], "monitoring", "interval: 10s");
  const set = (key: string, value: string | boolean) => {
    out.flags[MONITORING_FLAG_KEYS[key]!] = value;
    out.paths.set(MONITORING_FLAG_KEYS[key]!, [...at, key]);
  };
  if (block.interval !== undefined) {
    const s = parseDuration(block.interval);
    if (typeof s === "string") c.reportValue([...at, "interval"], `must be ${s}`);
    else set("interval", `${s}s`);
  }
  const file = readString(c, block, "file", at, "file: run.metrics.jsonl");
  if (file !== undefined) set("file", file);
  if (block.port !== undefined) {
    const p = block.port;
    if (typeof p === "number" && Number.isInteger(p) && p >= 0 && p <= 65535) set("port", String(p));
    else {c.reportValue(
        [...at, "port"],
        `must be a TCP port from 0 to 65535, not ${show(p)}, e.g. port: 9464`,
      );}
  }
  if (readBoolean(c, block, "progress", at, "progress: true") === true) set("progress", true);
  if (block.alerts !== undefined && block.alerts !== null) {
    if (!Array.isArray(block.alerts)) {
      c.reportValue(
        [...at, "alerts"],
        `must be a list of rules, not ${show(block.alerts)}, e.g. alerts: [{ rate_below: 500k, for: 30s }]`,
      );
    } else {
      block.alerts.forEach((item, i) => {
        const rule = readRule(c, item, [...at, "alerts", i], where);
        if (rule) out.rules.push(rule);
      });
    }
  }
  return out;
}

function readRule(
  c: Checker,
  item: unknown,
  at: PathPart[],
  where: (path: readonly PathPart[]) => string | undefined,
): AlertRule | undefined {
  const example = "{ rate_below: 500k, for: 30s, fatal: true }";
  if (!isObj(item)) {
    c.reportValue(at, `an alert must be a mapping, not ${show(item)}${eg(example)}`);
    return undefined;
  }
  checkKeys(c, item, at, [...KINDS, ...ALERT_OPTION_KEYS], "an alert", example);
  const kinds = KINDS.filter((k) => item[k] !== undefined);
  if (kinds.length !== 1) {
    c.report(
      at,
      kinds.length === 0
        ? `an alert needs one of ${KINDS.join(", ")}${eg(example)}`
        : `an alert watches one figure, not ${kinds.join(" and ")}: give each its own rule`,
      { path: at, part: "value" },
    );
    return undefined;
  }
  const kind = kinds[0]!;
  const threshold = READ[kind](item[kind]);
  let ok = true;
  if (typeof threshold === "string") {
    c.reportValue([...at, kind], `must be ${threshold}${eg(ALERT_KINDS[kind].example)}`);
    ok = false;
  }
  let forSeconds = 0;
  if (item.for !== undefined) {
    const s = parseDuration(item.for);
    if (typeof s === "string") {
      c.reportValue([...at, "for"], `must be ${s}`);
      ok = false;
    } else forSeconds = s;
  }
  const fatal = readBoolean(c, item, "fatal", at, "fatal: true");
  if (!ok || typeof threshold === "string" || (item.fatal !== undefined && fatal === undefined)) {
    return undefined;
  }
  const origin = where([...at, kind]);
  return { kind, threshold, forSeconds, fatal: fatal === true, ...(origin ? { origin } : {}) };
}
