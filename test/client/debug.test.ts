import { describe, expect, it, vi } from 'vitest';
import type { DebugEntry } from 'tokenkeeper';
import { FOREIGN, setupWorld, USER } from '../support/world';

// debug: every decision in one line, and never a token.
const world = setupWorld();

function collect() {
  const entries: DebugEntry[] = [];
  return { entries, debug: (entry: DebugEntry) => void entries.push(entry), messages: () => entries.map((e) => e.message) };
}

describe('debug', () => {
  it('says why a request got no token: signed out, or an origin that is not authorized', async () => {
    const log = collect();
    const auth = world.client({ debug: log.debug });

    await auth.authFetch(world.echoUrl);
    await auth.login(USER);
    await auth.authFetch(`${FOREIGN}/data`);

    expect(log.entries).toContainEqual(expect.objectContaining({ message: 'no token: signed out', origin: new URL(world.echoUrl).origin }));
    expect(log.entries).toContainEqual(expect.objectContaining({ message: 'no token: origin not authorized', origin: FOREIGN }));
  });

  it('tells the 401 → refresh → replay story, and why a session ended', async () => {
    const log = collect();
    const auth = world.client({ debug: log.debug });
    await auth.login(USER);
    world.serverClock.skew = 400_000;

    await auth.authFetch(world.echoUrl);
    world.auth.revokeAll();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 400_000);
    await auth.authFetch(world.echoUrl);
    vi.useRealTimers();

    expect(log.messages()).toEqual(
      expect.arrayContaining(['401: refreshing', 'refresh: calling server', '401: replayed', 'token due: refreshing']),
    );
    expect(log.entries).toContainEqual({ message: 'session ended', reason: 'refresh_failed' });
  });

  it('never logs a token', async () => {
    const log = collect();
    const auth = world.client({ debug: log.debug });
    await auth.restore();
    await auth.login(USER);
    world.serverClock.skew = 400_000;
    await auth.authFetch(world.echoUrl);
    await auth.refresh();
    const token = await auth.getAccessToken();
    await auth.logout();

    expect(log.entries.length).toBeGreaterThan(3);
    const everything = JSON.stringify(log.entries);
    expect(everything).not.toContain(token!);
    expect(everything).not.toMatch(/eyJ[\w-]{10}/); // no JWT at all
  });

  it('true writes one console.debug line per decision; off, nothing', async () => {
    const spy = vi.spyOn(console, 'debug').mockImplementation(() => {});
    const quiet = world.client();
    await quiet.authFetch(world.echoUrl);
    expect(spy).not.toHaveBeenCalled();

    const loud = world.client({ debug: true });
    await loud.authFetch(world.echoUrl);
    expect(spy).toHaveBeenCalledWith('[tokenkeeper] no token: signed out', expect.objectContaining({ origin: expect.any(String) }));
  });

  it('a debug function that throws breaks nothing', async () => {
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {}); // where callSafely reports here
    const auth = world.client({ debug: () => { throw new Error('logger down'); } });
    await expect(auth.login(USER)).resolves.toMatchObject({ user: { email: USER.email } });
    expect((await auth.authFetch(world.echoUrl)).status).toBe(200);
    expect((await auth.authFetch(`${FOREIGN}/data`)).status).toBe(401); // logged: no token for that origin
    expect(reported).toHaveBeenCalledWith(expect.objectContaining({ message: 'logger down' }));
  });
});
