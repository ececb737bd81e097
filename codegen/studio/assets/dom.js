// Small DOM helpers for the Studio's page. Text always goes in as text nodes, never as HTML,
// so nothing stored in a record can run as markup.

/** Creates an element with attributes (`on*` are listeners, `class` and booleans handled) and children. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An SVG element with attributes and children. */
export function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs || {})) el.setAttribute(key, String(value));
  append(el, children);
  return el;
}

/** Replaces the children of `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An ISO time shown as `2026-11-29 10:14:03.120` (UTC). */
export function shortTime(iso) {
  return iso ? iso.replace('T', ' ').replace('Z', '') : '';
}

/** Pretty JSON text of a value. */
export function jsonText(value) {
  return JSON.stringify(value, null, 2);
}

/** A hash link to a view with parameters. */
export function viewHref(view, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  return `#/${view}?${q.toString()}`;
}

/** The context parameters of a route context object. */
export function ctxParams(ctx) {
  const out = { databaseType: ctx.databaseType, collection: ctx.collection };
  if (ctx.tier) out.tier = ctx.tier;
  if (ctx.tenantId) out.tenantId = ctx.tenantId;
  if (ctx.domain) out.domain = ctx.domain;
  return out;
}

/** A message box (error, info, ok). */
export function notice(kind, text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}
