// Chronos Studio: the page's entry. Loads the session and navigation, routes on the URL hash and
// draws the collection and counters views; the record page lives in record.js.
import { ctxParams, h, mount, notice, svg, viewHref, visible } from './dom.js';
import { api, session, setSession } from './api.js';
import { renderCollection } from './collection.js';
import { renderRecord } from './record.js';
import { formatTime, localZoneName, onZoneChange, setZone, zone } from './time.js';

function scopeLabel(db) {
  if (db.tenantId) return db.tenantId;
  if (db.domain) return db.domain;
  return db.tier === 'single' ? db.dbName : 'all tenants';
}

function renderNav(nav) {
  const groups = new Map();
  for (const db of nav.databases) {
    if (!groups.has(db.databaseType)) groups.set(db.databaseType, []);
    groups.get(db.databaseType).push(db);
  }
  const sections = [];
  for (const [type, dbs] of groups) {
    sections.push(
      h('section', { class: 'nav-type' },
        h('h2', {}, type),
        dbs.map((db) =>
          h('div', { class: 'nav-scope' },
            h('div', { class: 'nav-scope-title', title: db.dbName }, h('span', { class: 'tier' }, db.tier), ' ', scopeLabel(db)),
            db.collections.length === 0 ? h('div', { class: 'muted small' }, 'no collections yet') : null,
            h('ul', {},
              db.collections.map((c) => {
                const ctx = { databaseType: db.databaseType, tier: db.tier === 'single' ? undefined : db.tier, tenantId: db.tenantId, domain: db.domain, collection: c.name };
                return h('li', {},
                  h('a', { href: viewHref('c', ctxParams(ctx)), class: c.exists ? '' : 'empty', 'data-collection': c.name }, c.name),
                  db.counters && c.exists ? h('a', { class: 'counters-link', href: viewHref('counters', { tenantId: db.tenantId, collection: c.name }), title: 'counters' }, '∑') : null);
              })))),
      ),
    );
  }
  mount(document.getElementById('nav'), sections);
}

function barChart(buckets) {
  const width = 640;
  const height = 180;
  const pad = 28;
  const totals = buckets.map((b) => b.created + b.updated + b.deleted);
  const max = Math.max(1, ...totals);
  const barW = Math.max(4, Math.min(48, (width - pad * 2) / Math.max(1, buckets.length) - 6));
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': 'writes per bucket' },
    svg('line', { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: 'axis' }),
    svg('text', { x: 4, y: pad, class: 'tick' }, String(max)),
    buckets.map((b, i) => {
      const x = pad + i * (barW + 6) + 3;
      let y = height - pad;
      const parts = [['created', b.created], ['updated', b.updated], ['deleted', b.deleted]];
      return svg('g', {}, parts.map(([kind, n]) => {
        const hgt = ((height - pad * 2) * n) / max;
        y -= hgt;
        return svg('rect', { x, y, width: barW, height: hgt, class: `bar ${kind}` }, svg('title', {}, `${b.bucket}: ${n} ${kind}`));
      }), svg('text', { x: x + barW / 2, y: height - pad + 14, class: 'tick', 'text-anchor': 'middle' }, b.bucket.slice(5)));
    }));
}

async function renderCounters(params, isCurrent) {
  const main = document.getElementById('main');
  const granularity = params.get('granularity') || 'day';
  const data = await api('/api/counters', { tenantId: params.get('tenantId'), collection: params.get('collection'), granularity });
  if (!isCurrent()) return;
  const t = data.totals;
  mount(main,
    h('h1', {}, `Counters: ${data.collection}`, ' ', h('span', { class: 'muted' }, `runtime · tenant ${data.tenantId}`)),
    h('div', { class: 'cards' }, [['created', t.created], ['updated', t.updated], ['deleted', t.deleted]].map(([k, v]) => h('div', { class: `card ${k}` }, h('div', { class: 'card-n' }, v), h('div', {}, k)))),
    Object.keys(t.rules).length > 0 ? h('table', { class: 'grid rules' }, h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'created'), h('th', {}, 'updated'), h('th', {}, 'deleted'), h('th', {}, 'unique'))),
      h('tbody', {}, Object.entries(t.rules).map(([name, r]) => h('tr', {}, h('td', {}, name), h('td', { class: 'num' }, r.created), h('td', { class: 'num' }, r.updated), h('td', { class: 'num' }, r.deleted),
        h('td', { class: 'small' }, Object.entries(r.unique || {}).map(([k, n]) => `${k}: ${n}`).join(', ')))))) : null,
    h('div', { class: 'granularity' }, ['day', 'week', 'month'].map((g) => h('a', { href: viewHref('counters', { tenantId: data.tenantId, collection: data.collection, granularity: g }), class: g === granularity ? 'on' : '' }, g))),
    data.buckets.length === 0 ? h('p', { class: 'muted' }, 'No buckets yet.') : barChart(data.buckets),
    h('p', { class: 'legend' }, h('span', { class: 'sw created' }), 'created ', h('span', { class: 'sw updated' }), 'updated ', h('span', { class: 'sw deleted' }), 'deleted'),
  );
}

function renderHome() {
  mount(document.getElementById('main'),
    h('h1', {}, 'Chronos Studio'),
    h('p', {}, 'Pick a collection on the left to browse its records, open a record to walk its versions, compare any two and (with --write) restore one.'));
}

// Each navigation gets a number; a view whose data arrives after the user moved on draws nothing.
let navigation = 0;

async function route() {
  const main = document.getElementById('main');
  const hash = location.hash.replace(/^#\/?/, '');
  const [view, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const current = ++navigation;
  const isCurrent = () => current === navigation;
  try {
    if (view === 'c') await renderCollection(main, params, isCurrent);
    else if (view === 'r') await renderRecord(main, params, isCurrent);
    else if (view === 'counters') await renderCounters(params, isCurrent);
    else renderHome();
  } catch (error) {
    if (!isCurrent()) return;
    mount(main, notice('error', error.status === 401 ? 'Not signed in: open the URL that `chronos studio` printed (with its token).' : error.message));
  }
  // Which address the view now shows (what tests and tools wait for).
  if (isCurrent()) main.dataset.shown = location.hash;
}

function zoneToggle() {
  return h('label', { class: 'zone' }, 'times in ',
    h('select', { id: 'zone-select', 'aria-label': 'time zone of every time shown', onchange: (e) => setZone(e.target.value) },
      h('option', { value: 'utc', selected: zone() === 'utc' }, 'UTC'),
      h('option', { value: 'local', selected: zone() === 'local' }, `local (${localZoneName()})`)));
}

async function start() {
  try {
    setSession(await api('/api/session'));
  } catch (error) {
    mount(document.getElementById('main'), notice('error', error.status === 401 ? 'Not signed in: open the URL that `chronos studio` printed (with its token).' : error.message));
    return;
  }
  const mode = document.getElementById('mode');
  mode.textContent = session().write ? 'read-write' : 'read-only';
  mode.className = `mode ${session().write ? 'rw' : 'ro'}`;
  mount(document.getElementById('zone'), zoneToggle());
  onZoneChange(route);
  window.addEventListener('hashchange', route);
  api('/api/nav').then(renderNav, (e) => mount(document.getElementById('nav'), notice('error', e.message)));
  await route();
}

start();
