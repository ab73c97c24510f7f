// Times for people: "12 s ago", "3 min ago", "yesterday", or a date; and browsers from their user agent.

import {dateTime} from './format.js';

export {dateTime};

const dateFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium'});

/** How long before now an ISO time was, in short plain words. now: ms since the epoch (the server's clock). */
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return `on ${dateFormat.format(new Date(iso))}`;
}

export function date(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '';
}

/** A <time> element with the relative time as its text and the full date as its tooltip. */
export function timeElement(iso, now) {
  const t = document.createElement('time');
  if (!iso) {
    t.textContent = 'never';
    return t;
  }
  t.dateTime = iso;
  t.title = dateTime(iso);
  t.textContent = ago(iso, now);
  return t;
}

const BROWSERS = [[/Edg(e|A|iOS)?\//, 'Edge'], [/OPR\/|Opera/, 'Opera'], [/Firefox\/|FxiOS/, 'Firefox'],
  [/SamsungBrowser/, 'Samsung Internet'], [/Chrome\/|Chromium\/|CriOS/, 'Chrome'], [/Safari\//, 'Safari']];
const SYSTEMS = [[/Windows/, 'Windows'], [/iPhone|iPad|iPod/, 'iOS'], [/Android/, 'Android'], [/CrOS/, 'ChromeOS'],
  [/Mac OS X|Macintosh/, 'macOS'], [/Linux|X11/, 'Linux']];

/** "Chrome on Linux" from a user agent; a program's own name (curl, python-requests) when it is not a browser. */
export function browserName(userAgent) {
  if (!userAgent) return 'Unknown browser';
  const browser = BROWSERS.find(([re]) => re.test(userAgent));
  const system = SYSTEMS.find(([re]) => re.test(userAgent));
  if (browser) return system ? `${browser[1]} on ${system[1]}` : browser[1];
  const program = userAgent.split(/[\s/]/)[0];
  return program ? `${program}${system ? ` on ${system[1]}` : ''}` : 'Unknown browser';
}
