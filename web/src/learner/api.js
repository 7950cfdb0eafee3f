// The device API of parcd (/api/v1/device/, bodies are the protobuf JSON
// mapping of proto/parc/v1/device.proto), called with the device credential
// as Authorization: Bearer. Every call resolves with the decoded body or
// rejects with an ApiError:
//   offline: true  the network or the server could not be reached (try later)
//   status         the HTTP status otherwise; 401 means the credential is
//                  unknown or revoked (the device is no longer linked)
export const ROUTES = {
  enroll: '/api/v1/device/enroll',
  checkIn: '/api/v1/device/check-in',
  content: '/api/v1/device/content',
  file: (sha256) => `/api/v1/device/content/${sha256}`,
  progress: '/api/v1/device/progress',
  usage: '/api/v1/device/usage',
  person: '/api/v1/device/person',
};

export class ApiError extends Error {
  constructor(message, { status = 0, code = '', offline = false } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.offline = offline;
  }
  get unlinked() {
    return this.status === 401;
  }
}

async function call(method, url, { credential, body, headers = {} } = {}) {
  const init = { method, headers: { ...headers }, cache: 'no-store', credentials: 'omit' };
  if (credential) init.headers.Authorization = `Bearer ${credential}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let resp;
  try {
    resp = await fetch(url, init);
  } catch (e) {
    throw new ApiError(`network: ${e.message}`, { offline: true });
  }
  return resp;
}

async function json(resp) {
  const text = await resp.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    data = { message: text };
  }
  if (!resp.ok) {
    // 502-504: a proxy that cannot reach parcd; treated like no network.
    const offline = resp.status >= 502 && resp.status <= 504;
    const error = data.error ?? data; // parcd's JSON errors: {"error": {"code", "message"}}
    throw new ApiError(error.message ?? resp.statusText, { status: resp.status, code: String(error.code ?? ''), offline });
  }
  return data;
}

export const enroll = async (request) => json(await call('POST', ROUTES.enroll, { body: request }));
export const checkIn = async (credential, request) => json(await call('POST', ROUTES.checkIn, { credential, body: request }));
export const reportUsage = async (credential, request) => json(await call('POST', ROUTES.usage, { credential, body: request }));
export const reportProgress = async (credential, request) =>
  json(await call('POST', ROUTES.progress, { credential, body: request }));
export const assignedContent = async (credential) => json(await call('GET', ROUTES.content, { credential }));
// {known, employeeNumber, firstName}: whether a typed number is someone.
export const lookUpPerson = async (credential, employeeNumber) =>
  json(await call('POST', ROUTES.person, { credential, body: { employeeNumber } }));

// Bytes [start, end] (inclusive) of a content file: a Blob of exactly that
// size, or an ApiError.
export async function contentRange(credential, sha256, start, end) {
  const resp = await call('GET', ROUTES.file(sha256), { credential, headers: { Range: `bytes=${start}-${end}` } });
  if (resp.status !== 206 && resp.status !== 200) await json(resp);
  const blob = await resp.blob().catch((e) => {
    throw new ApiError(`network: ${e.message}`, { offline: true });
  });
  // A server that ignores Range answers 200 with the whole file.
  if (resp.status === 200) return blob.slice(start, end + 1);
  return blob;
}
