// The record page: head and lineage, the version timeline (paged lazily, newest first), any
// version's JSON, a diff of two versions, the state as of an instant, and restore (only when the
// server allows writes). Times are shown, and typed, in the zone the header's toggle picks.
import { api, session } from './api.js';
import { ctxParams, h, jsonText, mount, notice, viewHref, visible } from './dom.js';
import { diffPanel, valueBlock } from './diff-view.js';
import { lineagePanel } from './lineage.js';
import { openRestoreDialog } from './restore-dialog.js';
import { formatTime, inputText, parseTypedTime, zone, zoneLabel } from './time.js';

const PAGE = 50;

function blobLinks(ctx, id, view) {
  if (view.blobs.length === 0) return null;
  return h('ul', { class: 'blobs' }, view.blobs.map((b) => {
    const q = new URLSearchParams({ ...ctxParams(ctx), id, ov: String(view.ov), prop: b.prop });
    return h('li', {}, h('a', { href: `/api/blob?${q.toString()}`, download: `${id}-v${view.ov}-${b.prop}` }, `⬇ ${b.prop}`), h('span', { class: 'muted' }, ` ${b.bytes} bytes`));
  }));
}

function jsonPanel(ctx, id, title, view) {
  return h('div', { class: 'json-panel' },
    h('h3', {}, title),
    h('pre', { class: 'json', 'data-ov': view.ov }, jsonText(view.record)),
    blobLinks(ctx, id, view));
}

function kindLabel(v) {
  if (v.kind === 'restore' && v.restoredFrom !== undefined) return h('span', { class: 'kind restore', title: `restored from version ${v.restoredFrom}` }, `restored v${v.restoredFrom}`);
  return h('span', { class: `kind ${v.kind}` }, v.kind);
}

function scopeText(ctx) {
  return `${ctx.databaseType} · ${ctx.tenantId ? `tenant ${ctx.tenantId}` : ctx.domain ? `domain ${ctx.domain}` : ctx.tier || 'single'}`;
}

