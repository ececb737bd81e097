/**
 * Execution buckets of time-based rules saved with `saveMode: 'timeframe'`: the hour, day or
 * month (UTC) a run falls in. Runs in the same bucket replace each other's result.
 */

/** A rule's timeframe. */
export type Timeframe = 'hourly' | 'daily' | 'monthly';

/** Label (`2026-11-25T14`, `2026-11-25`, `2026-11`) and UTC start of the bucket containing `at`. */
export function timeframeBucket(at: Date, timeframe: Timeframe): { label: string; start: Date } {
  const iso = at.toISOString();
  if (timeframe === 'hourly') return { label: iso.slice(0, 13), start: new Date(`${iso.slice(0, 13)}:00:00.000Z`) };
  if (timeframe === 'daily') return { label: iso.slice(0, 10), start: new Date(`${iso.slice(0, 10)}T00:00:00.000Z`) };
  return { label: iso.slice(0, 7), start: new Date(`${iso.slice(0, 7)}-01T00:00:00.000Z`) };
}
