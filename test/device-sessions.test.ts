import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { API, setupWorld, USER } from './support/world';

// Signed-in devices: list them, sign one out, and refuse what is not the user's.
const world = setupWorld();

describe('listSessions() and revokeSession()', () => {
  it('lists one session per login, this browser marked current', async () => {
    const laptop = world.client();
    await laptop.login(USER);
    const phone = world.client();
    await phone.login(USER); // the shared cookie jar now holds the phone's session

    const sessions = await phone.listSessions();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    for (const s of sessions) expect(s).toMatchObject({ id: expect.any(String), createdAt: expect.any(Number), lastUsedAt: expect.any(Number) });
  });

  it('revoking the other device signs it out at its next refresh and leaves this one alone', async () => {
    const other = world.client();
    await other.login(USER);
    const otherCookieSession = (await other.listSessions()).find((s) => s.current)!;
    const me = world.client();
    await me.login(USER);

    await me.revokeSession(otherCookieSession.id);

    const remaining = await me.listSessions();
    expect(remaining.map((s) => s.id)).not.toContain(otherCookieSession.id);
    expect(me.getState().status).toBe('authenticated');
  });

  it('revoking this browser’s own session is logout()', async () => {
    const me = world.client();
    await me.login(USER);
    const current = (await me.listSessions()).find((s) => s.current)!;
    const reasons: string[] = [];
    me.onLogout(({ reason }) => reasons.push(reason));
    await me.revokeSession(current.id);
    expect(reasons).toEqual(['user']);
    expect(me.getState().status).toBe('anonymous');
  });

  it('someone else’s (or an unknown) session id is refused and changes nothing', async () => {
    const me = world.client();
    await me.login(USER);
    const before = await me.listSessions();
    await expect(me.revokeSession('not-mine')).rejects.toMatchObject({ name: 'AuthError', code: 'validation', status: 404 });
    expect(await me.listSessions()).toEqual(before.map((s) => ({ ...s, lastUsedAt: expect.any(Number) })));
  });

  it.each([
    ['not JSON', () => new HttpResponse('<html>', { status: 200 })],
    ['no sessions array', () => HttpResponse.json({ devices: [] })],
    ['a session without an id', () => HttpResponse.json({ sessions: [{ current: true, createdAt: 1, lastUsedAt: 1 }] })],
    ['a date as a string', () => HttpResponse.json({ sessions: [{ id: 'a', current: true, createdAt: '2026-01-01', lastUsedAt: 1 }] })],
  ])('an answer of the wrong shape (%s) is invalid_response', async (_name, answer) => {
    world.server.use(http.get(`${API}/auth/sessions`, answer));
    const me = world.client();
    await me.login(USER);
    await expect(me.listSessions()).rejects.toMatchObject({ code: 'invalid_response' });
  });
});
