// The collection view: a page of records with filters on the indexed props (a value; a prefix for
// text; a range for numbers, times and text), a sort on one indexed prop, the display field as the
// row title, a jump to an id, and paging. Paging follows the filter that was applied (the URL's),
// never what is typed in the form but not applied, and the server refuses a cursor made for
// another filter.
import { api, ApiError } from './api.js';
import { ctxParams, h, mount, notice, viewHref, visible } from './dom.js';
import { formatTime } from './time.js';

const QUERY_PREFIXES = ['f.', 'p.', 'lo.', 'hi.'];
const isQueryKey = (k) => QUERY_PREFIXES.some((p) => k.startsWith(p));

function scopeText(ctx) {
  return `${ctx.databaseType} · ${ctx.tenantId ? `tenant ${ctx.tenantId}` : ctx.domain ? `domain ${ctx.domain}` : ctx.tier || 'single'}`;
}

function valueInput(name, field, value, placeholder) {
  const type = field.kind === 'number' ? 'number' : 'text';
  return h('input', { name, type, value: value || '', step: field.kind === 'number' ? 'any' : undefined, placeholder, size: field.kind === 'number' ? 8 : 14 });
}

// One field's inputs: a select for enums and booleans; for text a value or a prefix; for
// numbers and times a from-to range (equal ends for one value).
function fieldInputs(field, params) {
  const p = field.prop;
  if (field.kind === 'enum') {
    return h('select', { name: `f.${p}` }, h('option', { value: '' }, 'any'), field.values.map((v) => h('option', { value: v, selected: v === params.get(`f.${p}`) }, v)));
  }
  if (field.kind === 'boolean') {
    return h('select', { name: `f.${p}` }, ['', 'true', 'false'].map((v) => h('option', { value: v, selected: v === params.get(`f.${p}`) }, v || 'any')));
  }
  if (field.kind === 'string') {
    const prefix = params.get(`p.${p}`);
    const mode = h('select', { name: `mode.${p}`, 'aria-label': `${p}: match` },
      h('option', { value: 'f', selected: !prefix }, 'is'),
      h('option', { value: 'p', selected: Boolean(prefix) }, 'starts with'));
    return h('span', { class: 'pair' }, mode, valueInput(`v.${p}`, field, prefix || params.get(`f.${p}`), 'text'));
  }
  const hint = field.kind === 'datetime' ? 'ISO time' : 'number';
  return h('span', { class: 'pair' }, valueInput(`lo.${p}`, field, params.get(`lo.${p}`), `from (${hint})`), '–', valueInput(`hi.${p}`, field, params.get(`hi.${p}`), `to (${hint})`));
}

function formQuery(form, fields) {
  const out = {};
  for (const f of fields.filters) {
    const el = (name) => form.elements[name];
    if (f.kind === 'string') {
      const value = el(`v.${f.prop}`).value;
      if (value !== '') out[`${el(`mode.${f.prop}`).value}.${f.prop}`] = value;
    } else if (f.kind === 'enum' || f.kind === 'boolean') {
      if (el(`f.${f.prop}`).value !== '') out[`f.${f.prop}`] = el(`f.${f.prop}`).value;
    } else {
      for (const side of ['lo', 'hi']) if (el(`${side}.${f.prop}`).value !== '') out[`${side}.${f.prop}`] = el(`${side}.${f.prop}`).value;
    }
  }
  if (form.elements.sort.value) out.sort = form.elements.sort.value;
  if (form.elements.dir.value === 'desc') out.dir = 'desc';
  if (form.elements.deleted.checked) out.deleted = '1';
  return out;
}

