// A record's lineage: the parent and origin it was derived from (opened in their own database,
// tier and tenant or domain) and the records derived from it.
import { ctxParams, h, viewHref, visible } from './dom.js';

function scopeOf(ctx) {
  const where = ctx.tenantId ? `tenant ${ctx.tenantId}` : ctx.domain ? `domain ${ctx.domain}` : ctx.tier || 'single';
  return `${ctx.databaseType} · ${where}`;
}

function link(l) {
  const text = [l.collection, '/', visible(l.id)];
  if (!l.context) return h('span', { class: 'mono', title: 'an origin outside the routed databases' }, text);
  return h('a', { href: viewHref('r', { ...ctxParams(l.context), id: l.id }), title: scopeOf(l.context), 'data-scope': scopeOf(l.context) }, text);
}

/** The lineage block of an `/api/record` answer, or null when the record has none. */
export function lineagePanel(rec) {
  const parts = [];
  if (rec.parent) parts.push(h('span', { class: 'lineage parent' }, 'parent: ', link(rec.parent), rec.parent.context ? h('span', { class: 'muted small' }, ` (${scopeOf(rec.parent.context)})`) : null));
  if (rec.origin) parts.push(h('span', { class: 'lineage origin' }, 'origin: ', link(rec.origin)));
  const children = rec.children || [];
  const childList = children.length
    ? h('div', { class: 'children' }, h('span', {}, `children (${children.length}${rec.moreChildren ? '+' : ''}): `),
      h('ul', { class: 'child-list' }, children.map((c) => h('li', {}, link(c)))))
    : null;
  if (parts.length === 0 && !childList) return null;
  return h('div', { class: 'lineage-box' }, parts.length ? h('p', { class: 'lineage-row' }, parts) : null, childList);
}
