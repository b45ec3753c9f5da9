/**
 * The workload report as a person sees it: rendered from a recorded run,
 * opened from a file in headless Chromium (installed by .ci/run), with
 * every chart drawn, nothing fetched and nothing logged as an error.
 */
import { deepStrictEqual, ok } from "node:assert/strict";
import { renderReport } from "../core/workload/report_html.ts";
import { reportData } from "../core/workload/report_data.ts";
import type { WorkloadResult } from "../core/workload/result.ts";
import { CHROMIUM, Chromium, type Page } from "./_chromium.ts";
import { emptyResult, syntheticResult } from "./_workload_fixture.ts";

interface ChartPixels {
  id: string;
  canvases: number;
  total: number;
  /** Pixels not fully transparent. */
  painted: number;
  /** Pixels of a clear hue: series, not the grey of axes and grid. */
  colored: number;
}

/** Reads every chart's canvases back from the page. */
const CHART_PIXELS = `[...document.querySelectorAll(".chart")].map((el) => {
  const canvases = [...el.querySelectorAll("canvas")];
  let total = 0, painted = 0, colored = 0;
  for (const c of canvases) {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    total += c.width * c.height;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] === 0) continue;
      painted++;
      if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) colored++;
    }
  }
  return { id: el.id, canvases: canvases.length, total, painted, colored };
})`;

const count = (n: number) => n.toLocaleString("en-US");

/** Renders `result` into a file of `dir` and opens it; returns the page once its charts are drawn. */
async function open(browser: Chromium, dir: string, name: string, result: WorkloadResult): Promise<Page> {
  const path = `${dir}/${name}.html`;
  await Deno.writeTextFile(path, renderReport(result));
  const page = await browser.newPage(1280, 900);
  await page.goto(`file://${path}`);
  // The charts are drawn by inline scripts, before the load event: by now the page is done or broken.
  const drawn = await page.evaluate("document.documentElement.getAttribute('data-charts-drawn')");
  ok(drawn !== null, `the chart script did not finish: ${page.errors.join("\n")}`);
  return page;
}

/** What a page fetched besides itself: nothing, for a report that must open offline. */
function foreignRequests(page: Page): string[] {
  return page.requests.filter((u) => !u.startsWith("file://") && !u.startsWith("data:"));
}

