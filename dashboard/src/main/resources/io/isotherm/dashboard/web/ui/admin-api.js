// The accounts and administration API (docs/AUTH-API-DRAFT.md): signing in, the account, users, sites, members,
// invitations and the installation check. Nothing here is cached: these pages show what is true now.

import {json, query, request} from './http.js';

const site = (key) => `/api/sites/${encodeURIComponent(key)}`;
const pub = {redirect: false};

// Signing in and the first administrator: public, so a 401 is an answer to show, not a reason to leave.
export const setupState = (token) => json(`/api/setup${query({token})}`, pub);
export const setup = (email, password, token) => json('/api/setup', {...pub, method: 'POST', body: {email, password, token}});
export const login = (email, password) => json('/api/login', {...pub, method: 'POST', body: {email, password}});
export const logout = () => request('/api/logout', {...pub, method: 'POST'});
export const invite = (token) => json(`/api/invites/${encodeURIComponent(token)}`, pub);
export const acceptInvite = (token, password) =>
  json(`/api/invites/${encodeURIComponent(token)}/accept`, {...pub, method: 'POST', body: {password}});

// The signed-in user's own account.
export const changePassword = (current, password) => request('/api/me/password', {method: 'POST', body: {current, password}});
export const sessions = () => json('/api/me/sessions').then((b) => b.sessions);
export const endSession = (id) => request(`/api/me/sessions/${encodeURIComponent(id)}`, {method: 'DELETE'});
export const tokens = () => json('/api/me/tokens').then((b) => b.tokens);
export const createToken = (name, siteKey, scope) => json('/api/me/tokens', {method: 'POST', body: {name, site: siteKey, scope}});
export const revokeToken = (id) => request(`/api/me/tokens/${encodeURIComponent(id)}`, {method: 'DELETE'});

// Administrators: users and their invitations.
export const platform = () => json('/api/platform');
export const users = () => json('/api/users');
export const inviteAdmin = (email) => json('/api/users/invites', {method: 'POST', body: {email}});
export const withdrawAdminInvite = (id) => request(`/api/users/invites/${encodeURIComponent(id)}`, {method: 'DELETE'});
export const setAdmin = (id, admin) => json(`/api/users/${encodeURIComponent(id)}`, {method: 'PATCH', body: {admin}});
export const removeUser = (id) => request(`/api/users/${encodeURIComponent(id)}`, {method: 'DELETE'});

// Sites.
export const sites = () => json('/api/sites', {cache: 'no-store'}).then((b) => b.sites);
export const createSite = (fields) => json('/api/sites', {method: 'POST', body: fields});
export const getSite = (key) => json(site(key), {cache: 'no-store'});
export const saveSite = (key, fields) => json(site(key), {method: 'PUT', body: fields});
export const deleteSite = (key, confirm) => request(site(key), {method: 'DELETE', body: {confirm}});
export const allowOrigin = (key, origin) => json(`${site(key)}/origins`, {method: 'POST', body: {origin}});

/** The snippet and the installation check, with the server's clock (the Date header) to count "12 s ago" from. */
export async function install(key) {
  const response = await request(`${site(key)}/install`, {cache: 'no-store'});
  const date = Date.parse(response.headers.get('Date'));
  return {...(await response.json()), serverNow: Number.isFinite(date) ? date : Date.now()};
}

/** One page of the site's pages: {q, sort, order, limit, offset, from, to} → {pages, total, limit, offset}. */
export const pages = (key, params) => json(`${site(key)}/pages${query(params)}`, {cache: 'no-store'});

// Members of a site and their invitations.
export const members = (key) => json(`${site(key)}/members`, {cache: 'no-store'});
export const inviteMember = (key, email, role) => json(`${site(key)}/invites`, {method: 'POST', body: {email, role}});
export const withdrawInvite = (key, id) => request(`${site(key)}/invites/${encodeURIComponent(id)}`, {method: 'DELETE'});
export const setRole = (key, id, role) => json(`${site(key)}/members/${encodeURIComponent(id)}`, {method: 'PUT', body: {role}});
export const removeMember = (key, id) => request(`${site(key)}/members/${encodeURIComponent(id)}`, {method: 'DELETE'});

// Page groups of a site (docs/API.md, "Page groups"): pages pooled by a path pattern.
export const groups = (key) => json(`${site(key)}/groups`, {cache: 'no-store'}).then((b) => b.groups);
export const groupPreview = (key, pattern) => json(`${site(key)}/group-preview${query({pattern})}`, {cache: 'no-store'});
export const createGroup = (key, body) => json(`${site(key)}/groups`, {method: 'POST', body});
export const saveGroup = (key, id, body) => json(`${site(key)}/groups/${encodeURIComponent(id)}`, {method: 'PUT', body});
export const deleteGroup = (key, id) => request(`${site(key)}/groups/${encodeURIComponent(id)}`, {method: 'DELETE'});

// Share links of a site: read-only links to one view, for people without an account.
export const shareLinks = (key) => json(`${site(key)}/shares`, {cache: 'no-store'});
export const createShareLink = (key, body) => json(`${site(key)}/shares`, {method: 'POST', body});
export const revokeShareLink = (key, id) => request(`${site(key)}/shares/${encodeURIComponent(id)}`, {method: 'DELETE'});
