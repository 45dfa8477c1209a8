// Small inline SVG charts (no library): vertical bars for a series of days, horizontal bars
// for a funnel or a few figures, lines, and grouped bars. Each chart is an <svg role="img">
// with a title and a description, followed by the same numbers as a table for screen
// readers and for anyone who wants the exact values.
//
// A chart is drawn for the width it has on screen, one SVG unit to one pixel, and drawn
// again when that width changes: its text keeps its CSS size (12 and 14 px) on a phone
// instead of shrinking with the picture, and every label is placed inside the chart, the
// axis labels spaced so that none covers another. Where labels do not fit beside their bars
// they go above them. Numbers arrive formatted (options.format) in the page's language.
import { h } from '../wizard/dom.js';

const NS = 'http://www.w3.org/2000/svg';
// the CSS sizes of the chart's text classes (dashboard.css, svg.chart): what a label takes
const FONT = { tick: [12, 400], label: [14, 400], value: [14, 600], hint: [12, 400] };
const LINE = 18; // a label's line height in rows of text
const EDGE = 2; // room at the chart's sides: a glyph may reach a pixel past its text's start

function s(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children)
    if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

let canvas = null;
// The width `text` takes in class `cls`, in the page's own font.
function widthOf(text, cls) {
  canvas = canvas || document.createElement('canvas');
  const c = canvas.getContext('2d');
  const [size, weight] = FONT[cls];
  c.font = `${weight} ${size}px ${getComputedStyle(document.documentElement).fontFamily}`;
  return Math.ceil(c.measureText(String(text)).width);
}

const clamp = (v, lo, hi) => Math.max(lo, Math.min(hi, v));

let uid = 0;

// A figure whose chart draw(svg, width) fills for its width (returning the height it used),
// drawn again whenever the figure's width changes. `after` follow the chart (legend, table).
function responsive(title, description, draw, ...after) {
  const id = 'chart-' + ++uid;
  const figure = h('figure', { class: 'chart-box' });
  let svg = null;
  let drawn = 0;
  const render = (available) => {
    const width = Math.max(240, Math.floor(available));
    if (width === drawn) return;
    drawn = width;
    const next = s(
      'svg',
      { role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart' },
      s('title', { id: id + '-t' }, title),
      s('desc', { id: id + '-d' }, description),
    );
    const height = Math.ceil(draw(next, width));
    next.setAttribute('viewBox', `0 0 ${width} ${height}`);
    next.setAttribute('width', width);
    next.setAttribute('height', height);
    if (svg) svg.replaceWith(next);
    else figure.prepend(next);
    svg = next;
  };
  render(640); // until the page lays it out
  new ResizeObserver((entries) => {
    const w = entries[entries.length - 1].contentRect.width;
    if (w > 0) render(w);
  }).observe(figure);
  figure.append(...after);
  return figure;
}

function dataTable(caption, headers, rows) {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, caption),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            headers.map((x) => h('th', { scope: 'col' }, x)),
          ),
        ),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h(
              'tr',
              {},
              r.map((c, i) => h(i ? 'td' : 'th', i ? {} : { scope: 'row' }, c)),
            ),
          ),
        ),
      ),
    ),
  );
}

// Labels along the x axis at `xs` (centres), each kept inside 0..width; one that would touch
// the one before is left out (the table has every point).
function xLabels(svg, width, y, items) {
  let right = -Infinity;
  for (const { x, text } of items) {
    const w = widthOf(text, 'tick');
    const centre = clamp(x, w / 2 + EDGE, width - w / 2 - EDGE);
    if (centre - w / 2 < right + 8) continue;
    svg.append(s('text', { x: centre.toFixed(1), y, 'text-anchor': 'middle', class: 'tick' }, text));
    right = centre + w / 2;
  }
}

// A top for the value axis that halves into whole numbers when the values are whole: 3 → 4.
function axisTop(values) {
  const max = Math.max(1, ...values);
  return values.every(Number.isInteger) && max % 2 ? max + 1 : max;
}

// The words of `label` (and its technical `hint`, smaller) in lines no wider than `width`.
function wrap(label, hint, width) {
  const words = [
    ...String(label)
      .split(/\s+/)
      .filter(Boolean)
      .map((text) => ({ text, cls: 'label' })),
    ...(hint ? [{ text: hint, cls: 'hint' }] : []),
  ];
  const lines = [];
  let line = [];
  let used = 0;
  for (const word of words) {
    const spaced = widthOf(' ' + word.text, word.cls);
    if (line.length && used + spaced > width) {
      lines.push(line);
      line = [];
      used = 0;
    }
    used += line.length ? spaced : widthOf(word.text, word.cls);
    line.push(word);
  }
  if (line.length) lines.push(line);
  return lines;
}

// One line of a label as SVG text: the words, the hint in its own smaller tspan.
function labelText(attrs, words) {
  return s(
    'text',
    attrs,
    ...words.map((word, i) =>
      word.cls === 'hint'
        ? s('tspan', { class: 'hint' }, (i ? ' ' : '') + word.text)
        : s('tspan', {}, (i ? ' ' : '') + word.text),
    ),
  );
}

