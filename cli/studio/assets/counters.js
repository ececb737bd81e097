// The counters view of a runtime tenant's collection: totals, one row per counter rule (zero
// until it counts), and a bar chart of day, week or month buckets with a value axis and dated
// labels.
import { api } from './api.js';
import { h, mount, svg, viewHref } from './dom.js';

const WIDTH = 680;
const HEIGHT = 210;
const LEFT = 44;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 34;

/** Round tick values from 0 to at least `max`: 0, step, 2 step, … */
function ticks(max) {
  const raw = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw));
  const out = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

function barChart(buckets) {
  const totals = buckets.map((b) => b.created + b.updated + b.deleted);
  const marks = ticks(Math.max(1, ...totals));
  const top = marks[marks.length - 1];
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, buckets.length);
  const barW = Math.max(3, Math.min(40, slot - 6));
  const y = (v) => TOP + plotH - (plotH * v) / top;
  // Label every bucket when they fit, else every n-th: dates are ten characters wide.
  const every = Math.max(1, Math.ceil(70 / slot));
  return svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img', 'aria-label': 'writes per bucket' },
    marks.map((v) => svg('g', { class: 'y-tick' },
      svg('line', { x1: LEFT, y1: y(v), x2: WIDTH - RIGHT, y2: y(v), class: v === 0 ? 'axis' : 'grid-line' }),
      svg('text', { x: LEFT - 6, y: y(v) + 3, class: 'tick', 'text-anchor': 'end' }, String(v)))),
    buckets.map((b, i) => {
      const x = LEFT + i * slot + (slot - barW) / 2;
      let base = 0;
      const parts = [['created', b.created], ['updated', b.updated], ['deleted', b.deleted]];
      return svg('g', { class: 'bucket', 'data-bucket': b.bucket },
        parts.map(([kind, n]) => {
          const rect = svg('rect', { x, y: y(base + n), width: barW, height: y(base) - y(base + n), class: `bar ${kind}` }, svg('title', {}, `${b.bucket}: ${n} ${kind}`));
          base += n;
          return rect;
        }),
        i % every === 0 ? svg('text', { x: x + barW / 2, y: HEIGHT - BOTTOM + 16, class: 'tick x-tick', 'text-anchor': 'middle' }, b.bucket) : null);
    }));
}

/** Draws the counters view for `#/counters?tenantId&collection[&granularity]`. */
export async function renderCounters(main, params, isCurrent) {
  const granularity = params.get('granularity') || 'day';
  const data = await api('/api/counters', { tenantId: params.get('tenantId'), collection: params.get('collection'), granularity });
  if (!isCurrent()) return;
  document.title = `Counters · ${data.collection} · tenant ${data.tenantId} · Chronos Studio`;
  const t = data.totals;
  const rules = Object.entries(t.rules);
  mount(main,
    h('h1', {}, `Counters: ${data.collection}`, ' ', h('span', { class: 'muted' }, `runtime · tenant ${data.tenantId}`)),
    h('div', { class: 'cards' }, [['created', t.created], ['updated', t.updated], ['deleted', t.deleted]].map(([k, v]) => h('div', { class: `card ${k}` }, h('div', { class: 'card-n' }, v), h('div', {}, k)))),
    rules.length === 0 ? h('p', { class: 'muted' }, 'No counter rule counts this collection.') : h('div', { class: 'table-scroll' }, h('table', { class: 'grid rules' },
      h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'created'), h('th', {}, 'updated'), h('th', {}, 'deleted'), h('th', {}, 'unique'))),
      h('tbody', {}, rules.map(([name, r]) => h('tr', { 'data-rule': name }, h('td', {}, name), h('td', { class: 'num' }, r.created), h('td', { class: 'num' }, r.updated), h('td', { class: 'num' }, r.deleted),
        h('td', { class: 'small' }, Object.entries(r.unique || {}).map(([k, n]) => `${k}: ${n}`).join(', '))))))),
    h('div', { class: 'granularity' }, ['day', 'week', 'month'].map((g) => h('a', { href: viewHref('counters', { tenantId: data.tenantId, collection: data.collection, granularity: g }), class: g === granularity ? 'on' : '' }, g))),
    data.buckets.length === 0 ? h('p', { class: 'muted' }, 'No buckets yet.') : barChart(data.buckets),
    h('p', { class: 'legend' }, h('span', { class: 'sw created' }), 'created ', h('span', { class: 'sw updated' }), 'updated ', h('span', { class: 'sw deleted' }), 'deleted'),
  );
}
