// The diff of two versions: a summary, then each added, removed or changed path, application data
// first and `_system` (which changes on every version) hidden unless asked for. Long values wrap
// and fold; changed strings show which words changed.
import { escapeHidden, h, jsonText, visible } from './dom.js';

/** Values longer than this many characters are folded until the user opens them. */
const FOLD_AT = 600;

const isSystem = (path) => path === '_system' || path.startsWith('_system.') || path.startsWith('_system[');

/** A JSON value as wrapped text, folded when long. */
export function valueBlock(value, extraClass = '') {
  if (value === undefined) return h('span', { class: 'muted' }, '—');
  const text = escapeHidden(JSON.stringify(value));
  if (text.length <= FOLD_AT) return h('code', { class: `value ${extraClass}` }, text);
  const body = h('code', { class: `value ${extraClass}` }, text.slice(0, FOLD_AT), '…');
  const toggle = h('button', { type: 'button', class: 'link fold', 'aria-expanded': 'false' }, `show all ${text.length.toLocaleString('en')} characters`);
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    body.replaceChildren(open ? text : `${text.slice(0, FOLD_AT)}…`);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'fold' : `show all ${text.length.toLocaleString('en')} characters`;
  });
  return h('div', { class: 'folded' }, body, toggle);
}

/** Unchanged text around marked words keeps this many characters on each side until unfolded. */
const CONTEXT = 120;

// Word segments of a changed string (from the server), one side of them: common text plain (long
// runs folded to their ends), this side's own words marked.
function wordSide(words, side) {
  const own = side === 'before' ? 'removed' : 'added';
  const kept = words.filter((w) => w.kind === 'same' || w.kind === own);
  const draw = (open) => kept.map((w, i) => {
    if (w.kind !== 'same') return h('mark', { class: `w-${own}` }, escapeHidden(w.value));
    const text = escapeHidden(w.value);
    if (open || text.length <= CONTEXT * 2 + 40) return text;
    const head = i === 0 ? '' : text.slice(0, CONTEXT);
    const tail = i === kept.length - 1 ? '' : text.slice(-CONTEXT);
    return [head, h('span', { class: 'elided' }, ` … ${(text.length - head.length - tail.length).toLocaleString('en')} unchanged characters … `), tail];
  });
  const total = kept.reduce((n, w) => n + w.value.length, 0);
  const body = h('code', { class: 'value words' }, '"', draw(false), '"');
  if (total <= CONTEXT * 2 + 40) return body;
  const toggle = h('button', { type: 'button', class: 'link fold', 'aria-expanded': 'false' }, 'show all');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    body.replaceChildren('"', ...draw(open).flat(), '"');
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'fold' : 'show all';
  });
  return h('div', { class: 'folded' }, body, toggle);
}

function cell(entry, side) {
  const value = entry[side];
  if (entry.words && value !== undefined) return wordSide(entry.words, side);
  return valueBlock(value);
}

function rowsOf(diff, showSystem) {
  return [
    ...diff.changed.map((d) => ['changed', d]),
    ...diff.added.map((d) => ['added', d]),
    ...diff.removed.map((d) => ['removed', d]),
  ]
    .filter(([, d]) => showSystem || !isSystem(d.path))
    .sort((x, y) => Number(isSystem(x[1].path)) - Number(isSystem(y[1].path)) || (x[1].path < y[1].path ? -1 : 1));
}

function table(a, b, rows, layout) {
  if (layout === 'unified') {
    return h('div', { class: 'unified' }, rows.map(([kind, d]) =>
      h('div', { class: `u-entry ${kind}`, 'data-path': d.path },
        h('div', { class: 'u-path mono' }, h('span', { class: `pill ${kind}` }, kind), ' ', visible(d.path)),
        d.before !== undefined ? h('div', { class: 'u-line minus' }, h('span', { class: 'u-sign' }, `v${a.ov} −`), cell(d, 'before')) : null,
        d.after !== undefined ? h('div', { class: 'u-line plus' }, h('span', { class: 'u-sign' }, `v${b.ov} +`), cell(d, 'after')) : null)));
  }
  return h('table', { class: 'grid diff-table' },
    h('colgroup', {}, h('col', { class: 'c-kind' }), h('col', { class: 'c-path' }), h('col', {}), h('col', {})),
    h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'path'), h('th', {}, `v${a.ov}`), h('th', {}, `v${b.ov}`))),
    h('tbody', {}, rows.map(([kind, d]) => h('tr', { class: kind, 'data-path': d.path },
      h('td', {}, h('span', { class: `pill ${kind}` }, kind)),
      h('td', { class: 'mono path' }, visible(d.path)),
      h('td', {}, cell(d, 'before')),
      h('td', {}, cell(d, 'after'))))));
}

/**
 * The diff panel of an `/api/diff` answer. `options.showSystem` starts with `_system` paths shown,
 * `options.layout` is `side-by-side` (default) or `unified`, `options.documents` adds both JSON
 * documents beside each other, and `options.onChange(next)` redraws with changed options (the
 * toggles are left out without it).
 */
export function diffPanel(result, options = {}) {
  const { a, b, diff } = result;
  const showSystem = Boolean(options.showSystem);
  const layout = options.layout === 'unified' ? 'unified' : 'side-by-side';
  const rows = rowsOf(diff, showSystem);
  const count = (list) => list.filter((d) => showSystem || !isSystem(d.path)).length;
  const change = options.onChange;
  return h('div', { class: 'diff', id: options.id || 'diff' },
    h('div', { class: 'diff-head' },
      h('p', { class: 'diff-summary' },
        `v${a.ov} → v${b.ov}: `,
        h('span', { class: 'pill changed' }, `${count(diff.changed)} changed`), ' ',
        h('span', { class: 'pill added' }, `${count(diff.added)} added`), ' ',
        h('span', { class: 'pill removed' }, `${count(diff.removed)} removed`)),
      change ? h('div', { class: 'tools' },
        h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'hide-system', checked: !showSystem, onchange: (e) => change({ ...options, showSystem: !e.target.checked }) }), ' hide _system'),
        h('select', { name: 'layout', 'aria-label': 'diff layout', onchange: (e) => change({ ...options, layout: e.target.value }) },
          h('option', { value: 'side-by-side', selected: layout === 'side-by-side' }, 'side by side'),
          h('option', { value: 'unified', selected: layout === 'unified' }, 'unified'))) : null),
    rows.length === 0
      ? h('p', { class: 'muted' }, showSystem ? 'The two versions hold the same data.' : 'The two versions hold the same data (apart from _system).')
      : table(a, b, rows, layout),
    options.documents ? h('div', { class: 'side-by-side' },
      h('pre', { class: 'json' }, jsonText(a.record)),
      h('pre', { class: 'json' }, jsonText(b.record))) : null);
}
