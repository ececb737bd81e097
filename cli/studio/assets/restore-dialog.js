// The restore dialog: what the restore would change (the current version against the chosen
// one), a reason, and the confirmation. The timeline offers it only for versions that give data
// back: never the current version, never a delete (the server refuses both as well).
import { api, ApiError, post } from './api.js';
import { ctxParams, h, mount, notice } from './dom.js';
import { diffPanel } from './diff-view.js';

/**
 * Fills `dialog` for restoring version `ov` of record `id` whose current version is `latest`
 * (`{ ov, deleted }`), opens it, and calls `done(message)` after a restore or a conflict.
 */
export async function openRestoreDialog(dialog, { ctx, id, ov, latest, done }) {
  const reason = h('input', { type: 'text', name: 'reason', required: true, placeholder: 'why (stored on the new version)', autocomplete: 'off' });
  const err = h('div', {});
  const preview = h('div', { class: 'restore-preview', id: 'restore-preview' }, h('p', { class: 'muted' }, 'Loading the preview…'));
  mount(dialog,
    h('form', { method: 'dialog', onsubmit: async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) return mount(err, notice('error', 'Type a reason.'));
      try {
        const res = await post('/api/restore', { ...ctxParams(ctx), id, ov, expectedOv: latest.ov, reason: reason.value });
        dialog.close();
        await done(notice('ok', `Restored version ${ov} as new version ${res.ov} (actor studio, restored from v${ov}).`));
      } catch (e2) {
        if (e2 instanceof ApiError && e2.status === 409) {
          dialog.close();
          await done(notice('error', `Conflict: someone wrote meanwhile; the record is now at version ${e2.body.currentOv}, not ${latest.ov}. Nothing was restored. Reload and try again.`), { keepPage: true });
        } else mount(err, notice('error', e2.message));
      }
    } },
      h('h3', {}, `Restore version ${ov}?`),
      h('p', {}, `This appends version ${latest.ov + 1} equal to version ${ov} (recorded as restored from v${ov}), written by actor "studio". Nothing is overwritten.`,
        latest.deleted ? h('strong', {}, ' The record is deleted now: this brings it back.') : null),
      h('h4', {}, `What changes: v${latest.ov} (current) → v${ov}`),
      preview,
      h('label', {}, 'Reason ', reason),
      err,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'submit', id: 'confirm-restore' }, `Restore v${ov}`))));
  dialog.showModal();
  reason.focus();
  try {
    const result = await api('/api/diff', { ...ctxParams(ctx), id, a: latest.ov, b: ov });
    const draw = (options) => mount(preview, diffPanel(result, { ...options, id: 'restore-diff', onChange: draw }));
    draw({ showSystem: false });
  } catch (e) {
    mount(preview, notice('error', `No preview: ${e.message}`));
  }
}
