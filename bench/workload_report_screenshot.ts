/**
 * Writes the README's picture of the workload report: the report of a
 * simulated five-minute run (tests/_workload_fixture.ts, the same one the
 * report's test opens), rendered, opened in headless Chromium and captured
 * as one full-page PNG.
 *
 * Usage: deno run --allow-read --allow-write --allow-run=/usr/bin/chromium --allow-net=127.0.0.1
 *          bench/workload_report_screenshot.ts [OUTPUT]   (default docs/workload_report.png)
 *
 * @module
 */
import { renderReport } from "../core/workload/report_html.ts";
import { Chromium } from "../tests/_chromium.ts";
import { syntheticResult } from "../tests/_workload_fixture.ts";

/** Wide enough for the per-operation table to fit without scrolling. */
const WIDTH = 1400;

const root = new URL("../", import.meta.url);
const output = new URL(Deno.args[0] ?? "docs/workload_report.png", root);
const dir = await Deno.makeTempDir({ prefix: "quarry-report-shot-" });
const browser = await Chromium.launch();
try {
  const path = `${dir}/report.html`;
  await Deno.writeTextFile(path, renderReport(syntheticResult()));
  const page = await browser.newPage(WIDTH, 900);
  await page.goto(`file://${path}`);
  await page.waitFor("document.documentElement.getAttribute('data-charts-drawn')");
  if (page.errors.length > 0) throw new Error(`the report logged errors:\n${page.errors.join("\n")}`);
  const png = await page.screenshot(WIDTH);
  await Deno.mkdir(new URL(".", output), { recursive: true });
  await Deno.writeFile(output, png);
  console.log(`${output.pathname}: ${png.length} bytes`);
} finally {
  await browser.close();
  await Deno.remove(dir, { recursive: true });
}
