/** The word segments the Studio marks inside a changed string. */
import { describe, expect, it } from 'vitest';
import { wordSegments } from '../../cli/studio/word-diff.js';

describe('wordSegments', () => {
  it('marks the changed words and keeps the rest as common text that joins back exactly', () => {
    const before = 'the quick brown fox';
    const after = 'the slow brown fox';
    const segments = wordSegments(before, after);
    expect(segments).toEqual([
      { kind: 'same', value: 'the ' },
      { kind: 'removed', value: 'quick' },
      { kind: 'added', value: 'slow' },
      { kind: 'same', value: ' brown fox' },
    ]);
    const side = (kind: string) => segments?.filter((s) => s.kind === 'same' || s.kind === kind).map((s) => s.value).join('');
    expect(side('removed')).toBe(before);
    expect(side('added')).toBe(after);
  });

  it('gives up on strings too different to mark word by word', () => {
    const a = Array.from({ length: 5000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 5000 }, (_, i) => `b${i}`).join(' ');
    expect(wordSegments(a, b)).toBeUndefined();
  });
});
