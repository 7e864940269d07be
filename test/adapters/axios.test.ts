import axios, { AxiosError, isAxiosError, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { AuthError } from 'tokenkeeper';
import { createAuthAxios } from 'tokenkeeper/axios';
import { API, FOREIGN, setupWorld, USER } from '../support/world';

// tokenkeeper/axios: axios on top of authFetch; axios's own features must keep working, and no
// interceptor that retries may add refreshes.
const world = setupWorld();

/** A GET endpoint answering the scripted statuses in turn; records the Authorization of each call. */
const scripted = (path: string, statuses: number[]) => {
  const calls: (string | null)[] = [];
  world.server.use(
    http.get(`${API}${path}`, ({ request }) => {
      calls.push(request.headers.get('authorization'));
      return HttpResponse.json({ call: calls.length }, { status: statuses[calls.length - 1] ?? 200 });
    }),
  );
  return calls;
};

/** The usual hand-written retry (axios-retry does the same): send the failed config again, up to `limit` times. */
const retryOn = (api: AxiosInstance, statuses: number[], limit: number) =>
  api.interceptors.response.use(undefined, (error: AxiosError) => {
    const config = error.config as InternalAxiosRequestConfig & { tries?: number };
    config.tries = (config.tries ?? 0) + 1;
    if (config.tries <= limit && statuses.includes(error.response?.status ?? 0)) return api.request(config);
    throw error;
  });

const signedIn = async () => {
  const auth = world.client();
  await auth.login(USER);
  return auth;
};

describe('createAuthAxios', () => {
  it('replays a JSON post with its body after the one refresh a 401 earns', async () => {
    const auth = await signedIn();
    world.serverClock.skew = 400_000; // the server now calls the token expired; the client does not know
    const api = createAuthAxios(auth, { baseURL: `${API}/api` });

    const { data, status } = await api.post('/echo', { order: 42 });

    expect(status).toBe(200);
    expect(data).toEqual({ method: 'POST', body: '{"order":42}', contentType: 'application/json' });
    expect(world.auth.stats.refreshes).toBe(1);
    expect(world.seen.map(({ body }) => body)).toEqual(['{"order":42}', '{"order":42}']);
    const [first, replay] = world.seen.map(({ authorization }) => authorization);
    expect(replay).toMatch(/^Bearer /);
    expect(replay).not.toBe(first);
  });

  it('replays a FormData upload with the same parts', async () => {
    const auth = await signedIn();
    world.serverClock.skew = 400_000;
    const form = new FormData();
    form.append('title', 'invoice');
    form.append('file', new Blob(['%PDF-1.7 ...'], { type: 'application/pdf' }), 'invoice.pdf');

    const { data } = await createAuthAxios(auth).post(world.echoUrl, form);

    const [first, replay] = world.seen;
    expect(world.auth.stats.refreshes).toBe(1);
    expect(replay?.body).toBe(first?.body);
    expect(replay?.body).toContain('%PDF-1.7 ...');
    expect(replay?.body).toContain('name="title"');
    expect((data as { contentType: string }).contentType).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('answers a retrying interceptor with the same 401: two requests and one refresh, not one per retry', async () => {
    const auth = await signedIn();
    const calls = scripted('/api/forbidden', [401, 401, 401, 401, 401, 401, 401, 401]);
    const api = createAuthAxios(auth);
    retryOn(api, [401, 503], 3);

    const error = await api.get(`${API}/api/forbidden`).catch((e: unknown) => e);

    expect(isAxiosError(error)).toBe(true);
    expect((error as AxiosError).response?.status).toBe(401);
    expect((error as AxiosError).response?.data).toEqual({ call: 2 });
    expect(calls).toHaveLength(2); // the request and authFetch's one replay
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it("(control) axios's fetch adapter on authFetch alone refreshes once per retry", async () => {
    const auth = await signedIn();
    scripted('/api/forbidden', [401, 401, 401, 401, 401, 401, 401, 401]);
    const naive = axios.create({ adapter: 'fetch', env: { fetch: auth.authFetch } });
    retryOn(naive, [401], 3);
    await naive.get(`${API}/api/forbidden`).catch(() => {});
    expect(world.auth.stats.refreshes).toBe(4);
  });

  it('answers an axios-auth-refresh style interceptor (refresh, then retry once) without a second refresh', async () => {
    const auth = await signedIn();
    const calls = scripted('/api/forbidden', [401, 401, 401, 401]);
    const api = createAuthAxios(auth);
    api.interceptors.response.use(undefined, async (error: AxiosError) => {
      const config = error.config as InternalAxiosRequestConfig & { _retry?: boolean };
      if (error.response?.status !== 401 || config._retry) throw error;
      config._retry = true;
      return api.request(config);
    });

    await expect(api.get(`${API}/api/forbidden`)).rejects.toMatchObject({ response: { status: 401 } });
    expect(calls).toHaveLength(2);
    expect(world.auth.stats.refreshes).toBe(1);
  });

  it('retries a 503 with the refreshed token, and sends a spent 401 again once the session changed', async () => {
    const auth = await signedIn();
    const calls = scripted('/api/flaky', [401, 503, 200]);
    const api = createAuthAxios(auth);
    retryOn(api, [503], 3);

    expect((await api.get(`${API}/api/flaky`)).data).toEqual({ call: 3 });
    expect(world.auth.stats.refreshes).toBe(1);
    expect(calls[2]).toBe(calls[1]);
    expect(calls[1]).not.toBe(calls[0]);

    const forbidden = scripted('/api/later', [401, 401, 200]);
    const error = (await api.get(`${API}/api/later`).catch((e: unknown) => e)) as AxiosError;
    await auth.logout();
    await auth.login(USER); // a new session: the same config is worth sending again
    expect((await api.request(error.config!)).data).toEqual({ call: 3 });
    expect(forbidden).toHaveLength(3);
  });

  it('sends no Authorization to another origin, and its 401 triggers nothing', async () => {
    const auth = await signedIn();
    const api = createAuthAxios(auth);

    const response = await api.get(`${FOREIGN}/data`, { validateStatus: () => true });

    expect(response.status).toBe(401);
    expect(world.seen).toEqual([expect.objectContaining({ url: `${FOREIGN}/data`, authorization: null })]);
    expect(world.auth.stats.refreshes).toBe(0);
  });

  it('keeps a header the caller set, and the refused refresh surfaces as the 401 with its body', async () => {
    const auth = await signedIn();
    world.serverClock.skew = 400_000;
    world.auth.reset(); // the server forgot every session: the refresh is refused
    const api = createAuthAxios(auth, { headers: { 'X-Trace': 'abc' } });
    let trace: string | null = null;
    world.server.use(
      http.get(world.echoUrl, ({ request }) => {
        trace = request.headers.get('x-trace');
        return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
      }),
    );

    const error = (await api.get(world.echoUrl).catch((e: unknown) => e)) as AxiosError;

    expect(error).toBeInstanceOf(AxiosError);
    expect(error.response?.status).toBe(401);
    expect(error.response?.data).toEqual({ error: 'invalid_token' });
    expect(trace).toBe('abc');
    expect(auth.getState().status).toBe('anonymous');
  });

  it("a refresh that fails on the network rejects with an axios error whose cause is the AuthError", async () => {
    const auth = await signedIn();
    world.serverClock.skew = 400_000;
    world.server.use(http.post(`${API}/auth/refresh-token`, () => HttpResponse.error()));

    const error = (await createAuthAxios(auth).get(world.echoUrl).catch((e: unknown) => e)) as AxiosError;

    expect(isAxiosError(error)).toBe(true);
    expect(error.cause).toBeInstanceOf(AuthError);
    expect((error.cause as AuthError).code).toBe('network');
    expect(auth.getState().status).toBe('authenticated');
  });

  it("axios's timeout ends that request's wait, not the refresh another request shares", async () => {
    const auth = await signedIn();
    world.serverClock.skew = 400_000;
    world.server.use(http.post(`${API}/auth/refresh-token`, () => delay(150))); // then falls through to the mock server
    const api = createAuthAxios(auth);

    const [hurried, patient] = await Promise.allSettled([api.get(world.echoUrl, { timeout: 50 }), api.get(world.echoUrl)]);

    expect(hurried.status === 'rejected' && isAxiosError(hurried.reason)).toBe(true);
    expect(['ECONNABORTED', 'ETIMEDOUT']).toContain(hurried.status === 'rejected' && (hurried.reason as AxiosError).code); // axios's timeout codes
    expect(patient.status === 'fulfilled' && patient.value.status).toBe(200);
    expect(world.auth.stats.refreshes).toBe(1);
  });
});