Deno.test("the workload report opens offline in Chromium with every chart drawn", async (t) => {
  ok(Chromium.available(), `${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  const dir = await Deno.makeTempDir({ prefix: "quarry-report-" });
  let browser: Chromium | undefined;
  try {
    browser = await Chromium.launch();
    const b = browser;

    await t.step("a realistic run", async () => {
      const result = syntheticResult();
      result.find_max = {
        slo: "p99<50ms",
        rate: 200,
        failing: 400,
        steps: [
          { rate: 800, achieved: 800, p99_us: 210_000, miss: "p99 210 ms > 50 ms" },
          { rate: 400, achieved: 398, p99_us: 75_000, miss: "p99 75.0 ms > 50 ms" },
          { rate: 200, achieved: 198, p99_us: 26_900, miss: undefined },
        ],
      };
      const html = renderReport(result);
      // Self-contained: no address at all, so nothing can be fetched, whatever the browser's policy.
      deepStrictEqual(html.match(/https?:\/\/\S{0,40}/gi), null);
      deepStrictEqual(html.match(/<(link|img|iframe)\b|\bsrc=|@import|url\(/gi), null);
      // A statement holding "</script>" ends no script element early.
      deepStrictEqual(html.match(/<script\b/gi)?.length, 3);
      deepStrictEqual(html.match(/<\/script>/gi)?.length, 3);
      const embedded = /<script type="application\/json" id="quarry-data">(.*?)<\/script>/s.exec(html)?.[1];
      deepStrictEqual(JSON.parse(embedded!), JSON.parse(JSON.stringify(reportData(result))));

      const page = await open(b, dir, "run", result);
      deepStrictEqual(page.errors, [], "console errors");
      deepStrictEqual(foreignRequests(page), []);
      deepStrictEqual(await page.evaluate("document.documentElement.getAttribute('data-charts-drawn')"), "6");
      const charts = await page.evaluate<ChartPixels[]>(CHART_PIXELS);
      deepStrictEqual(charts.map((c) => c.id), [
        "chart-throughput",
        "chart-latency",
        "chart-spectrum",
        "chart-mix",
        "chart-error-classes",
        "chart-error-codes",
      ]);
      for (const c of charts) {
        ok(c.canvases === 1 && c.total > 100_000, `${c.id}: ${JSON.stringify(c)}`);
        ok(c.painted > 0.01 * c.total, `${c.id} is blank: ${JSON.stringify(c)}`);
        ok(c.colored > 200, `${c.id} has axes but no series: ${JSON.stringify(c)}`);
      }

      const text = await page.evaluate<string>("document.body.innerText");
      ok(text.includes("Workload report: tpcb-like"), "pattern name");
      for (const n of [result.totals.attempted, result.totals.succeeded, result.totals.failed]) {
        ok(text.includes(count(n)), `total ${count(n)} not on the page`);
      }
      for (const op of result.operations) ok(text.includes(op.name), op.name);
      ok(text.includes("schedule lag p99 reached"), "the client's warning");
      ok(/Rate search[^]*p99<50ms[^]*missed: p99 75\.0 ms > 50 ms/.test(text), "the --find-max steps");
      ok(text.includes("integrity constraint violation"), "the SQLSTATE class's name");
      // Shown as text, not parsed as markup.
      ok(text.includes("</script><b>not markup</b>"), "statement with markup");
      deepStrictEqual(await page.evaluate("document.querySelectorAll('b').length"), 0);
      deepStrictEqual(
        await page.evaluate("document.querySelectorAll('table.ops tbody tr').length"),
        result.operations.length + 1,
      );
    });

    await t.step("a closed loop without failures", async () => {
      const result = syntheticResult({ seconds: 30, closed: true });
      const page = await open(b, dir, "closed", result);
      deepStrictEqual(page.errors, [], "console errors");
      deepStrictEqual(foreignRequests(page), []);
      const charts = await page.evaluate<ChartPixels[]>(CHART_PIXELS);
      deepStrictEqual(charts.map((c) => c.id), [
        "chart-throughput",
        "chart-latency",
        "chart-spectrum",
        "chart-mix",
      ]);
      for (const c of charts) ok(c.colored > 200, `${c.id} has axes but no series: ${JSON.stringify(c)}`);
      const text = await page.evaluate<string>("document.body.innerText");
      ok(text.includes("No errors: every transaction that was sent succeeded"));
      ok(text.includes("The client was saturated"));
      ok(text.includes("closed loop"));
    });

    await t.step("a run that measured nothing", async () => {
      const result = emptyResult();
      const page = await open(b, dir, "empty", result);
      deepStrictEqual(page.errors, [], "console errors");
      deepStrictEqual(foreignRequests(page), []);
      deepStrictEqual(await page.evaluate("document.documentElement.getAttribute('data-charts-drawn')"), "0");
      const text = await page.evaluate<string>("document.body.innerText");
      ok(text.includes("Workload report: empty-run"));
      ok(text.includes("No errors"));
      ok(text.includes("No per-second samples"));
    });
  } finally {
    await browser?.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the report's chart data: gaps where nothing finished, a spectrum rising to the maximum", () => {
  const result = syntheticResult({ seconds: 60 });
  const d = reportData(result);
  const s = d.series!;
  deepStrictEqual(s.t, result.series.map((x) => x.t));
  ok(s.target!.every((v) => v === 200));
  // The stall: seconds in which nothing finished have no latency, rather than a latency of 0.
  const idle = result.series.flatMap((x, i) => x.tps === 0 ? [i] : []);
  ok(idle.length >= 4, `the stall left ${idle.length} empty seconds`);
  for (const i of idle) deepStrictEqual([s.p50[i], s.p99[i], s.max[i]], [null, null, null]);
  ok(s.p99.every((v, i) => v === null || v >= s.p50[i]!));

  const sp = d.spectrum!;
  deepStrictEqual(sp.lines.map((l) => l.name), ["all", ...result.operations.map((o) => o.name)]);
  deepStrictEqual(sp.x[0], 1);
  ok(sp.x.every((x, i) => i === 0 || x > sp.x[i - 1]!));
  deepStrictEqual(sp.x.at(-1), result.overall.response.count);
  const all = sp.lines[0]!.y;
  ok(all.every((v, i) => v !== null && (i === 0 || v >= all[i - 1]!)), "the spectrum never falls");
  const max = result.overall.response.max_us / 1000;
  ok(Math.abs(all.at(-1)! - max) <= max * 0.002, `ends at ${all.at(-1)} ms, the run's maximum is ${max} ms`);
  for (const line of sp.lines.slice(1)) ok(line.y.at(-1) === null, `${line.name} ends where its count does`);

  deepStrictEqual(d.mix!.names, result.operations.map((o) => o.name));
  const e = d.errors!;
  deepStrictEqual(e.codeCounts.reduce((a, b) => a + b, 0), result.totals.failed);
  deepStrictEqual(e.classCounts.reduce((a, b) => a + b, 0), result.totals.failed);
  ok(e.codeCounts.every((n, i) => i === 0 || n <= e.codeCounts[i - 1]!), "most frequent first");

  const empty = reportData(emptyResult());
  deepStrictEqual(empty, {});
});
