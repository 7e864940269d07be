import { describe, expect, it } from 'vitest';
import { FOREIGN, setupWorld, USER } from '../support/world';

// Rules 1 and 7: the token goes to the authorized origins only, and never over a caller's own header.
const world = setupWorld();

describe('authFetch authorization header', () => {
  it('adds the bearer token to requests on the auth origin', async () => {
    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(200);
    const token = await auth.getAccessToken();
    expect(world.seen.at(-1)?.authorization).toBe(`Bearer ${token}`);
  });

  it('sends nothing to another origin and its 401 triggers no refresh', async () => {
    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(`${FOREIGN}/data`, { headers: { 'X-Trace': '1' } });
    expect(response.status).toBe(401);
    expect(world.seen.at(-1)?.authorization).toBeNull();
    expect(world.auth.stats.refreshes).toBe(0);
    expect(auth.getState().status).toBe('authenticated');
  });

  it('keeps a caller-set Authorization header and treats its 401 as the caller’s', async () => {
    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(world.echoUrl, { headers: { authorization: 'Bearer theirs' } });
    expect(response.status).toBe(401);
    expect(world.seen.at(-1)?.authorization).toBe('Bearer theirs');
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('authorizes only the origins listed in authorizedOrigins', async () => {
    const auth = world.client({ authorizedOrigins: [`${FOREIGN}/any/path`] });
    await auth.login(USER);
    await auth.authFetch(`${FOREIGN}/data`);
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer /);
    await auth.authFetch(world.echoUrl);
    expect(world.seen.at(-1)?.authorization).toBeNull();
  });

  it('sends requests without a token while signed out', async () => {
    const auth = world.client();
    const response = await auth.authFetch(world.echoUrl);
    expect(response.status).toBe(401);
    expect(world.seen.at(-1)?.authorization).toBeNull();
    expect(world.auth.stats.refreshes + world.auth.stats.rejectedRefreshes).toBe(0);
  });

  it('accepts a Request object and keeps its method and body', async () => {
    const auth = world.client();
    await auth.login(USER);
    const response = await auth.authFetch(new Request(world.echoUrl, { method: 'PUT', body: 'payload' }));
    expect(await response.json()).toMatchObject({ method: 'PUT', body: 'payload' });
    expect(world.seen.at(-1)?.authorization).toMatch(/^Bearer /);
  });
});
