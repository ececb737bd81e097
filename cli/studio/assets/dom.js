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

// Characters that change how text around them reads without showing themselves: controls,
// bidirectional overrides and isolates (`admin\u202etoor` would read as `adminroot`), zero-width
// characters and other format characters.
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's job
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

function escapeOne(c) {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Multi-line `text` with every hidden character but the line break written as a `\uXXXX` escape (for JSON, which already escapes a literal backslash). */
export function escapeHidden(text) {
  return String(text).replace(HIDDEN, (c) => (c === '\n' ? c : escapeOne(c)));
}

/**
 * Nodes showing `text` with each hidden character as a marked `\uXXXX` escape, so an actor,
 * reason, id or key cannot pass for another (the mark tells an escape from typed backslashes).
 */
export function visible(text) {
  const s = String(text ?? '');
  const out = [];
  let last = 0;
  for (const m of s.matchAll(HIDDEN)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    out.push(h('span', { class: 'esc', title: 'hidden character shown escaped' }, escapeOne(m[0])));
    last = m.index + 1;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

/** Pretty JSON text of a value, hidden characters escaped. */
export function jsonText(value) {
  return escapeHidden(JSON.stringify(value, null, 2));
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
