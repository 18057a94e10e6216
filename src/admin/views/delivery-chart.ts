/**
 * A recipient's deliveries and latency as inline SVG drawn here: no script (the CSP allows
 * none inline), no library, no request of its own. Colours are presentation attributes, which
 * the CSP's style-src does not govern. Each chart has a <title> and <desc> for screen readers,
 * a tooltip per bar, and its numbers in a table under it.
 */

import type { DeliveryBucket } from '../../store/store.js';
import type { ChartData } from '../delivery-chart.js';
import { formatTime } from '../format.js';
import { type HtmlValue, html, type SafeHtml } from '../html.js';

const W = 640;
const LEFT = 48;
const PLOT_W = W - LEFT - 8;
/** Requests (200s and failed attempts) on top, latency below. */
const REQ = { top: 20, height: 110 };
const LAT = { top: 152, height: 58 };
const H = 250;
const COLOURS = { ok: '#1e7b3c', failed: '#b3261e', mean: '#1f3a5a', max: '#b8d3f0' };
const INK = '#5b6878';

/** Where a time label goes: on the quarter hour (hour view), every 4 hours (day view). */
const LABEL_EVERY = { hour: 15 * 60_000, day: 4 * 3_600_000 };

const round = (n: number) => Math.round(n * 10) / 10;
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);
export const formatMs = (ms: number | null) =>
  ms === null ? '—' : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;

/** The smallest 1, 2 or 5 × 10ⁿ at or above n: round numbers for an axis. */
export function axisMax(n: number): number {
  if (n <= 0) return 1;
  const base = 10 ** Math.floor(Math.log10(n));
  return ([1, 2, 5, 10].find((m) => m * base >= n) ?? 10) * base;
}

export interface ChartTotals {
  delivered: number;
  failedAttempts: number;
  /** Over every 200 of the period. */
  meanLatencyMs: number | null;
  maxLatencyMs: number | null;
}

export function totalsOf(buckets: readonly DeliveryBucket[]): ChartTotals {
  let delivered = 0;
  let failedAttempts = 0;
  let latencySum = 0;
  let maxLatencyMs: number | null = null;
  for (const b of buckets) {
    delivered += b.delivered;
    failedAttempts += b.failedAttempts;
    latencySum += (b.meanLatencyMs ?? 0) * b.delivered;
    if (b.maxLatencyMs !== null) maxLatencyMs = Math.max(maxLatencyMs ?? 0, b.maxLatencyMs);
  }
  return {
    delivered,
    failedAttempts,
    meanLatencyMs: delivered > 0 ? latencySum / delivered : null,
    maxLatencyMs,
  };
}

const describeBucket = (b: DeliveryBucket) =>
  `${formatTime(b.start)}: ${b.delivered} delivered, ${b.failedAttempts} failed attempt${
    b.failedAttempts === 1 ? '' : 's'
  }${b.delivered > 0 ? `, latency mean ${formatMs(b.meanLatencyMs)}, longest ${formatMs(b.maxLatencyMs)}` : ''}`;

const yLabel = (y: number, text: string) =>
  html`<text x="${LEFT - 4}" y="${round(y + 3)}" text-anchor="end" font-size="10" fill="${INK}">${text}</text>`;

const gridLine = (y: number, colour: string) =>
  html`<line x1="${LEFT}" x2="${LEFT + PLOT_W}" y1="${y}" y2="${y}" stroke="${colour}" stroke-width="1"/>`;

function bars(data: ChartData, requestMax: number, latencyMax: number): HtmlValue[] {
  const step = PLOT_W / data.period.count;
  const width = round(Math.max(1, step * 0.8));
  const reqBase = REQ.top + REQ.height;
  const latBase = LAT.top + LAT.height;
  return data.buckets.map((b, i) => {
    if (b.delivered === 0 && b.failedAttempts === 0) return '';
    const x = round(LEFT + i * step);
    const okH = (b.delivered / requestMax) * REQ.height;
    const failedH = (b.failedAttempts / requestMax) * REQ.height;
    const maxH = ((b.maxLatencyMs ?? 0) / latencyMax) * LAT.height;
    return html`<g><title>${describeBucket(b)}</title>${
      okH > 0 &&
      html`<rect x="${x}" y="${round(reqBase - okH)}" width="${width}" height="${round(okH)}" fill="${COLOURS.ok}"/>`
    }${
      failedH > 0 &&
      html`<rect x="${x}" y="${round(reqBase - okH - failedH)}" width="${width}" height="${round(failedH)}" fill="${COLOURS.failed}"/>`
    }${
      maxH > 0 &&
      html`<rect x="${x}" y="${round(latBase - maxH)}" width="${width}" height="${round(maxH)}" fill="${COLOURS.max}"/>`
    }</g>`;
  });
}

