// The one time zone the whole page shows times in, UTC or the browser's, picked with the toggle in
// the header and kept in localStorage. Every time on the page is ISO 8601 with its offset, and the
// as-of box reads what is typed in the same zone (unless the text carries its own offset).

const KEY = 'chronos-studio-zone';
const listeners = new Set();

/** `'utc'` or `'local'`. */
export function zone() {
  try {
    return localStorage.getItem(KEY) === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

/** Switches the zone and tells every listener (the router redraws the view). */
export function setZone(value) {
  try {
    localStorage.setItem(KEY, value === 'local' ? 'local' : 'utc');
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  for (const listener of listeners) listener();
}

/** Calls `listener` after each zone change. */
export function onZoneChange(listener) {
  listeners.add(listener);
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

function offsetText(minutesEast) {
  const sign = minutesEast < 0 ? '-' : '+';
  const abs = Math.abs(minutesEast);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The browser's IANA zone name, e.g. `America/New_York`. */
export function localZoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
}

/** What the shown zone is called, e.g. `UTC` or `America/New_York, UTC-05:00 now`. */
export function zoneLabel() {
  return zone() === 'utc' ? 'UTC' : `${localZoneName()}, UTC${offsetText(-new Date().getTimezoneOffset())} now`;
}

/** An ISO time shown in the page's zone: `2026-11-29T10:14:03.120Z` or `2026-11-29T05:14:03.120-05:00`. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  if (zone() === 'utc') return d.toISOString();
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${offsetText(-d.getTimezoneOffset())}`;
}

/** The text to type in the as-of box for an ISO time: {@link formatTime} without its zone suffix. */
export function inputText(iso) {
  return formatTime(iso).replace(/(Z|[+-]\d{2}:\d{2})$/, '');
}

const TYPED = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads a typed time: ISO 8601, date only or to the millisecond. Text with its own offset (`Z`,
 * `-05:00`) means that instant; text without one is read in the page's zone. Returns a Date, or
 * undefined when the text is no such time.
 */
export function parseTypedTime(text) {
  const m = TYPED.exec(String(text).trim());
  if (!m) return undefined;
  const [, y, mo, d, hh = '0', mi = '0', ss = '0', frac = '0', offset] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss), Number(frac.slice(0, 3).padEnd(3, '0'))];
  if (parts[1] > 11 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return undefined;
  let ms;
  if (offset) {
    const utc = Date.UTC(...parts);
    if (/^z$/i.test(offset)) ms = utc;
    else {
      const digits = offset.replace(':', '');
      const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
      ms = utc - (digits[0] === '-' ? -minutes : minutes) * 60_000;
    }
  } else if (zone() === 'utc') ms = Date.UTC(...parts);
  else ms = new Date(...parts).getTime();
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
