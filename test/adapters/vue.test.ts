import { mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { createApp, createSSRApp, defineComponent, effectScope, h, inject, nextTick, watch, type Ref } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { AuthClient, AuthError, AuthState } from 'tokenkeeper';
import { generateTotp } from 'tokenkeeper/msw';
import { authClientKey, createAuthPlugin, useAuth } from 'tokenkeeper/vue';
import { MFA_USER, setupWorld, USER } from '../support/world';

// tokenkeeper/vue: readonly refs fed by client.subscribe, unsubscribed with the scope that asked.
// These tests drive the session themselves ({ restore: false }); vue-restore.test.ts covers the page-load restore.
const world = setupWorld();

/** Wraps a client to see its listeners: how many are subscribed and how often they are called. */
function watched(auth: AuthClient) {
  const listeners = new Set<(state: AuthState) => void>();
  const seen = { calls: 0, listeners };
  const client: AuthClient = {
    ...auth,
    subscribe(listener) {
      const counted = (state: AuthState) => (seen.calls++, listener(state));
      listeners.add(counted);
      const off = auth.subscribe(counted);
      return () => (listeners.delete(counted), off());
    },
  };
  return { client, seen };
}

const Status = defineComponent({
  setup() {
    const { status, user, expiresAt } = useAuth<{ name?: string }>();
    return () => h('p', `${status.value}|${user.value?.name ?? '-'}|${expiresAt.value ?? '-'}`);
  },
});
const mountWith = (client: AuthClient) => mount(Status, { global: { plugins: [createAuthPlugin(client, { restore: false })] } });

describe('tokenkeeper/vue', () => {
  it('updates the refs on login, refresh and logout', async () => {
    const auth = world.client();
    const wrapper = mountWith(auth);
    expect(wrapper.text()).toBe('unknown|-|-');

    await auth.login(USER);
    await nextTick();
    expect(wrapper.text()).toBe(`authenticated|Alice|${auth.getState().expiresAt}`);

    const before = auth.getState().expiresAt;
    await new Promise((resolve) => setTimeout(resolve, 5)); // so the new expiry differs by the clock
    await auth.refresh();
    await nextTick();
    expect(auth.getState().expiresAt).not.toBe(before);
    expect(wrapper.text()).toBe(`authenticated|Alice|${auth.getState().expiresAt}`);

    await auth.logout();
    await nextTick();
    expect(wrapper.text()).toBe('anonymous|-|-');
  });

  it('hands out readonly refs and the working methods of the client', async () => {
    const auth = world.client();
    const scope = effectScope();
    const session = scope.run(() => useAuth(auth))!;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

    (session.status as Ref<string>).value = 'authenticated';
    expect(session.status.value).toBe('unknown');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/target is readonly/), expect.anything());

    await session.login(USER);
    expect(session.user.value).toBe(auth.getState().user); // the client's own object, not a proxy
    expect(await session.getAccessToken()).toBe(await auth.getAccessToken());
    expect((await session.authFetch(world.echoUrl)).status).toBe(200);
    scope.stop();
  });

  it('finishes a login that needs a second factor with verifyMfa, and the refs follow', async () => {
    const auth = world.client();
    const scope = effectScope();
    const session = scope.run(() => useAuth<{ name?: string }>(auth))!;
    const { totpSecret, ...credentials } = MFA_USER;
    const challenge = await session.login(credentials).then(() => null, (error: unknown) => error as AuthError);
    expect(challenge).toMatchObject({ code: 'mfa_required', mfaToken: expect.any(String) });
    expect(session.status.value).not.toBe('authenticated');

    await session.verifyMfa({ mfaToken: challenge!.mfaToken!, code: await generateTotp(totpSecret) });
    expect([session.status.value, session.user.value?.name]).toEqual(['authenticated', MFA_USER.name]);
    scope.stop();
  });

  it('unsubscribes when the component unmounts', async () => {
    const auth = world.client();
    const { client, seen } = watched(auth);
    const wrapper = mountWith(client);
    expect(seen.listeners.size).toBe(1);

    wrapper.unmount();
    expect(seen.listeners.size).toBe(0);
    const calls = seen.calls;
    await auth.login(USER);
    expect(seen.calls).toBe(calls);
  });

  it('works in an effectScope, with the app context or the client given, and unsubscribes on stop', async () => {
    const auth = world.client();
    const { client, seen } = watched(auth);
    const app = createApp({ render: () => null }).use(createAuthPlugin(client, { restore: false }));
    const scope = effectScope();
    const statuses: string[] = [];
    const [fromApp, given] = scope.run(() => {
      const both = [app.runWithContext(() => useAuth()), useAuth(client)] as const;
      watch(both[0].status, (status) => statuses.push(status));
      return both;
    })!;
    expect(seen.listeners.size).toBe(2);
    expect(app.runWithContext(() => inject(authClientKey))).toBe(client);

    await auth.login(USER);
    await nextTick();
    expect(statuses).toEqual(['authenticated']);
    expect(given.status.value).toBe('authenticated');

    scope.stop();
    expect(seen.listeners.size).toBe(0);
    await auth.logout();
    await nextTick();
    expect(fromApp.status.value).toBe('authenticated'); // no longer fed
    expect(statuses).toEqual(['authenticated']);
  });

  it('hydrates server-rendered markup without a mismatch and then follows the session', async () => {
    const auth = world.client();
    const { client, seen } = watched(auth);
    const app = () => createSSRApp(Status).use(createAuthPlugin(client, { restore: false }));
    const container = document.createElement('div');
    container.innerHTML = await renderToString(app());
    expect(seen.listeners.size).toBe(0); // the server render subscribed nothing
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});

    const hydrated = app();
    hydrated.mount(container);
    expect(seen.listeners.size).toBe(1);
    await auth.login(USER);
    await nextTick();
    expect(container.textContent).toBe(`authenticated|Alice|${auth.getState().expiresAt}`);
    expect([...warn.mock.calls, ...error.mock.calls]).toEqual([]);
    hydrated.unmount();
    expect(seen.listeners.size).toBe(0);
  });

  it('throws a clear error without the plugin', () => {
    let caught: unknown;
    mount(
      defineComponent({
        setup() {
          try {
            useAuth();
          } catch (error) {
            caught = error;
          }
          return () => null;
        },
      }),
    );
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toMatch(/app\.use\(createAuthPlugin\(auth\)\)/);
    expect(() => useAuth()).toThrow(/createAuthPlugin/); // outside any component or app
  });
});
