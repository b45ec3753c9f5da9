// The workload report's charts. This file runs in the browser, not in Deno: report_html.ts inlines it
// after uPlot and the JSON that report_data.ts computed, into a page that must open offline, so it uses
// nothing but uPlot and the DOM. A chart is drawn only where the page has its element: the page leaves
// out the element (and says why) when a chart would have nothing to show.
/* global uPlot */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("quarry-data").textContent);
  const COLORS = {
    tps: "#2563eb",
    target: "#9ca3af",
    failed: "#dc2626",
    p50: "#16a34a",
    p95: "#ca8a04",
    p99: "#ea580c",
    max: "#7c3aed",
    lag: "#0891b2",
    ok: "#16a34a",
  };
  const PALETTE = ["#111827", "#2563eb", "#16a34a", "#ea580c", "#7c3aed", "#0891b2", "#ca8a04", "#db2777"];
  const HEIGHT = 300;
  const charts = [];

  /** Milliseconds as a person reads them: µs below 1 ms, s above 1 s. */
  function fmtMs(v) {
    if (v == null || !isFinite(v)) return "–";
    if (v < 1) return (v * 1000).toFixed(v < 0.01 ? 1 : 0) + " µs";
    if (v < 1000) return (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) + " ms";
    return (v / 1000).toFixed(2) + " s";
  }

  function fmtCount(v) {
    return v == null || !isFinite(v) ? "–" : Math.round(v).toLocaleString("en-US");
  }

  /** 1 / (1 - q) as the quantile q in percent: 10 is 90 %, 1000 is 99.9 %. */
  function fmtQuantile(x) {
    if (x == null || !isFinite(x)) return "–";
    if (x <= 1) return "0%";
    const digits = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2);
    return (100 - 100 / x).toFixed(digits) + "%";
  }

  function widthOf(el) {
    return Math.max(320, Math.floor(el.getBoundingClientRect().width));
  }

  /** One chart that cannot be drawn says so in its place and in the console; the others are still drawn. */
  function failed(id, e) {
    const el = document.getElementById(id);
    if (el) el.textContent = "This chart could not be drawn: " + (e && e.message ? e.message : String(e));
    console.error("chart " + id + ":", e);
  }

  function mount(id, opts, columns) {
    const el = document.getElementById(id);
    if (!el) return;
    opts.width = widthOf(el);
    opts.height = opts.height || HEIGHT;
    charts.push({ el: el, plot: new uPlot(opts, columns, el) });
  }

  function attempt(id, draw) {
    try {
      draw();
    } catch (e) {
      failed(id, e);
    }
  }

  function line(label, color, extra) {
    const s = { label: label, stroke: color, width: 1.5, points: { show: false } };
    return Object.assign(s, extra || {});
  }

  /** A y axis whose ticks are counted things. */
  function countAxis(label) {
    return { label: label, size: 70, values: (_u, splits) => splits.map(fmtCount) };
  }

  /** A logarithmic axis of milliseconds, so a stall's maximum and an ordinary median both stay visible. */
  function msAxis(label, scale) {
    return { label: label, scale: scale, size: 70, values: (_u, splits) => splits.map(fmtMs) };
  }

  // Whole seconds only: the series has one point a second, and a short run would otherwise get 1.2, 1.4 …
  const secondsAxis = {
    label: "seconds since the measured part began",
    incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400],
  };
  const sync = { key: "quarry-time" };

  function throughput(s) {
    const series = [{ label: "t (s)" }, line("tps", COLORS.tps, { value: (_u, v) => fmtCount(v) })];
    const columns = [s.t, s.tps];
    if (s.target) {
      series.push(line("target", COLORS.target, { dash: [6, 4], value: (_u, v) => fmtCount(v) }));
      columns.push(s.target);
    }
    series.push(line("failed/s", COLORS.failed, { value: (_u, v) => fmtCount(v) }));
    columns.push(s.failed);
    mount("chart-throughput", {
      series: series,
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [secondsAxis, countAxis("transactions per second")],
      cursor: { sync: sync },
    }, columns);
  }

  function latency(s) {
    const v = (_u, x) => fmtMs(x);
    const series = [
      { label: "t (s)" },
      line("p50", COLORS.p50, { scale: "ms", value: v }),
      line("p95", COLORS.p95, { scale: "ms", value: v }),
      line("p99", COLORS.p99, { scale: "ms", value: v }),
      line("max", COLORS.max, { scale: "ms", value: v, width: 1 }),
    ];
    const columns = [s.t, s.p50, s.p95, s.p99, s.max];
    if (s.lag) {
      series.push(line("lag p99", COLORS.lag, { scale: "ms", value: v, dash: [4, 3] }));
      columns.push(s.lag);
    }
    mount("chart-latency", {
      series: series,
      scales: { x: { time: false }, ms: { distr: 3 } },
      axes: [secondsAxis, msAxis("response time (log scale)", "ms")],
      cursor: { sync: sync },
    }, columns);
  }

  function spectrum(sp) {
    const last = sp.x[sp.x.length - 1];
    const series = [{ label: "percentile", value: (_u, x) => fmtQuantile(x) }];
    const columns = [sp.x];
    sp.lines.forEach((l, i) => {
      series.push(line(l.name, PALETTE[i % PALETTE.length], {
        scale: "ms",
        value: (_u, x) => fmtMs(x),
        width: i === 0 ? 2.5 : 1.25,
      }));
      columns.push(l.y);
    });
    mount("chart-spectrum", {
      series: series,
      scales: {
        x: { time: false, distr: 3, range: () => [1, Math.max(10, last)] },
        // Logarithmic, like the timeline: the body (milliseconds) and the tail (a stall's seconds) both show.
        ms: { distr: 3 },
      },
      axes: [
        {
          label: "percentile",
          splits: (_u, _i, _min, max) => {
            const out = [];
            for (let x = 1; x <= max * 1.0001; x *= 10) out.push(x);
            return out;
          },
          values: (_u, splits) => splits.map(fmtQuantile),
        },
        msAxis("response time (log scale)", "ms"),
      ],
    }, columns);
  }

  /** Bars over named categories: x is the category's index, its axis tick the name. */
  function bars(id, xLabel, names, groups, yLabel) {
    const n = groups.length;
    const series = [{ label: xLabel, value: (_u, i) => (i == null ? "–" : names[i]) }];
    const columns = [names.map((_, i) => i)];
    groups.forEach((g, k) => {
      // Groups sit side by side around the category's tick: left of it, on it, or right of it.
      const align = n === 1 ? 0 : k === 0 ? -1 : 1;
      series.push({
        label: g.label,
        stroke: g.color,
        fill: g.color + "cc",
        width: 1,
        points: { show: false },
        value: (_u, v) => fmtCount(v),
        paths: uPlot.paths.bars({ size: [n === 1 ? 0.6 : 0.35, 90], align: align }),
      });
      columns.push(g.values);
    });
    mount(id, {
      series: series,
      scales: {
        x: { time: false, range: () => [-0.5, names.length - 0.5] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          splits: () => names.map((_, i) => i),
          values: (_u, splits) =>
            splits.map((i) => (Number.isInteger(i) && names[i] !== undefined ? names[i] : "")),
          grid: { show: false },
        },
        countAxis(yLabel),
      ],
      cursor: { points: { show: false } },
      height: 260,
    }, columns);
  }

  const s = data.series;
  if (s) {
    attempt("chart-throughput", () => throughput(s));
    attempt("chart-latency", () => latency(s));
  }
  if (data.spectrum) attempt("chart-spectrum", () => spectrum(data.spectrum));
  const mix = data.mix;
  if (mix) {
    attempt("chart-mix", () =>
      bars("chart-mix", "operation", mix.names, [
        { label: "succeeded", color: COLORS.ok, values: mix.succeeded },
        { label: "failed", color: COLORS.failed, values: mix.failed },
      ], "transactions"));
  }
  const errors = data.errors;
  if (errors && errors.classes.length > 0) {
    attempt("chart-error-classes", () =>
      bars("chart-error-classes", "class", errors.classes, [
        { label: "failures", color: COLORS.failed, values: errors.classCounts },
      ], "failures"));
  }
  if (errors && errors.codes.length > 0) {
    attempt("chart-error-codes", () =>
      bars("chart-error-codes", "SQLSTATE", errors.codes, [
        { label: "failures", color: COLORS.failed, values: errors.codeCounts },
      ], "failures"));
  }

  let pending = 0;
  addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const c of charts) c.plot.setSize({ width: widthOf(c.el), height: c.plot.height });
    });
  });
  // Tells a headless browser (the report's test, the screenshot script) that drawing is over.
  document.documentElement.setAttribute("data-charts-drawn", String(charts.length));
})();
