// The record page: head and lineage, the version timeline (paged lazily, newest first), any
// version's JSON, a diff of two versions side by side, the state as of an instant, and restore
// (only when the server allows writes).
import { api, ApiError, post, session } from './api.js';
import { ctxParams, h, jsonText, mount, notice, shortTime, viewHref } from './dom.js';

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

function cell(value) {
  if (value === undefined) return h('span', { class: 'muted' }, '—');
  return h('code', {}, typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));
}

// Application data first, then the `_system` bookkeeping that changes on every version.
function systemLast(path) {
  return path.startsWith('_system') ? 1 : 0;
}

function diffPanel(result) {
  const { a, b, diff } = result;
  const rows = [
    ...diff.changed.map((d) => ['changed', d]),
    ...diff.added.map((d) => ['added', d]),
    ...diff.removed.map((d) => ['removed', d]),
  ].sort((x, y) => systemLast(x[1].path) - systemLast(y[1].path) || (x[1].path < y[1].path ? -1 : 1));
  return h('div', { class: 'diff', id: 'diff' },
    h('p', { class: 'diff-summary' },
      `v${a.ov} → v${b.ov}: `,
      h('span', { class: 'pill changed' }, `${diff.changed.length} changed`), ' ',
      h('span', { class: 'pill added' }, `${diff.added.length} added`), ' ',
      h('span', { class: 'pill removed' }, `${diff.removed.length} removed`)),
    rows.length === 0 ? h('p', { class: 'muted' }, 'The two versions hold the same data.') :
      h('table', { class: 'grid diff-table' },
        h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'path'), h('th', {}, `v${a.ov}`), h('th', {}, `v${b.ov}`))),
        h('tbody', {}, rows.map(([kind, d]) => h('tr', { class: kind, 'data-path': d.path },
          h('td', {}, h('span', { class: `pill ${kind}` }, kind)),
          h('td', { class: 'mono' }, d.path),
          h('td', {}, cell(d.before)),
          h('td', {}, cell(d.after)))))),
    h('div', { class: 'side-by-side' },
      h('pre', { class: 'json' }, jsonText(a.record)),
      h('pre', { class: 'json' }, jsonText(b.record))));
}

