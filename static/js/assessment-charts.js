// The assessment dashboards: each chart is drawn with ECharts (static/vendor/echarts) from a JSON blob that
// the page writes with json_script; a table of the same numbers sits below every chart, so the page reads
// without JavaScript too. A refresh under way is watched through its progress endpoint.
(function () {
  "use strict";

  function blob(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  const locale = (document.documentElement.lang || "").toLowerCase().startsWith("zh") ? "ZH" : "EN";
  // Tooltips drawn in the canvas: ECharts' HTML tooltips carry inline style attributes, which the pages'
  // Content-Security-Policy does not allow (liaison/csp.py).
  const tooltip = (trigger) => ({ trigger, renderMode: "richText" });

  function barOption(data) {
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 16, bottom: 72 },
      tooltip: tooltip("axis"),
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: 45 } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ type: "bar", data: data.values, itemStyle: { color: "#b02a37" } }],
    };
  }

  function trendOption(data) {
    return {
      animation: false,
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      tooltip: tooltip("axis"),
      legend: { top: 0 },
      xAxis: { type: "category", data: data.labels },
      yAxis: { type: "value", min: 0, max: 100 },
      series: data.series.map((line) => ({ type: "line", name: line.name, data: line.values, connectNulls: false })),
    };
  }

  function draw(element) {
    const data = blob(element.dataset.chartData);
    if (!data || !window.echarts) return;
    const chart = window.echarts.init(element, null, { renderer: "canvas", locale });
    chart.setOption(element.dataset.chart === "trend" ? trendOption(data) : barOption(data));
    window.addEventListener("resize", () => chart.resize());
  }

  function watchRefresh(box) {
    const bar = box.querySelector("progress");
    const label = box.querySelector("[data-refresh-percent]");
    const poll = () => {
      // Background polling: it does not keep the reader signed in (accounts/sessions.py).
      fetch(box.dataset.refreshProgress, { credentials: "same-origin", headers: { "X-Background-Poll": "1" } })
        .then((response) => response.json())
        .then((state) => {
          if (!state.running) {
            window.location.reload();
            return;
          }
          bar.value = state.percent;
          label.textContent = `${state.percent}%`;
          window.setTimeout(poll, 2000);
        })
        .catch(() => window.setTimeout(poll, 5000));
    };
    window.setTimeout(poll, 1500);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-chart]").forEach(draw);
    const refreshing = document.querySelector("[data-refresh-progress]");
    if (refreshing) watchRefresh(refreshing);
  });
})();
