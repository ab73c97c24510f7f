// Numbers and dates for people: thousands separators, short decimals, calendar days as ISO strings.

const integer = new Intl.NumberFormat(undefined, {maximumFractionDigits: 0});
const oneDecimal = new Intl.NumberFormat(undefined, {minimumFractionDigits: 1, maximumFractionDigits: 1});

export function count(n) {
  return integer.format(n);
}

/** A share 0..1 as "50.0 %". */
export function percent(share) {
  return `${oneDecimal.format(share * 100)} %`;
}

/** A small positive quantity with two significant digits, without scientific notation. */
export function amount(x) {
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return integer.format(x);
  const digits = Math.min(6, Math.max(0, 1 - Math.floor(Math.log10(Math.abs(x)))));
  return new Intl.NumberFormat(undefined, {maximumFractionDigits: digits}).format(x);
}

/**
 * A quantity for people (clicks in a spot, seconds): whole from 10 up, else one decimal at most, and "< 0.1" rather
 * than a string of zeros.
 */
export function quantity(x) {
  if (x === 0) return '0';
  if (Math.abs(x) >= 10) return integer.format(x);
  if (Math.abs(x) < 0.05) return '< 0.1';
  return new Intl.NumberFormat(undefined, {maximumFractionDigits: 1}).format(x);
}

export function pluralize(n, one, many) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

const DAY = 86_400_000;

function toUtc(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtc(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso, days) {
  return fromUtc(toUtc(iso) + days * DAY);
}

export function monthStart(iso) {
  return iso.slice(0, 8) + '01';
}

/** Days from a to b, both included. */
export function daysBetween(from, to) {
  return Math.round((toUtc(to) - toUtc(from)) / DAY) + 1;
}

export function isIsoDate(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(toUtc(s));
}

const dayFormat = new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'short', timeZone: 'UTC'});
const yearFormat = new Intl.DateTimeFormat(undefined, {day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'});

/** "3 Mar – 12 Mar 2025" */
export function range(from, to) {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const a = (sameYear ? dayFormat : yearFormat).format(toUtc(from));
  return `${a} – ${yearFormat.format(toUtc(to))}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});

export function dateTime(iso) {
  return iso ? timeFormat.format(new Date(iso)) : '';
}