function cellText(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Draws the collection view for the parameters of `#/c?…`, unless `isCurrent()` says the user moved on meanwhile. */
export async function renderCollection(main, params, isCurrent) {
  const ctx = { databaseType: params.get('databaseType'), tier: params.get('tier'), tenantId: params.get('tenantId'), domain: params.get('domain'), collection: params.get('collection') };
  // What was applied: the URL's filter, sort and switch. Paging keeps exactly these.
  const applied = { ...ctxParams(ctx) };
  for (const [k, v] of params) if (isQueryKey(k) || k === 'sort' || k === 'dir' || k === 'deleted') applied[k] = v;
  document.title = `${ctx.collection} · ${scopeText(ctx)} · Chronos Studio`;
  let page;
  try {
    page = await api('/api/records', { ...applied, after: params.get('after') });
  } catch (e) {
    if (!(e instanceof ApiError && e.body && e.body.code === 'STALE_CURSOR')) throw e;
    if (!isCurrent()) return;
    return mount(main, notice('error', e.message), h('p', {}, h('a', { href: viewHref('c', applied) }, 'First page of this filter')));
  }
  if (!isCurrent()) return;
  const fields = page.fields;
  const trail = (params.get('trail') || '').split(',').filter(Boolean);
  const page1 = (extra) => { location.hash = viewHref('c', { ...ctxParams(ctx), ...extra }); };
  const turn = (extra) => { location.hash = viewHref('c', { ...applied, ...extra }); };
  const jump = h('input', { name: 'id', class: 'mono', placeholder: 'record id', size: 26, autocomplete: 'off', 'aria-label': 'record id to open' });
  const sortable = fields.filters.filter((f) => f.kind !== 'boolean');
  mount(main,
    h('h1', {}, ctx.collection, ' ', h('span', { class: 'muted' }, scopeText(ctx))),
    h('form', { id: 'jump', class: 'jump', onsubmit: (e) => { e.preventDefault(); if (jump.value.trim()) location.hash = viewHref('r', { ...ctxParams(ctx), id: jump.value.trim() }); } },
      h('label', {}, 'Open id ', jump), h('button', { type: 'submit', class: 'secondary' }, 'Open')),
    h('form', { id: 'filters', class: 'filters', onsubmit: (e) => { e.preventDefault(); page1(formQuery(e.target, fields)); } },
      fields.filters.map((f) => h('label', {}, h('span', {}, f.prop, ' ', h('em', {}, f.kind)), fieldInputs(f, params))),
      h('label', {}, h('span', {}, 'sort by'),
        h('span', { class: 'pair' },
          h('select', { name: 'sort' }, h('option', { value: '' }, 'id'), sortable.map((f) => h('option', { value: f.prop, selected: f.prop === params.get('sort') }, f.prop))),
          h('select', { name: 'dir', 'aria-label': 'sort direction' }, h('option', { value: 'asc' }, '↑'), h('option', { value: 'desc', selected: params.get('dir') === 'desc' }, '↓')))),
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'deleted', checked: params.get('deleted') === '1' }), ' include deleted'),
      h('button', { type: 'submit' }, 'Filter')),
    page.items.length === 0 ? h('p', { class: 'muted', id: 'no-rows' }, 'No records match.') : h('div', { class: 'table-scroll' }, h('table', { class: 'grid records' },
      h('thead', {}, h('tr', {}, fields.displayField ? h('th', {}, fields.displayField) : null, h('th', {}, 'id'), fields.filters.map((f) => h('th', {}, f.prop)), h('th', {}, 'ov'), h('th', {}, 'updated'), h('th', {}, ''))),
      h('tbody', {}, page.items.map((r) => h('tr', { class: r.deleted ? 'deleted' : '', 'data-id': r.id },
        fields.displayField ? h('td', { class: 'row-title' }, h('a', { href: viewHref('r', { ...ctxParams(ctx), id: r.id }) }, visible(r.title ?? ''))) : null,
        h('td', {}, h('a', { href: viewHref('r', { ...ctxParams(ctx), id: r.id }), class: 'mono' }, visible(r.id))),
        fields.filters.map((f) => h('td', {}, visible(cellText(r.values[f.prop])))),
        h('td', { class: 'num' }, r.ov),
        h('td', { class: 'mono small' }, formatTime(r.updatedAt)),
        h('td', {}, r.deleted ? h('span', { class: 'badge del' }, 'deleted') : '')))))),
    h('div', { class: 'pager' },
      trail.length > 0 ? h('button', { id: 'prev', onclick: () => turn({ after: trail[trail.length - 2] || '', trail: trail.slice(0, -1).join(',') }) }, '← Previous') : null,
      page.nextCursor ? h('button', { id: 'next', onclick: () => turn({ after: page.nextCursor, trail: [...trail, page.nextCursor].join(',') }) }, 'Next →') : null),
  );
}
