/**
 * How `quarry events` shows a run: the live line on a terminal and the
 * closing report (per table and operation, errors with their first
 * statement, latency).
 *
 * @module
 */
import type { EventsSummary } from "../../core/events/summary.ts";

const encoder = new TextEncoder();

/** Rewrites the terminal's status line with the run so far. */
export function eventsProgressLine(s: EventsSummary): void {
  const per = { insert: 0, update: 0, delete: 0 };
  for (const o of s.operations) per[o.operation] += o.attempted;
  const errors = s.errors.slice(0, 3).map((e) => `${e.code}×${e.count}`).join(" ");
  const line = `\r\x1b[2K${s.events} events, ${s.eventsPerSecond}/s, ins ${per.insert} upd ${per.update} ` +
    `del ${per.delete}, ${s.successPercent}% ok${errors ? `, errors ${errors}` : ""}`;
  Deno.stderr.writeSync(encoder.encode(line));
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)].join("\n");
}

/** The closing report. */
export function eventsReport(header: Record<string, string | number>, s: EventsSummary): string {
  const out: string[] = [];
  out.push(
    `events on ${header.database} (schema ${header.schema}, ${header.tables} tables, ` +
      `${header.connections} connection${
        header.connections === 1 ? "" : "s"
      }, pipeline ${header.pipeline}, ` +
      `${header.protocol} statements, sampling ${header.sampling})`,
  );
  out.push(
    `${s.events} events in ${s.seconds} s: ${s.eventsPerSecond} events/s, ${s.succeeded} succeeded ` +
      `(${s.successPercent}%), ${s.failed} failed, ${s.retries} retries, ${s.statements} statements`,
  );
  out.push(
    `latency per statement: p50 ${s.latencyMs.p50} ms, p95 ${s.latencyMs.p95} ms, p99 ${s.latencyMs.p99} ms, ` +
      `max ${s.latencyMs.max} ms`,
  );
  if (s.stopped) out.push(`stopped: ${s.stopped}`);
  out.push("");
  out.push(table(
    ["table", "operation", "attempted", "succeeded", "rows", "retries", "errors"],
    s.operations.map((o) => [
      o.table,
      o.operation,
      String(o.attempted),
      String(o.succeeded),
      String(o.rows),
      String(o.retries),
      o.errors.map((e) => `${e.code}×${e.count}`).join(" ") || "-",
    ]),
  ));
  const failures = s.operations.flatMap((o) => o.errors.map((e) => ({ o, e })));
  if (failures.length > 0) {
    out.push("", "errors (the first statement of each):");
    for (const { o, e } of failures) {
      out.push(
        `  ${o.table} ${o.operation} ${e.code} ×${e.count} [${e.verdict}]: ${e.message.split("\n")[0]}`,
      );
      out.push(`    ${e.sql.length > 300 ? `${e.sql.slice(0, 300)}…` : e.sql}`);
    }
  }
  out.push("", `repeat: --random-seed ${header.random_seed} --faker-seed ${header.faker_seed}`);
  return out.join("\n");
}
