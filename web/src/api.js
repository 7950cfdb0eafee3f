// Talks to parcd's HTTP API (served by parcd itself, same origin): the session
// cookie travels with every request; int64 fields arrive as strings and
// fields at their default value are left out (protobuf's JSON mapping), so
// every number goes through n().

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// A count from the JSON mapping: "123", 123 or absent (0).
export function n(value) {
  const v = Number(value ?? 0);
  return Number.isFinite(v) ? v : 0;
}

async function request(method, path, body) {
  const response = await fetch(path, {
    method,
    body,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (response.ok) {
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  }
  let message = `HTTP ${response.status}`;
  try {
    const error = (await response.json()).error;
    if (error?.message) message = error.message;
  } catch {
    // not JSON: keep the status line
  }
  throw new ApiError(response.status, message);
}

export function signIn(token) {
  return request('POST', '/api/v1/session', new URLSearchParams({ token }));
}

export function signOut() {
  return request('DELETE', '/api/v1/session');
}

export function whoami() {
  return request('GET', '/api/v1/whoami');
}

// [{code, name}]: departments whose name is written otherwise than their code.
export async function departments() {
  return (await request('GET', '/api/v1/departments')).departments ?? [];
}

// The dashboard endpoints; `params` holds only the filters that are set.
export const REPORTS = [
  'allocation-summary',
  'coverage',
  'stale-devices',
  'fleet-health',
  'training-funnel',
  'overdue-loans',
];

export function reportUrl(report, params, suffix = '') {
  const query = new URLSearchParams(params).toString();
  return `/api/v1/dashboard/${report}${suffix}${query ? `?${query}` : ''}`;
}

export function report(name, params) {
  return request('GET', reportUrl(name, params));
}