// Rows of horizontal bars: [{label, hint, bars: [{value, text, tone}]}], the longest bar the
// largest value. The label beside its bar when every label and value fit, else above it.
function drawRows(svg, width, rows) {
  const max = Math.max(1, ...rows.flatMap((r) => r.bars.map((b) => b.value || 0)));
  const labelW = Math.max(
    0,
    ...rows.map((r) => widthOf(r.label, 'label') + (r.hint ? widthOf(' ' + r.hint, 'hint') : 0)),
  );
  const valueW = Math.max(0, ...rows.flatMap((r) => r.bars.map((b) => widthOf(b.text, 'value'))));
  const single = rows.every((r) => r.bars.length === 1);
  const labelRoom = labelW + EDGE;
  const bar = (b, x, y, hgt, room) => {
    const w = Math.round(((b.value || 0) / max) * room);
    svg.append(
      s('rect', {
        x,
        y,
        width: Math.max(w, b.value ? 2 : 0),
        height: hgt,
        rx: 3,
        class: 'bar' + (b.tone ? ' ' + b.tone : ''),
      }),
    );
    svg.append(s('text', { x: x + w + 8, y: y + hgt / 2 + 5, class: 'value' }, b.text));
  };
  if (single && labelRoom + 12 + 64 + 8 + valueW <= width) {
    const rowH = 34;
    const left = labelRoom + 12;
    rows.forEach((r, i) => {
      const y = 4 + i * rowH;
      svg.append(labelText({ x: EDGE, y: y + 21, class: 'label' }, wrap(r.label, r.hint, Infinity)[0]));
      bar(r.bars[0], left, y + 6, rowH - 12, width - left - 12 - valueW);
    });
    return rows.length * rowH + 8;
  }
  let y = 4;
  for (const r of rows) {
    for (const line of wrap(r.label, r.hint, width - 2 * EDGE)) {
      svg.append(labelText({ x: EDGE, y: y + 14, class: 'label' }, line));
      y += LINE;
    }
    y += 4;
    for (const b of r.bars) {
      bar(b, EDGE, y, 16, width - EDGE - 12 - valueW);
      y += 20;
    }
    y += 10;
  }
  return y;
}

// points: [{label, short, value, text}] (text: the value as people read it; short: the
// axis's name of the point). One bar per point; `maxText` names the tallest.
export function barChart({ title, description, points, tableCaption, headers, maxText }) {
  const draw = (svg, width) => {
    const height = 220;
    const pad = { top: 26, right: 8, bottom: 28, left: 8 };
    const max = Math.max(1, ...points.map((p) => p.value));
    const step = (width - pad.left - pad.right) / Math.max(1, points.length);
    const bar = Math.max(2, step * 0.7);
    const plot = height - pad.top - pad.bottom;
    svg.append(
      s('line', {
        x1: pad.left,
        x2: width - pad.right,
        y1: height - pad.bottom,
        y2: height - pad.bottom,
        class: 'axis',
      }),
    );
    points.forEach((p, i) => {
      const x = pad.left + i * step + (step - bar) / 2;
      const hgt = Math.round((p.value / max) * plot);
      svg.append(
        s(
          'rect',
          {
            x: x.toFixed(1),
            y: height - pad.bottom - hgt,
            width: bar.toFixed(1),
            height: Math.max(hgt, p.value ? 1 : 0),
            class: 'bar',
            rx: 2,
          },
          s('title', {}, `${p.label}: ${p.text}`),
        ),
      );
    });
    xLabels(
      svg,
      width,
      height - 8,
      points.map((p, i) => ({ x: pad.left + i * step + step / 2, text: p.short || p.label })),
    );
    if (points.length && maxText) {
      const top = maxText(points.find((p) => p.value === max) || points[0]);
      svg.append(s('text', { x: width - pad.right, y: 14, 'text-anchor': 'end', class: 'tick' }, top));
    }
    return height;
  };
  return responsive(
    title,
    description,
    draw,
    dataTable(
      tableCaption,
      headers,
      points.map((p) => [p.label, ...(p.cells || [p.text])]),
    ),
  );
}

// rows: [{label, hint, value, text, tone}]: horizontal bars, the longest the largest value;
// `hint` is a label's technical name, shown smaller beside it.
export function hbarChart({ title, description, rows, tableCaption, headers }) {
  const draw = (svg, width) =>
    drawRows(
      svg,
      width,
      rows.map((r) => ({ label: r.label, hint: r.hint, bars: [{ value: r.value, text: r.text, tone: r.tone }] })),
    );
  return responsive(
    title,
    description,
    draw,
    dataTable(
      tableCaption,
      headers,
      rows.map((r) => [r.hint ? `${r.label} ${r.hint}` : r.label, ...(r.cells || [r.text])]),
    ),
  );
}

