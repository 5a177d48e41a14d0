// Calls the scoring API, the page's only source of facts. A token, when the service asks for one,
// is kept in sessionStorage (this browser tab's session only, never on disk beyond it) and sent
// as a bearer token; errors become ApiError with the API's message and a sentence for officers.
const kTokenKey = 'credo.token';

export class ApiError extends Error {
  constructor(status, message, advice) {
    super(message);
    this.status = status;
    this.advice = advice;
  }
}

export function storedToken() {
  return sessionStorage.getItem(kTokenKey) || '';
}

export function storeToken(token) {
  if (token) sessionStorage.setItem(kTokenKey, token);
  else sessionStorage.removeItem(kTokenKey);
}

// What a refusal means for the officer, in words.
function advice(status) {
  if (status === 401) return 'This service needs an access token: enter the token you were given.';
  if (status === 403) return 'Your access token does not allow this: ask for a token with the "read" role.';
  if (status === 404) return '';
  if (status === 429 || status === 503) return 'The service is busy or starting: try again in a moment.';
  return '';
}

// GET path -> the answer's JSON; throws ApiError for any status but 200.
export async function getJson(path) {
  const headers = { Accept: 'application/json' };
  const token = storedToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (error) {
    throw new ApiError(0, 'The scoring service cannot be reached.', 'Check that credo serve is running.');
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    body = null;
  }
  if (response.ok && body) return body;
  const message = body && body.error && body.error.message ? body.error.message : `HTTP ${response.status}`;
  throw new ApiError(response.status, message, advice(response.status));
}
