import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, defineComponent, effectScope, h, type App } from 'vue';
import { createMemoryHistory, createRouter, RouterView, useRoute, useRouter, type Router } from 'vue-router';
import type { AuthClient } from 'tokenkeeper';
import { createAuthGuard, createAuthPlugin, safeReturnTo, useAuth, type AuthGuardOptions } from 'tokenkeeper/vue';
import { setupAdapterWorld } from './adapter-world';
import { USER } from '../support/world';

// createAuthGuard with vue-router: the round trip through the login page and back, as the README shows it.
const world = setupAdapterWorld();
const apps: App[] = [];
afterEach(() => apps.splice(0).forEach((app) => app.unmount()));

const Account = defineComponent({ setup: () => () => h('p', 'account') });
const Login = defineComponent({
  setup() {
    const { login } = useAuth();
    const route = useRoute();
    const router = useRouter();
    const signIn = async () => {
      await login(USER);
      await router.replace(safeReturnTo(route.query['returnTo']));
    };
    return () => h('button', { onClick: signIn }, 'Sign in');
  },
});

function start(auth: AuthClient, options?: AuthGuardOptions & { restore?: boolean }) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { render: () => h('p', 'home') } },
      { path: options?.loginRoute ?? '/login', component: Login },
      { path: '/account', component: Account, meta: { requiresAuth: true } },
      { path: '/team', meta: { requiresAuth: true }, children: [{ path: 'members', component: Account }] },
    ],
  });
  router.beforeEach(createAuthGuard(auth, options));
  const app = createApp({ render: () => h(RouterView) }).use(createAuthPlugin(auth, { restore: options?.restore ?? true })).use(router);
  const el = document.createElement('div');
  app.mount(el);
  apps.push(app);
  return { router, el };
}
/** Where the router is once the navigation in flight settled. */
const settledAt = async (router: Router, to: string) => {
  await router.push(to);
  return router.currentRoute.value.fullPath;
};

describe('createAuthGuard', () => {
  it('waits for the page-load restore, then sends a signed-out visitor to log in and back', async () => {
    const answer = world.holdRefreshes();
    const { router, el } = start(world.client());
    const navigation = router.push('/account?tab=devices');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(router.currentRoute.value.fullPath).toBe('/'); // still waiting for the session

    answer();
    await navigation;
    expect(router.currentRoute.value.path).toBe('/login');
    expect(router.currentRoute.value.query).toEqual({ returnTo: '/account?tab=devices' });
    el.querySelector('button')!.click();
    await expect.poll(() => router.currentRoute.value.fullPath).toBe('/account?tab=devices');
    expect(el.textContent).toBe('account');
  });

  it('lets a restored session through, and guards child routes of a guarded parent', async () => {
    await world.signedInBefore();
    const auth = world.client();
    const { router } = start(auth);
    expect(await settledAt(router, '/account')).toBe('/account');
    await auth.logout();
    expect(await settledAt(router, '/team/members')).toBe('/login?returnTo=/team/members');
  });

  it('does not wait on routes without meta.requiresAuth, even while the status is unknown', async () => {
    const auth = world.client();
    const { router } = start(auth, { restore: false });
    expect(await settledAt(router, '/login')).toBe('/login');
    expect(auth.getState().status).toBe('unknown');
  });

  it('holds the navigation past a failed restore until the retry succeeds', async () => {
    await world.signedInBefore();
    world.failRefreshes(() => HttpResponse.json({}, { status: 503 }));
    const auth = world.client();
    const { router } = start(auth);
    const scope = effectScope();
    const session = scope.run(() => useAuth(auth))!;
    let done = false;
    const navigation = router.push('/account').then(() => (done = true));
    await expect.poll(() => session.error.value?.code).toBe('server');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(done).toBe(false);

    world.server.resetHandlers();
    await session.restore();
    await navigation;
    expect(router.currentRoute.value.fullPath).toBe('/account');
    scope.stop();
  });

  it('redirects to the loginRoute option', async () => {
    const { router } = start(world.client(), { loginRoute: '/sign-in' });
    expect(await settledAt(router, '/account')).toBe('/sign-in?returnTo=/account');
  });

  it('runs again on a forced replace after a logout, as the README does on onLogout', async () => {
    await world.signedInBefore();
    const auth = world.client();
    const { router } = start(auth);
    auth.onLogout(() => {
      const { path, query, hash } = router.currentRoute.value;
      void router.replace({ path, query, hash, force: true });
    });
    expect(await settledAt(router, '/account?tab=1')).toBe('/account?tab=1');
    await auth.logout();
    await expect.poll(() => router.currentRoute.value.fullPath).toBe('/login?returnTo=/account?tab=1');
  });

  it.each(['//evil.com', 'https://evil.com', '/\\evil.com', 'javascript:alert(1)'])(
    'after login, returnTo=%s lands on /',
    async (returnTo) => {
      const { router, el } = start(world.client());
      await router.push({ path: '/login', query: { returnTo } });
      el.querySelector('button')!.click();
      await expect.poll(() => router.currentRoute.value.fullPath).toBe('/');
    },
  );
});
