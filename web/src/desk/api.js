// The desk's calls to /api/v1/desk/ (daemon/http/desk_routes.h). Writes carry
// the session's CSRF token in X-Parc-Csrf, fetched once per page load.
import { ApiError } from '../api.js';

let csrf = null;

async function send(method, path, { body, type } = {}) {
  const headers = { Accept: 'application/json' };
  if (method === 'POST') {
    if (csrf === null) csrf = (await send('GET', 'csrf')).csrf ?? '';
    headers['X-Parc-Csrf'] = csrf;
    headers['Content-Type'] = type ?? 'application/json';
  }
  const response = await fetch(`/api/v1/desk/${path}`, { method, body, headers, credentials: 'same-origin' });
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // not JSON: the status says enough
  }
  if (response.ok) return json;
  const error = new ApiError(response.status, json.error?.message ?? `HTTP ${response.status}`);
  error.code = json.error?.code ?? '';
  throw error;
}

const query = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null)).toString();

export const get = (route, params = {}) => send('GET', `${route}?${query(params)}`);
export const post = (route, body) => send('POST', route, { body: JSON.stringify(body) });
export const postCsv = (route, csv, dryRun) =>
  send('POST', `${route}?dry_run=${dryRun ? 'true' : 'false'}`, { body: csv, type: 'text/csv' });

// Forgets the CSRF token (after signing out and in again).
export function forgetSession() {
  csrf = null;
}