// series: [{name, values: [number], tone}] over the same `labels` (one per point; `short` for
// the axis). One line per series; the first is drawn solid, the others dashed (what it is
// compared with). The table lists each point's values; `format` writes the axis's numbers.
export function lineChart({
  title,
  description,
  labels,
  short,
  series,
  tableCaption,
  headers,
  cells,
  format = String,
}) {
  const draw = (svg, width) => {
    const height = 240;
    const top = axisTop(series.flatMap((x) => x.values));
    const ticks = [0, 0.5, 1].map((f) => ({ f, text: format(top * f) }));
    const pad = { top: 20, right: 12, bottom: 28, left: Math.max(...ticks.map((k) => widthOf(k.text, 'tick'))) + 10 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const n = Math.max(1, labels.length - 1);
    const xAt = (i) => pad.left + (i / n) * plotW;
    const yAt = (v) => pad.top + plotH - (v / top) * plotH;
    for (const { f, text } of ticks) {
      const y = yAt(top * f).toFixed(1);
      svg.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: f ? 'grid' : 'axis' }));
      svg.append(s('text', { x: pad.left - 6, y: Number(y) + 4, 'text-anchor': 'end', class: 'tick' }, text));
    }
    series.forEach((line, k) => {
      const points = line.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
      svg.append(
        s(
          'polyline',
          { points, class: 'line' + (k ? ' compare' : '') + (line.tone ? ' ' + line.tone : '') },
          s('title', {}, line.name),
        ),
      );
    });
    xLabels(
      svg,
      width,
      height - 8,
      short.map((text, i) => ({ x: xAt(i), text })),
    );
    return height;
  };
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    series.map((line, k) => h('li', { class: 'legend-' + (k ? 'compare' : 'main') }, line.name)),
  );
  return responsive(
    title,
    description,
    draw,
    legend,
    dataTable(
      tableCaption,
      headers,
      labels.map((label, i) => [label, ...cells(i)]),
    ),
  );
}

// groups: [{label, short, values: [number]}], one bar per series in each group (series: names);
// `short` names the group under its bars, `label` in the table. Where the names do not fit
// under their bars the groups are drawn as rows of horizontal bars.
export function groupedBarChart({ title, description, groups, series, tableCaption, headers, format = String }) {
  const draw = (svg, width) => {
    const height = 220;
    const pad = { top: 18, right: 8, bottom: 40, left: 8 };
    const step = (width - pad.left - pad.right) / Math.max(1, groups.length);
    if (groups.some((g) => widthOf(g.short || g.label, 'label') > step - 8)) {
      return drawRows(
        svg,
        width,
        groups.map((g) => ({
          label: g.short || g.label,
          bars: g.values.map((v, k) => ({ value: v, text: format(v), tone: k ? 'light' : '' })),
        })),
      );
    }
    const max = Math.max(1, ...groups.flatMap((g) => g.values));
    const plotH = height - pad.top - pad.bottom;
    const bar = Math.min(48, (step * 0.8) / Math.max(1, series.length));
    svg.append(
      s('line', {
        x1: pad.left,
        x2: width - pad.right,
        y1: height - pad.bottom,
        y2: height - pad.bottom,
        class: 'axis',
      }),
    );
    groups.forEach((g, i) => {
      const left = pad.left + i * step + (step - bar * series.length) / 2;
      g.values.forEach((v, k) => {
        const hgt = Math.round((v / max) * plotH);
        const x = left + k * bar;
        svg.append(
          s(
            'rect',
            {
              x: x.toFixed(1),
              y: height - pad.bottom - hgt,
              width: (bar - 4).toFixed(1),
              height: Math.max(hgt, v ? 1 : 0),
              rx: 2,
              class: 'bar' + (k ? ' light' : ''),
            },
            s('title', {}, `${g.label}, ${series[k]}: ${format(v)}`),
          ),
        );
        svg.append(
          s(
            'text',
            {
              x: (x + (bar - 4) / 2).toFixed(1),
              y: height - pad.bottom - hgt - 4,
              'text-anchor': 'middle',
              class: 'tick',
            },
            format(v),
          ),
        );
      });
      svg.append(
        s(
          'text',
          { x: (pad.left + i * step + step / 2).toFixed(1), y: height - 16, 'text-anchor': 'middle', class: 'label' },
          g.short || g.label,
        ),
      );
    });
    return height;
  };
  const legend = h(
    'ul',
    { class: 'chart-legend' },
    series.map((name, k) => h('li', { class: 'legend-' + (k ? 'light' : 'bar') }, name)),
  );
  return responsive(
    title,
    description,
    draw,
    legend,
    dataTable(
      tableCaption,
      headers,
      groups.map((g) => [g.label, ...g.values.map(format)]),
    ),
  );
}

// A panel with its heading and one chart of the kinds above (chart: barChart, hbarChart,
// lineChart or groupedBarChart) titled as the heading; `more` follows the chart (a note).
// id names the heading, which labels the panel for screen readers.
export function chartCard({ id, chart, more = [], ...options }) {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': id },
    h('h2', { id }, options.title),
    chart(options),
    ...more,
  );
}
