// HTTP calls to example server instances, as a browser (or a load balancer in front) makes them;
// shared by the multi-instance tests and the refresh benchmark.
import { DEMO_USER } from '../../examples/server/index.mjs';

/** @typedef {import('./example-server-client.d.mts').Target} Target @typedef {import('./example-server-client.d.mts').Session} Session */

/** `tk_refresh=<token>` from a response, as the browser sends it back; '' when none. @param {Response} response */
export const cookieOf = (response) =>
  response.headers.getSetCookie().find((c) => c.startsWith('tk_refresh='))?.split(';')[0] ?? '';

/** @param {Target} target @param {string} path @param {{ cookie?: string, body?: unknown }} [init] */
export const post = (target, path, { cookie, body } = {}) =>
  fetch(`${target.url}${path}`, {
    method: 'POST',
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

/** @param {Target} target @param {{ email: string, password: string }} [credentials] @returns {Promise<Session>} */
export async function login(target, credentials = DEMO_USER) {
  const response = await post(target, '/auth/login', { body: credentials });
  if (response.status !== 200) throw new Error(`login at ${target.url}: ${response.status}`);
  const body = /** @type {{ accessToken: string, user: { id: string } }} */ (await response.json());
  return { cookie: cookieOf(response), accessToken: body.accessToken, userId: body.user.id };
}

/** @param {Target} target @param {string} cookie */
export async function refresh(target, cookie) {
  const response = await post(target, '/auth/refresh-token', { cookie });
  const body = /** @type {{ accessToken?: string }} */ (await response.json());
  return { status: response.status, cookie: cookieOf(response), accessToken: body.accessToken ?? '' };
}

/** @param {Target} target @param {string} accessToken */
export async function me(target, accessToken) {
  const response = await fetch(`${target.url}/api/me`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const body = response.ok ? /** @type {{ user: { id: string } }} */ (await response.json()) : undefined;
  return { status: response.status, userId: body?.user.id };
}

/** Each server's /__stats, and their sum. @param {Target[]} servers */
export async function totals(servers) {
  const each = await Promise.all(servers.map(async (server) => /** @type {Record<string, number>} */ (await (await fetch(`${server.url}/__stats`)).json())));
  /** @type {Record<string, number>} */
  const sum = {};
  for (const stats of each) for (const [name, value] of Object.entries(stats)) sum[name] = (sum[name] ?? 0) + value;
  return { sum, each };
}

/** Zeroes the counters of every server. @param {Target[]} servers */
export const resetStats = (servers) => Promise.all(servers.map((server) => post(server, '/__reset')));
