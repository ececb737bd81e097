// Chronos Studio: the page's entry. Loads the session, the navigation and the time zone toggle,
// and routes on the URL hash; the views live in collection.js, record.js and counters.js.
import { ctxParams, h, mount, notice, viewHref } from './dom.js';
import { api, session, setSession } from './api.js';
import { renderCollection } from './collection.js';
import { renderCounters } from './counters.js';
import { renderRecord } from './record.js';
import { localZoneName, onZoneChange, setZone, zone } from './time.js';

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
                  h('a', { href: viewHref('c', ctxParams(ctx)), class: c.exists ? '' : 'empty', 'data-collection': c.name, 'data-key': navKey(ctx) }, c.name),
                  db.counters && c.exists ? h('a', { class: 'counters-link', href: viewHref('counters', { tenantId: db.tenantId, collection: c.name }), title: 'counters' }, '∑') : null);
              })))),
      ),
    );
  }
  mount(document.getElementById('nav'), sections);
}

function renderHome() {
  document.title = 'Chronos Studio';
  mount(document.getElementById('main'),
    h('h1', {}, 'Chronos Studio'),
    h('p', {}, 'Pick a collection on the left to browse its records, open a record to walk its versions, compare any two and (with --write) restore one.'));
}

// Each navigation gets a number; a view whose data arrives after the user moved on draws nothing.
let navigation = 0;

// Highlights the navigation link of the collection the view belongs to.
function markCurrent(view, params) {
  const key = view === 'c' || view === 'r' ? navKey({ databaseType: params.get('databaseType'), tier: params.get('tier'), tenantId: params.get('tenantId'), domain: params.get('domain'), collection: params.get('collection') }) : null;
  for (const a of document.querySelectorAll('#nav a[data-key]')) {
    const on = a.dataset.key === key;
    a.classList.toggle('current', on);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function navKey(ctx) {
  return JSON.stringify([ctx.databaseType, ctx.tier || null, ctx.tenantId || null, ctx.domain || null, ctx.collection]);
}

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
    else if (view === 'counters') await renderCounters(main, params, isCurrent);
    else renderHome();
  } catch (error) {
    if (!isCurrent()) return;
    mount(main, notice('error', error.status === 401 ? 'Not signed in: open the URL that `chronos studio` printed (with its token).' : error.message));
  }
  // Which address the view now shows (what tests and tools wait for).
  if (isCurrent()) {
    main.dataset.shown = location.hash;
    markCurrent(view, params);
  }
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
  api('/api/nav').then((nav) => {
    renderNav(nav);
    const [view, query] = location.hash.replace(/^#\/?/, '').split('?');
    markCurrent(view, new URLSearchParams(query || ''));
  }, (e) => mount(document.getElementById('nav'), notice('error', e.message)));
  await route();
}

start();
