/**
 * ISO-8601 durations (`PT1H`, `P1D`, `P1W`, `P1M`, `P1Y2M3DT4H5M6.5S`) as `relativeTime` windows
 * use them. Years and months are calendar units, so they are applied to a date (UTC) rather
 * than turned into milliseconds.
 */

/** A parsed duration: calendar part (years, months) and an exact part in milliseconds. */
export interface Duration {
  years: number;
  months: number;
  /** Weeks, days, hours, minutes and seconds, in milliseconds. */
  ms: number;
}

const GRAMMAR = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO-8601 duration; `undefined` when `text` is not one (or is an empty `P` / `PT`). */
export function parseDuration(text: string): Duration | undefined {
  const match = GRAMMAR.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return {
    years: y ?? 0,
    months: mo ?? 0,
    ms: (((w ?? 0) * 7 + (d ?? 0)) * 86_400 + (h ?? 0) * 3_600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000,
  };
}

/**
 * `at` minus `duration`: calendar months first (clamped to the month's last day, so 31 March
 * minus P1M is 28/29 February), then the exact part.
 */
export function subtractDuration(at: Date, duration: Duration): Date {
  const totalMonths = at.getUTCFullYear() * 12 + at.getUTCMonth() - (duration.years * 12 + duration.months);
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(year, month, Math.min(at.getUTCDate(), lastDay), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return new Date(shifted - duration.ms);
}