function lineage(rec) {
  const link = (label, l) => {
    if (!l) return null;
    const target = l.context ? h('a', { href: viewHref('r', { ...ctxParams(l.context), id: l.id }) }, `${l.collection}/${l.id}`) : h('span', { class: 'mono' }, `${l.collection}/${l.id}`);
    return h('span', { class: 'lineage' }, `${label}: `, target);
  };
  const parts = [link('parent', rec.parent), link('origin', rec.origin)].filter(Boolean);
  return parts.length ? h('p', { class: 'lineage-row' }, parts) : null;
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

  const status = h('div', { id: 'status' });
  const rows = h('tbody', {});
  const more = h('button', { id: 'more', class: 'link', onclick: () => loadPage() }, 'Load older versions');
  const diffBox = h('div', { id: 'diff-box' });
  const jsonBox = h('div', { id: 'json-box' });
  const dialog = h('dialog', { id: 'restore-dialog' });
  const compare = h('button', { id: 'compare', onclick: () => showDiff() }, 'Compare');

  // Each box shows the answer to the latest request made for it, whatever order answers arrive in.
  const latestRequest = new Map();
  async function fill(box, load) {
    const ticket = (latestRequest.get(box) || 0) + 1;
    latestRequest.set(box, ticket);
    let content;
    try {
      content = await load();
    } catch (e) {
      content = notice('error', e.message);
    }
    if (latestRequest.get(box) === ticket) mount(box, content);
  }

  function showDiff() {
    if (sel.a === undefined || sel.b === undefined) return Promise.resolve();
    return fill(diffBox, async () => diffPanel(await api('/api/diff', { ...base, a: sel.a, b: sel.b })));
  }

  function showVersion(ov) {
    return fill(jsonBox, async () => jsonPanel(ctx, id, `Version ${ov}`, await api('/api/version', { ...base, ov })));
  }

  function showAsOf(input) {
    if (!input.value) return Promise.resolve();
    const at = new Date(input.value).toISOString();
    return fill(jsonBox, async () => {
      const view = await api('/api/asof', { ...base, at });
      return jsonPanel(ctx, id, `As of ${shortTime(at)} (version ${view.ov})`, view);
    });
  }

  function openRestore(ov) {
    const latest = versions[0].ov;
    const reason = h('input', { type: 'text', name: 'reason', required: true, placeholder: 'why (stored on the new version)', autocomplete: 'off' });
    const err = h('div', {});
    mount(dialog,
      h('form', { method: 'dialog', onsubmit: async (e) => {
        e.preventDefault();
        if (!reason.value.trim()) return mount(err, notice('error', 'Type a reason.'));
        try {
          const res = await post('/api/restore', { ...ctxParams(ctx), id, ov, expectedOv: latest, reason: reason.value });
          dialog.close();
          await reload(notice('ok', `Restored version ${ov} as new version ${res.ov} (actor studio).`));
        } catch (e2) {
          if (e2 instanceof ApiError && e2.status === 409) {
            dialog.close();
            mount(status, notice('error', `Conflict: someone wrote meanwhile; the record is now at version ${e2.body.currentOv}, not ${latest}. Nothing was restored. Reload and try again.`));
          } else mount(err, notice('error', e2.message));
        }
      } },
        h('h3', {}, `Restore version ${ov}?`),
        h('p', {}, `This appends version ${latest + 1} equal to version ${ov}, written by actor "studio". Nothing is overwritten.`),
        h('label', {}, 'Reason ', reason),
        err,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
          h('button', { type: 'submit', id: 'confirm-restore' }, `Restore v${ov}`))));
    dialog.showModal();
    reason.focus();
  }

  function row(v) {
    return h('tr', { class: v.deleted ? 'deleted' : '', 'data-ov': v.ov },
      h('td', {}, h('input', { type: 'radio', name: 'a', value: v.ov, checked: sel.a === v.ov, 'aria-label': `compare from v${v.ov}`, onchange: () => { sel.a = v.ov; } })),
      h('td', {}, h('input', { type: 'radio', name: 'b', value: v.ov, checked: sel.b === v.ov, 'aria-label': `compare to v${v.ov}`, onchange: () => { sel.b = v.ov; } })),
      h('td', { class: 'num strong' }, v.ov),
      h('td', { class: 'num' }, v.cv),
      h('td', { class: 'mono small' }, shortTime(v.at)),
      h('td', {}, v.actor || ''),
      h('td', { class: 'reason' }, v.reason || ''),
      h('td', {}, h('span', { class: `kind ${v.kind}` }, v.kind)),
      h('td', {}, v.deleted ? h('span', { class: 'badge del' }, 'deleted') : ''),
      h('td', { class: 'small' }, v.functionIds.join(', ')),
      h('td', { class: 'row-actions' },
        h('button', { class: 'link', onclick: () => showVersion(v.ov) }, 'JSON'),
        write ? h('button', { class: 'link restore', 'data-restore': v.ov, onclick: () => openRestore(v.ov) }, 'Restore…') : null));
  }

  async function loadPage() {
    more.disabled = true;
    const page = await api('/api/versions', { ...base, limit: PAGE, beforeOv: nextBeforeOv }).finally(() => { more.disabled = false; });
    versions.push(...page.items);
    nextBeforeOv = page.nextBeforeOv;
    rows.append(...page.items.map(row));
    more.hidden = nextBeforeOv === undefined;
    more.textContent = `Load older versions (${versions.length} shown)`;
  }

  async function reload(message) {
    await renderRecord(main, params, isCurrent);
    if (message) mount(document.getElementById('status'), message);
  }

  const s = rec.system;
  mount(main,
    h('p', { class: 'crumbs' }, h('a', { href: viewHref('c', ctxParams(ctx)) }, `${ctx.databaseType} · ${ctx.tenantId ? `tenant ${ctx.tenantId}` : ctx.domain ? `domain ${ctx.domain}` : ctx.tier || 'single'} · ${ctx.collection}`)),
    h('h1', { class: 'record-title' }, h('span', { class: 'mono' }, id), ' ', s.deleted ? h('span', { class: 'badge del' }, 'deleted') : null,
      h('span', { class: 'badge' }, `v${s.ov}`), h('span', { class: 'badge' }, `cv ${s.cv}`)),
    h('p', { class: 'muted' }, `created ${shortTime(s.insertedAt)} · updated ${shortTime(s.updatedAt)}`),
    lineage(rec),
    status,
    write ? null : h('p', { class: 'notice info small' }, 'Read-only: start with --write to restore versions.'),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Versions'), h('div', { class: 'tools' }, h('span', { class: 'muted small' }, 'pick A and B, then '), compare)),
      h('table', { class: 'grid timeline', id: 'timeline' },
        h('thead', {}, h('tr', {}, h('th', {}, 'A'), h('th', {}, 'B'), h('th', {}, 'ov'), h('th', {}, 'cv'), h('th', {}, 'time (UTC)'), h('th', {}, 'actor'), h('th', {}, 'reason'), h('th', {}, 'kind'), h('th', {}, ''), h('th', {}, 'functionIds'), h('th', {}, ''))),
        rows),
      more),
    h('section', { class: 'panel' }, h('h2', {}, 'Diff'), diffBox),
    h('section', { class: 'panel' },
      h('div', { class: 'panel-head' }, h('h2', {}, 'Data'),
        h('form', { class: 'tools', id: 'asof-form', onsubmit: (e) => { e.preventDefault(); showAsOf(e.target.elements.at); } },
          h('label', {}, 'as of ', h('input', { type: 'datetime-local', name: 'at', step: '0.001' })), h('button', { type: 'submit' }, 'Show'))),
      jsonBox),
    dialog);
  await loadPage();
  sel.b = versions[0].ov;
  sel.a = versions.length > 1 ? versions[1].ov : versions[0].ov;
  for (const input of rows.querySelectorAll('input[type=radio]')) input.checked = Number(input.value) === sel[input.name];
  await Promise.all([showDiff(), showVersion(versions[0].ov)]);
}
