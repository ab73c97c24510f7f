// Requests to the dashboard's API (docs/AUTH-API-DRAFT.md): every change (POST, PUT, PATCH, DELETE) carries the
// session's X-CSRF-Token from GET /api/me, fetched once per page; a 401 from any call sends the browser to the sign-in
// page and back here afterwards; refusals become ApiError with the server's message and the field it names.

export class ApiError extends Error {
  constructor(message, status, field, retryAfter) {
    super(message);
    this.status = status;
    this.field = field;
    this.retryAfter = retryAfter;
  }
}

const READS = new Set(['GET', 'HEAD']);
let mePromise = null;

/** The sign-in page's address that comes back to where the browser is now. */
export function loginUrl() {
  return `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** A promise that never settles: the page is on its way to the sign-in page, nothing more should run. */
function leaving() {
  location.assign(loginUrl());
  return new Promise(() => {});
}

async function refusal(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // not JSON: keep the status text
  }
  const seconds = Number.parseInt(response.headers.get('Retry-After'), 10);
  return new ApiError(body.error || `${response.status} ${response.statusText}`, response.status, body.field || null,
    Number.isFinite(seconds) ? seconds : null);
}

/**
 * fetch with the dashboard's rules. Options: method, body (an object sent as JSON, or a Blob/File sent as it is),
 * headers, cache, redirect (false: a 401 is thrown as an ApiError instead of leaving for the sign-in page; for the
 * public pages and calls where 401 means a wrong password).
 */
export async function request(url, options = {}) {
  const method = (options.method || 'GET').toUpperCase();
  const headers = {...(options.headers || {})};
  let body = options.body;
  if (body !== undefined && !(body instanceof Blob)) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(body);
  }
  if (!READS.has(method)) {
    const token = await csrfToken(options.redirect !== false);
    if (token) headers['X-CSRF-Token'] = token;
  }
  let response;
  try {
    response = await fetch(url, {method, headers, body, cache: options.cache, credentials: 'same-origin'});
  } catch {
    throw new ApiError('The dashboard cannot be reached. Check your connection and try again.', 0, null);
  }
  if (response.ok) return response;
  const error = await refusal(response);
  // A 401 that names a field is about what was typed (a wrong current password), not about the session.
  if (response.status === 401 && options.redirect !== false && !error.field) return leaving();
  throw error;
}

/** GET (or another method) and the answer's JSON; null for 204. */
export async function json(url, options) {
  const response = await request(url, options);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * Who is signed in: {user: {id, email, admin} | null, admin, csrfToken, access}. Fetched once. Signed out, it leaves for
 * the sign-in page, unless redirect is false: then it answers null.
 */
export function me({redirect = true} = {}) {
  if (!mePromise) {
    mePromise = fetch('/api/me', {credentials: 'same-origin', cache: 'no-store'}).then(async (response) => {
      if (response.status === 401) return null;
      if (!response.ok) throw await refusal(response);
      return response.json();
    }).catch((e) => {
      mePromise = null;
      if (e instanceof ApiError) throw e;
      throw new ApiError('The dashboard cannot be reached. Check your connection and try again.', 0, null);
    });
  }
  return mePromise.then((m) => (m === null && redirect ? leaving() : m));
}

/** Forgets who is signed in, e.g. after a password change gave this browser a new session. */
export function forgetMe() {
  mePromise = null;
}

async function csrfToken(redirect) {
  try {
    const m = await me({redirect});
    return m ? m.csrfToken : null;
  } catch (e) {
    if (!redirect) return null;
    throw e;
  }
}

/** Whether the visitor may do what administrators do: an administrator's account, or a mode without accounts. */
export function isAdmin(m) {
  return Boolean(m && (m.admin === true || m.access === 'local' || m.access === 'open' || (m.user && m.user.admin)));
}

/** Whether this dashboard has accounts (password, sessions, tokens, signing out). */
export function hasAccounts(m) {
  return Boolean(m && m.access === 'accounts' && m.user);
}

/** "?a=1&b=2" from the parameters that have a value, or "". */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
