// Raw HTTP calls to a server under test (the mock server through MSW, or example server
// instances), as a browser or a load balancer in front makes them. Plain JavaScript with types
// beside it (http.d.mts), so the refresh benchmark run by plain node shares it with the tests.

/**
 * @typedef {import('./http.d.mts').Target} Target
 * @typedef {import('./http.d.mts').CallOptions} CallOptions
 * @typedef {import('./http.d.mts').Session} Session
 */

/** @param {Target} target @param {string} method @param {string} path @param {CallOptions} [options] */
export function call(target, method, path, options = {}) {
  const { token, scheme = 'Bearer', proof, cookie, body, userAgent, credentials, headers = {} } = options;
  // MSW in Node attaches its own cookie jar unless the request has a Cookie header (the header
  // wins over MSW's jar), so a mock target always sends one, even an empty `tk_refresh=`.
  const cookieHeader = target.alwaysSendCookie ? cookie || 'tk_refresh=' : cookie;
  const credentialsMode = credentials ?? (target.alwaysSendCookie ? 'include' : undefined);
  return fetch(`${target.url}${path}`, {
    method,
    ...(credentialsMode ? { credentials: credentialsMode } : {}),
    headers: {
      ...(cookieHeader ? { Cookie: cookieHeader } : {}),
      ...(token ? { Authorization: `${scheme} ${token}` } : {}),
      ...(proof ? { DPoP: proof } : {}),
      ...(userAgent ? { 'User-Agent': userAgent } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

/** `tk_refresh=<token>` from a response, as the browser sends it back; '' when none. @param {Response} response */
export const cookieOf = (response) =>
  response.headers.getSetCookie().find((c) => c.startsWith('tk_refresh='))?.split(';')[0] ?? '';

/**
 * A session from a 200 login or MFA answer or a 201 register answer; throws (with the answer's
 * body) on any other status. @param {Response} response @returns {Promise<Session>}
 */
export async function sessionOf(response) {
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`expected a session (200 or 201) from ${response.url}, got ${response.status}: ${await response.text()}`);
  }
  const body = /** @type {{ accessToken: string, user: Session['user'] }} */ (await response.json());
  return { cookie: cookieOf(response), token: body.accessToken, user: body.user };
}

/** @param {Target} target @param {string} email @param {string} password @param {string} [userAgent] */
export const login = (target, email, password, userAgent) =>
  call(target, 'POST', '/auth/login', { body: { email, password }, ...(userAgent ? { userAgent } : {}) });

/** @param {Target} target @param {string} cookie */
export const refresh = (target, cookie) => call(target, 'POST', '/auth/refresh-token', { cookie });

/** Logs in; throws unless 200. @param {Target} target @param {{ email: string, password: string }} credentials */
export const signIn = async (target, { email, password }) => sessionOf(await login(target, email, password));

/** A refresh's status and, when it worked, the new cookie and token ('' otherwise). @param {Target} target @param {string} cookie */
export async function refreshResult(target, cookie) {
  const response = await refresh(target, cookie);
  const body = /** @type {{ accessToken?: string }} */ (await response.json());
  return { status: response.status, cookie: cookieOf(response), token: body.accessToken ?? '' };
}

/** Whom `/api/me` says a token belongs to. @param {Target} target @param {string} token */
export async function me(target, token) {
  const response = await call(target, 'GET', '/api/me', { token });
  const body = response.ok ? /** @type {{ user: { id: string } }} */ (await response.json()) : undefined;
  return { status: response.status, userId: body?.user.id };
}

/** Each server's /__stats, and their sum. @param {Target[]} servers */
export async function totals(servers) {
  const each = await Promise.all(servers.map(async (server) => /** @type {Record<string, number>} */ (await (await call(server, 'GET', '/__stats')).json())));
  /** @type {Record<string, number>} */
  const sum = {};
  for (const stats of each) for (const [name, value] of Object.entries(stats)) sum[name] = (sum[name] ?? 0) + value;
  return { sum, each };
}

/** Zeroes the counters of every server. @param {Target[]} servers */
export const resetStats = (servers) => Promise.all(servers.map((server) => call(server, 'POST', '/__reset')));
