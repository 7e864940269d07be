import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { ResolveUserContext } from 'tokenkeeper';
import { trackChannelDeliveries } from '../support/channel-deliveries';
import { API, OTHER_USER, setupWorld, USER } from '../support/world';

// resolveUser: the one place that decides `user`, so it has one shape after login and after a reload.
const world = setupWorld();

interface Profile {
  id: string;
  email: string;
  name: string;
}


const toProfile = ({ body, claims, previous }: ResolveUserContext<Profile>): Profile => {
  const user = (body as { user?: Profile }).user;
  return user
    ? { id: user.id ?? String(claims?.['sub']), email: user.email, name: user.name }
    : (previous ?? { id: String(claims?.['sub']), email: String(claims?.['email']), name: String(claims?.['name']) });
};

describe('resolveUser', () => {
  it('gives user the same keys after login and after a reload', async () => {
    const seen: Array<ResolveUserContext<Profile>['call']> = [];
    const resolveUser = (context: ResolveUserContext<Profile>) => {
      seen.push(context.call);
      return toProfile(context);
    };
    const page = world.client<Profile>({ resolveUser });
    const afterLogin = (await page.login(USER)).user;

    const reloaded = world.client<Profile>({ resolveUser });
    const afterReload = (await reloaded.restore())?.user;

    expect(Object.keys(afterReload ?? {}).sort()).toEqual(Object.keys(afterLogin ?? {}).sort());
    expect(afterReload).toEqual(afterLogin);
    expect(seen).toEqual(['login', 'refresh']);
  });

  it('is told the previous user within a session, and null for another account', async () => {
    const previous: Array<Profile | null> = [];
    const auth = world.client<Profile>({ resolveUser: (context) => (previous.push(context.previous), toProfile(context)) });
    await auth.login(USER);
    await auth.refresh();
    await auth.login(OTHER_USER);

    expect(previous.map((p) => p?.email ?? null)).toEqual([null, USER.email, null]);
  });

  it('that throws: login rejects invalid_response with its error as the cause, and no session is half-made', async () => {
    const auth = world.client({ resolveUser: () => { throw new Error('no id in this answer'); } });
    const error = await auth.login(USER).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'AuthError', code: 'invalid_response', cause: { message: 'no id in this answer' } });
    expect(auth.getState().status).toBe('unknown');
    expect(await auth.getAccessToken()).toBeNull();
  });

  it('another tab receives the user its sender resolved', async () => {
    const channels = trackChannelDeliveries();
    const resolveUser = (context: ResolveUserContext<Profile>) => toProfile(context);
    const tabA = world.client<Profile>({ crossTab: true, resolveUser });
    const tabB = world.client<Profile>({ crossTab: true, resolveUser });
    await tabB.restore();
    const { user } = await tabA.login(USER);
    await channels.delivered();
    expect(tabB.getState().user).toEqual(user);
  });

  it('without it, a refresh answer with no user keeps the profile login gave', async () => {
    world.server.use(
      http.post(`${API}/auth/refresh-token`, async () => {
        const token = (await world.auth.issueTokens(USER.email)).accessToken;
        return HttpResponse.json({ accessToken: token, expiresIn: 300 });
      }),
    );
    const auth = world.client();
    const { user } = await auth.login(USER);
    await auth.refresh();
    expect(auth.getState().user).toEqual(user);
  });
});
