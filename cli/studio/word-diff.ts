/**
 * Which words of a changed string changed: the segments of `before` and `after` in order, each
 * common to both, only in `before` (removed) or only in `after` (added), so the page can mark the
 * changed words inside a long value instead of showing two walls of text. Uses jsdiff's word
 * diff (whitespace kept as its own tokens, so the text joins back exactly).
 */
import { diffWordsWithSpace } from 'diff';

/** One run of text in a word diff. */
export interface WordSegment {
  kind: 'same' | 'added' | 'removed';
  value: string;
}

/**
 * Bounds on the work: beyond this many edits the strings are too different for word marks to
 * help, and the diff gives up (the page then shows the two values whole).
 */
const MAX_EDITS = 2_000;
const TIMEOUT_MS = 200;

/** The word segments from `before` to `after`, or undefined when they differ too much to be worth marking. */
export function wordSegments(before: string, after: string): WordSegment[] | undefined {
  const changes = diffWordsWithSpace(before, after, { maxEditLength: MAX_EDITS, timeout: TIMEOUT_MS });
  if (!changes) return undefined;
  return changes.map((c) => ({ kind: c.added ? 'added' : c.removed ? 'removed' : 'same', value: c.value }));
}