/** Mean latency as a line, broken where a bucket had no 200. */
function meanLine(data: ChartData, latencyMax: number): SafeHtml {
  const step = PLOT_W / data.period.count;
  let path = '';
  let drawing = false;
  data.buckets.forEach((b, i) => {
    if (b.meanLatencyMs === null) {
      drawing = false;
      return;
    }
    const x = round(LEFT + (i + 0.4) * step);
    const y = round(LAT.top + LAT.height - (b.meanLatencyMs / latencyMax) * LAT.height);
    path += `${drawing ? 'L' : 'M'}${x} ${y} `;
    drawing = true;
  });
  return path === ''
    ? html``
    : html`<path d="${path.trim()}" fill="none" stroke="${COLOURS.mean}" stroke-width="1.5" stroke-linejoin="round"/>`;
}

function timeLabels(data: ChartData): HtmlValue[] {
  const step = PLOT_W / data.period.count;
  return data.buckets.map((b, i) =>
    b.start % LABEL_EVERY[data.period.key] === 0
      ? html`<text x="${round(LEFT + i * step)}" y="224" text-anchor="middle" font-size="10" fill="${INK}">${clock(b.start)}</text>`
      : '',
  );
}

const legendItem = (x: number, colour: string, label: string) =>
  html`<rect x="${x}" y="234" width="10" height="10" fill="${colour}"/><text x="${x + 14}" y="243" font-size="10" fill="${INK}">${label}</text>`;

function svg(data: ChartData, totals: ChartTotals): SafeHtml {
  const { key } = data.period;
  const requestMax = axisMax(Math.max(...data.buckets.map((b) => b.delivered + b.failedAttempts)));
  const latencyMax = axisMax(Math.max(...data.buckets.map((b) => b.maxLatencyMs ?? 0)));
  const empty = totals.delivered === 0 && totals.failedAttempts === 0;
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="chart-${key}-title chart-${key}-desc">
<title id="chart-${key}-title">Deliveries and latency, ${data.period.title.toLowerCase()}, ${data.period.unit} (UTC)</title>
<desc id="chart-${key}-desc">${summary(totals)}</desc>
<text x="${LEFT}" y="12" font-size="11" fill="${INK}">Requests</text>
${gridLine(REQ.top, '#e9eef4')}${gridLine(REQ.top + REQ.height, '#a9b6c4')}
${yLabel(REQ.top, String(requestMax))}${yLabel(REQ.top + REQ.height, '0')}
<text x="${LEFT}" y="${LAT.top - 6}" font-size="11" fill="${INK}">Latency of the 200s</text>
${gridLine(LAT.top, '#e9eef4')}${gridLine(LAT.top + LAT.height, '#a9b6c4')}
${yLabel(LAT.top, `${latencyMax} ms`)}${yLabel(LAT.top + LAT.height, '0')}
${bars(data, requestMax, latencyMax)}
${meanLine(data, latencyMax)}
${timeLabels(data)}
${empty && html`<text x="${LEFT + PLOT_W / 2}" y="${REQ.top + REQ.height / 2}" text-anchor="middle" font-size="12" fill="${INK}">No delivery and no failed attempt</text>`}
${legendItem(LEFT, COLOURS.ok, 'delivered (200)')}${legendItem(LEFT + 110, COLOURS.failed, 'failed attempts')}${legendItem(LEFT + 220, COLOURS.max, 'longest')}
<line x1="${LEFT + 290}" x2="${LEFT + 302}" y1="239" y2="239" stroke="${COLOURS.mean}" stroke-width="1.5"/><text x="${LEFT + 306}" y="243" font-size="10" fill="${INK}">mean latency</text>
</svg>`;
}

function summary(t: ChartTotals): string {
  const latency =
    t.delivered > 0
      ? `, latency mean ${formatMs(t.meanLatencyMs)}, longest ${formatMs(t.maxLatencyMs)}`
      : '';
  return `${t.delivered} delivered, ${t.failedAttempts} failed attempt${t.failedAttempts === 1 ? '' : 's'}${latency}.`;
}

function dataTable(data: ChartData): HtmlValue {
  const active = data.buckets.filter((b) => b.delivered > 0 || b.failedAttempts > 0);
  if (active.length === 0) return '';
  return html`<details><summary>The numbers (${data.period.unit}, periods with activity)</summary>
<div class="table-box"><table data-chart-table="${data.period.key}"><thead><tr><th>From (UTC)</th><th>Delivered</th><th>Failed attempts</th><th>Mean latency</th><th>Longest</th></tr></thead>
<tbody>${active.map(
    (b) =>
      html`<tr><td>${formatTime(b.start)}</td><td>${b.delivered}</td><td>${b.failedAttempts}</td><td>${formatMs(b.meanLatencyMs)}</td><td>${formatMs(b.maxLatencyMs)}</td></tr>`,
  )}</tbody></table></div></details>`;
}

/** The recipient page's charts, one figure per period. */
export function deliveryCharts(charts: readonly ChartData[]): SafeHtml {
  return html`<div class="charts">${charts.map((data) => {
    const totals = totalsOf(data.buckets);
    return html`<figure class="chart" data-chart="${data.period.key}">
<figcaption><strong>${data.period.title}</strong> (${data.period.unit}): ${summary(totals)}</figcaption>
${svg(data, totals)}
${dataTable(data)}
</figure>`;
  })}</div>`;
}
