// Small inline SVG charts (no library): vertical bars for a series of days and horizontal
// bars for a funnel or a few figures. Each chart is an <svg role="img"> with a title and a
// description, followed by the same numbers as a table for screen readers and for anyone
// who wants the exact values.
import { h } from '../wizard/dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

let uid = 0;

function frame(title, description, width, height) {
  const id = 'chart-' + (++uid);
  return s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d`,
    class: 'chart', preserveAspectRatio: 'xMidYMid meet' },
  s('title', { id: id + '-t' }, title), s('desc', { id: id + '-d' }, description));
}

function dataTable(caption, headers, rows) {
  return h('details', { class: 'chart-data' }, h('summary', {}, caption),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c, i) => h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, c))))))));
}

// points: [{label, value, text}] (text: the value as people read it). One bar per point.
export function barChart({ title, description, points, tableCaption, headers }) {
  const width = 640;
  const height = 220;
  const pad = { top: 16, right: 32, bottom: 28, left: 32 };
  const max = Math.max(1, ...points.map((p) => p.value));
  const inner = width - pad.left - pad.right;
  const step = inner / Math.max(1, points.length);
  const bar = Math.max(2, step * 0.7);
  const svg = frame(title, description, width, height);
  const plot = height - pad.top - pad.bottom;
  svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom, class: 'axis' }));
  const labelEvery = Math.ceil(points.length / 8);
  points.forEach((p, i) => {
    const x = pad.left + i * step + (step - bar) / 2;
    const hgt = Math.round((p.value / max) * plot);
    svg.append(s('rect', { x: x.toFixed(1), y: height - pad.bottom - hgt, width: bar.toFixed(1), height: Math.max(hgt, p.value ? 1 : 0),
      class: 'bar', rx: 2 }, s('title', {}, `${p.label}: ${p.text}`)));
    if (i % labelEvery === 0) {
      svg.append(s('text', { x: (x + bar / 2).toFixed(1), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, p.short || p.label));
    }
  });
  svg.append(s('text', { x: width - pad.right, y: pad.top, 'text-anchor': 'end', class: 'tick' }, points.length ? `max ${points.find((p) => p.value === max)?.text ?? max}` : ''));
  return h('figure', { class: 'chart-box' }, svg,
    dataTable(tableCaption, headers, points.map((p) => [p.label, ...(p.cells || [p.text])])));
}

// rows: [{label, value, text}]: horizontal bars, longest = the largest value.
export function hbarChart({ title, description, rows, tableCaption, headers }) {
  const width = 640;
  const rowH = 34;
  const labelW = 200;
  const height = rows.length * rowH + 8;
  const max = Math.max(1, ...rows.map((r) => r.value || 0));
  const svg = frame(title, description, width, height);
  rows.forEach((r, i) => {
    const y = 4 + i * rowH;
    const w = Math.round(((r.value || 0) / max) * (width - labelW - 90));
    svg.append(s('text', { x: 0, y: y + 21, class: 'label' }, r.label));
    svg.append(s('rect', { x: labelW, y: y + 6, width: Math.max(w, r.value ? 2 : 0), height: rowH - 12, rx: 3,
      class: 'bar' + (r.tone ? ' ' + r.tone : '') }));
    svg.append(s('text', { x: labelW + w + 8, y: y + 21, class: 'value' }, r.text));
  });
  return h('figure', { class: 'chart-box' }, svg,
    dataTable(tableCaption, headers, rows.map((r) => [r.label, ...(r.cells || [r.text])])));
}

// series: [{name, values: [number], tone}] over the same `labels` (one per point; `short` for
// the axis). One line per series; the first is drawn solid, the others dashed (what it is
// compared with). The table lists each point's values.
export function lineChart({ title, description, labels, short, series, tableCaption, headers, cells }) {
  const width = 640;
  const height = 240;
  const pad = { top: 20, right: 16, bottom: 28, left: 36 };
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = Math.max(1, labels.length - 1);
  const xAt = (i) => pad.left + (i / n) * plotW;
  const yAt = (v) => pad.top + plotH - (v / max) * plotH;
  const svg = frame(title, description, width, height);
  for (const f of [0, 0.5, 1]) {
    const y = yAt(max * f).toFixed(1);
    svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: f ? 'grid' : 'axis' }));
    svg.append(s('text', { x: pad.left - 6, y: Number(y) + 4, 'text-anchor': 'end', class: 'tick' },
      String(Math.round(max * f * 10) / 10)));
  }
  series.forEach((line, k) => {
    const points = line.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    svg.append(s('polyline', { points, class: 'line' + (k ? ' compare' : '') + (line.tone ? ' ' + line.tone : '') },
      s('title', {}, line.name)));
  });
  const labelEvery = Math.ceil(labels.length / 6);
  labels.forEach((_, i) => {
    if (i % labelEvery === 0) {
      svg.append(s('text', { x: xAt(i).toFixed(1), y: height - 8, 'text-anchor': 'middle', class: 'tick' }, short[i]));
    }
  });
  const legend = h('ul', { class: 'chart-legend' }, series.map((line, k) =>
    h('li', { class: 'legend-' + (k ? 'compare' : 'main') }, line.name)));
  return h('figure', { class: 'chart-box' }, svg, legend,
    dataTable(tableCaption, headers, labels.map((label, i) => [label, ...cells(i)])));
}

// groups: [{label, short, values: [number]}], one bar per series in each group (series: names);
// `short` names the group under its bars, `label` in the table.
export function groupedBarChart({ title, description, groups, series, tableCaption, headers }) {
  const width = 640;
  const height = 220;
  const pad = { top: 16, right: 16, bottom: 40, left: 36 };
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const plotH = height - pad.top - pad.bottom;
  const step = (width - pad.left - pad.right) / Math.max(1, groups.length);
  const bar = Math.min(48, (step * 0.8) / Math.max(1, series.length));
  const svg = frame(title, description, width, height);
  svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: height - pad.bottom, y2: height - pad.bottom, class: 'axis' }));
  groups.forEach((g, i) => {
    const left = pad.left + i * step + (step - bar * series.length) / 2;
    g.values.forEach((v, k) => {
      const hgt = Math.round((v / max) * plotH);
      const x = left + k * bar;
      svg.append(s('rect', { x: x.toFixed(1), y: height - pad.bottom - hgt, width: (bar - 4).toFixed(1),
        height: Math.max(hgt, v ? 1 : 0), rx: 2, class: 'bar' + (k ? ' light' : '') },
      s('title', {}, `${g.label}, ${series[k]}: ${v}`)));
      svg.append(s('text', { x: (x + (bar - 4) / 2).toFixed(1), y: height - pad.bottom - hgt - 4,
        'text-anchor': 'middle', class: 'tick' }, String(v)));
    });
    svg.append(s('text', { x: (pad.left + i * step + step / 2).toFixed(1), y: height - 16, 'text-anchor': 'middle',
      class: 'label' }, g.short || g.label));
  });
  const legend = h('ul', { class: 'chart-legend' }, series.map((name, k) =>
    h('li', { class: 'legend-' + (k ? 'light' : 'bar') }, name)));
  return h('figure', { class: 'chart-box' }, svg, legend,
    dataTable(tableCaption, headers, groups.map((g) => [g.label, ...g.values.map(String)])));
}

// A panel with its heading and one chart of the kinds above (chart: barChart, hbarChart,
// lineChart or groupedBarChart) titled as the heading; `more` follows the chart (a note).
// id names the heading, which labels the panel for screen readers.
export function chartCard({ id, chart, more = [], ...options }) {
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, options.title),
    chart(options), ...more);
}