/** Draws the record page for the parameters of `#/r?…&id=…`, unless `isCurrent()` says the user moved on meanwhile. */
export async function renderRecord(main, params, isCurrent = () => true) {
  const ctx = { databaseType: params.get('databaseType'), tier: params.get('tier'), tenantId: params.get('tenantId'), domain: params.get('domain'), collection: params.get('collection') };
  const id = params.get('id');
  const base = { ...ctxParams(ctx), id };
  const rec = await api('/api/record', base);
  if (!isCurrent()) return;
  const write = session().write;
  const versions = [];
  let nextBeforeOv;
  const sel = { a: undefined, b: undefined };
  let diffOptions = { showSystem: false, layout: 'side-by-side', documents: true };
  let lastDiff;

  const status = h('div', { id: 'status' });
  const rows = h('tbody', {});
  const more = h('button', { id: 'more', class: 'link', onclick: () => loadPage() }, 'Load older versions');
  const diffBox = h('div', { id: 'diff-box' });
  const jsonBox = h('div', { id: 'json-box' });
  const fieldBox = h('div', { id: 'field-box' });
  const fieldInput = h('input', { type: 'text', name: 'field', class: 'mono', size: 18, autocomplete: 'off', placeholder: 'field, e.g. status', 'aria-label': 'field whose history to show' });
  const dialog = h('dialog', { id: 'restore-dialog', 'aria-label': 'restore a version' });
  const compare = h('button', { id: 'compare', onclick: () => showDiff({ scroll: true }) }, 'Compare');
  const asOfInput = h('input', { type: 'text', name: 'at', class: 'mono', size: 26, autocomplete: 'off', placeholder: inputText(new Date().toISOString()), 'aria-describedby': 'asof-zone' });

  // Each box shows the answer to the latest request made for it, whatever order answers arrive in.
  const latestRequest = new Map();
  async function fill(box, load, scroll) {
    const ticket = (latestRequest.get(box) || 0) + 1;
    latestRequest.set(box, ticket);
    let content;
    try {
      content = await load();
    } catch (e) {
      content = notice('error', e.message);
    }
    if (latestRequest.get(box) !== ticket) return;
    mount(box, content);
    if (scroll) box.closest('section').scrollIntoView({ block: 'start' });
  }

  function drawDiff(options) {
    diffOptions = options;
    if (lastDiff) mount(diffBox, diffPanel(lastDiff, { ...diffOptions, onChange: drawDiff }));
  }

  function showDiff({ scroll } = {}) {
    if (sel.a === undefined || sel.b === undefined) return Promise.resolve();
    return fill(diffBox, async () => {
      lastDiff = await api('/api/diff', { ...base, a: sel.a, b: sel.b });
      return diffPanel(lastDiff, { ...diffOptions, onChange: drawDiff });
    }, scroll);
  }

  function showVersion(ov, scroll) {
    return fill(jsonBox, async () => jsonPanel(ctx, id, `Version ${ov}`, await api('/api/version', { ...base, ov })), scroll);
  }

  function showAsOf() {
    const text = asOfInput.value.trim();
    if (!text) return Promise.resolve();
    const at = parseTypedTime(text);
    if (!at) return fill(jsonBox, async () => notice('error', `"${text}" is not a time: type ISO 8601, e.g. ${inputText(new Date().toISOString())} (read as ${zoneLabel()}), or add Z or ±hh:mm.`), true);
    return fill(jsonBox, async () => {
      const view = await api('/api/asof', { ...base, at: at.toISOString() });
      return jsonPanel(ctx, id, `As of ${formatTime(at.toISOString())} (version ${view.ov})`, view);
    }, true);
  }

  // The fields each version changed: read after the rows are drawn, so the timeline never waits for payloads.
  async function fillChanges(ovs) {
    if (ovs.length === 0) return;
    let changes;
    try {
      ({ changes } = await api('/api/changes', { ...base, ovs: ovs.join(',') }));
    } catch {
      changes = {};
    }
    for (const ov of ovs) {
      const cell = rows.querySelector(`td[data-changed="${ov}"]`);
      if (!cell) continue;
      const fields = changes[ov];
      if (!fields) mount(cell, h('span', { class: 'muted', title: 'could not be read' }, '?'));
      else if (fields.length === 0) mount(cell, h('span', { class: 'muted' }, 'no data change'));
      else mount(cell, fields.map((name, i) => [i ? ', ' : '', h('button', { type: 'button', class: 'link field', 'data-field': name, title: `history of ${name}`, onclick: () => showFieldHistory(name) }, visible(name))]));
    }
  }

  function fieldHistoryPanel(result) {
    return h('div', { class: 'field-history', 'data-field': result.field },
      h('h3', {}, 'History of ', h('code', {}, visible(result.field)), h('span', { class: 'muted small' }, ` (${result.scanned} newest versions read)`)),
      result.items.length === 0 ? h('p', { class: 'muted' }, 'No version among them changed it.') :
        h('table', { class: 'grid field-changes' },
          h('thead', {}, h('tr', {}, h('th', {}, 'ov'), h('th', {}, 'time'), h('th', {}, 'actor'), h('th', {}, 'reason'), h('th', {}, 'from'), h('th', {}, 'to'))),
          h('tbody', {}, result.items.map((c) => h('tr', { 'data-ov': c.ov },
            h('td', { class: 'num strong' }, c.ov),
            h('td', { class: 'mono small' }, formatTime(c.at)),
            h('td', { class: 'actor' }, visible(c.actor || '')),
            h('td', { class: 'reason' }, visible(c.reason || '')),
            h('td', {}, valueBlock(c.before)),
            h('td', {}, valueBlock(c.after)))))));
  }

  function showFieldHistory(field) {
    fieldInput.value = field;
    return fill(fieldBox, async () => fieldHistoryPanel(await api('/api/field-history', { ...base, field })), true);
  }

  function markSelection() {
    for (const tr of rows.children) {
      const ov = Number(tr.dataset.ov);
      tr.classList.toggle('sel-a', ov === sel.a);
      tr.classList.toggle('sel-b', ov === sel.b);
    }
    for (const input of rows.querySelectorAll('input[type=radio]')) input.checked = Number(input.value) === sel[input.name];
  }

  function pick(side, ov) {
    sel[side] = ov;
    markSelection();
  }

  function restoreCell(v) {
    if (!write) return null;
    const current = versions[0];
    if (v.ov === current.ov) return h('span', { class: 'muted small', title: 'restoring the current version would only copy it' }, 'current');
    if (v.deleted) return h('span', { class: 'muted small', 'data-no-restore': v.ov, title: 'restoring a delete would delete the record again; restore the version before it' }, 'a delete');
    return h('button', { class: 'link restore', 'data-restore': v.ov, onclick: () => openRestoreDialog(dialog, { ctx, id, ov: v.ov, latest: current, done: reload }) }, 'Restore…');
  }

  function row(v) {
    return h('tr', { class: v.deleted ? 'deleted' : '', 'data-ov': v.ov },
      h('td', {}, h('input', { type: 'radio', name: 'a', value: v.ov, 'aria-label': `compare from v${v.ov}`, onchange: () => pick('a', v.ov) })),
      h('td', {}, h('input', { type: 'radio', name: 'b', value: v.ov, 'aria-label': `compare to v${v.ov}`, onchange: () => pick('b', v.ov) })),
      h('td', { class: 'num strong' }, v.ov),
      h('td', { class: 'num' }, v.cv),
      h('td', { class: 'mono small time', title: 'click to use as the as-of time', onclick: () => { asOfInput.value = inputText(v.at); } }, formatTime(v.at)),
      h('td', { class: 'actor' }, visible(v.actor || '')),
      h('td', { class: 'reason' }, visible(v.reason || '')),
      h('td', {}, kindLabel(v)),
      h('td', { class: 'changed-fields small', 'data-changed': v.ov }, h('span', { class: 'muted' }, '…')),
      h('td', {}, v.deleted ? h('span', { class: 'badge del' }, 'deleted') : ''),
      h('td', { class: 'small fids', title: v.functionIds.length ? `carries: ${v.functionIds.join(', ')}` : '' }, visible(v.addedFunctionIds.join(', '))),
      h('td', { class: 'row-actions' },
        h('button', { class: 'link', 'data-json': v.ov, onclick: () => showVersion(v.ov, true) }, 'JSON'),
        restoreCell(v)));
  }

  async function loadPage() {
    more.disabled = true;
    const page = await api('/api/versions', { ...base, limit: PAGE, beforeOv: nextBeforeOv }).finally(() => { more.disabled = false; });
    versions.push(...page.items);
    nextBeforeOv = page.nextBeforeOv;
    rows.append(...page.items.map(row));
    markSelection();
    fillChanges(page.items.map((v) => v.ov));
    more.hidden = nextBeforeOv === undefined;
    more.textContent = `Load older versions (${versions.length} shown)`;
  }

  async function reload(message, { keepPage } = {}) {
    if (!keepPage) await renderRecord(main, params, isCurrent);
    if (message) mount(document.getElementById('status'), message);
  }

  const s = rec.system;
  document.title = `${rec.title ? `${rec.title} · ` : ''}${id} · ${ctx.collection} · Chronos Studio`;
  mount(main,
    h('p', { class: 'crumbs' }, h('a', { href: viewHref('c', ctxParams(ctx)) }, `${scopeText(ctx)} · ${ctx.collection}`)),
    h('h1', { class: 'record-title' },
      rec.title ? h('span', { class: 'display-title' }, visible(rec.title), ' ') : null,
      h('span', { class: 'mono record-id' }, visible(id)), ' ', s.deleted ? h('span', { class: 'badge del' }, 'deleted') : null,
      h('span', { class: 'badge' }, `v${s.ov}`), h('span', { class: 'badge' }, `cv ${s.cv}`)),
    h('p', { class: 'muted' }, `created ${formatTime(s.insertedAt)} · updated ${formatTime(s.updatedAt)}`),
    lineagePanel(rec),
    status,
    write ? null : h('p', { class: 'notice info small' }, 'Read-only: start with --write to restore versions.'),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Versions'), h('div', { class: 'tools' }, h('span', { class: 'muted small' }, 'pick A and B, then '), compare)),
      h('div', { class: 'table-scroll' },
        h('table', { class: 'grid timeline', id: 'timeline' },
          h('thead', {}, h('tr', {}, h('th', {}, 'A'), h('th', {}, 'B'), h('th', {}, 'ov'), h('th', {}, 'cv'), h('th', {}, `time (${zone() === 'utc' ? 'UTC' : 'local'})`), h('th', {}, 'actor'), h('th', {}, 'reason'), h('th', {}, 'kind'), h('th', {}, 'changed'), h('th', {}, ''), h('th', { title: 'functionIds this version added' }, 'functionIds added'), h('th', {}, ''))),
          rows)),
      more),
    h('section', { class: 'panel', id: 'diff-section' }, h('h2', {}, 'Diff'), diffBox),
    h('section', { class: 'panel', id: 'data-section' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Data'),
        h('form', { class: 'tools', id: 'asof-form', onsubmit: (e) => { e.preventDefault(); showAsOf(); } },
          h('label', {}, 'as of ', asOfInput),
          h('span', { class: 'muted small', id: 'asof-zone' }, `read as ${zoneLabel()}`),
          h('button', { type: 'submit' }, 'Show'))),
      jsonBox),
    h('section', { class: 'panel', id: 'field-section' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Field history'),
        h('form', { class: 'tools', id: 'field-form', onsubmit: (e) => { e.preventDefault(); if (fieldInput.value.trim()) showFieldHistory(fieldInput.value.trim()); } },
          h('label', {}, 'who changed ', fieldInput), h('button', { type: 'submit' }, 'Show'))),
      fieldBox),
    dialog);
  await loadPage();
  sel.b = versions[0].ov;
  sel.a = versions.length > 1 ? versions[1].ov : versions[0].ov;
  markSelection();
  // The first fill of each box yields to whatever the user asked for while the page loaded (an
  // as-of time, a version's JSON, a comparison): it must not replace that answer.
  const untouched = (box) => !latestRequest.has(box);
  await Promise.all([untouched(diffBox) ? showDiff() : null, untouched(jsonBox) ? showVersion(versions[0].ov, false) : null]);
}
