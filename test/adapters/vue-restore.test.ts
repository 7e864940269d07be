import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createApp, createSSRApp, defineComponent, h, nextTick } from 'vue';
import { renderToString } from 'vue/server-renderer';
import type { AuthClient } from 'tokenkeeper';
import { createAuthPlugin, useAuth } from 'tokenkeeper/vue';
import { setupAdapterWorld } from './adapter-world';
import { USER } from '../support/world';

// createAuthPlugin restores the session when the app mounts, once per client; useAuth() reports a failed restore.
const world = setupAdapterWorld();
const { aTurnLater, failed, failRefreshes, refreshCalls, refreshesSent, signedInBefore } = world;

/** What a page shows for each state, as the README's App.vue does. */
const Page = defineComponent({
  setup() {
    const { status, user, error, restore } = useAuth<{ name?: string }>();
    return () => {
      if (status.value === 'unknown') {
        return error.value
          ? h('p', [h('span', `failed:${error.value.code}`), h('button', { onClick: () => void restore() }, 'Try again')])
          : h('p', 'loading');
      }
      return h('p', status.value === 'authenticated' ? `hello:${user.value?.name}` : 'anonymous');
    };
  },
});

function mountApp(client: AuthClient, options?: { restore?: boolean }) {
  const el = document.createElement('div');
  const app = createApp(Page).use(createAuthPlugin(client, options));
  app.mount(el);
  return { el, app, text: () => el.textContent };
}

describe('createAuthPlugin restores the session', () => {
  it('when the app mounts, once per client however many apps mount or remount', async () => {
    await signedInBefore();
    const auth = world.client<{ name?: string }>();
    const first = mountApp(auth);
    expect(first.text()).toBe('loading');
    await expect.poll(first.text).toBe('hello:Alice');
    first.app.unmount();
    const [again, other] = [mountApp(auth), mountApp(auth)];
    await aTurnLater();

    expect(refreshesSent()).toBe(1);
    expect(world.auth.stats.refreshes).toBe(1);
    expect(world.auth.stats.rejectedRefreshes).toBe(0);
    expect([again.text(), other.text()]).toEqual(['hello:Alice', 'hello:Alice']);
  });

  it('not when only installed (server rendering never mounts), nor with { restore: false }', async () => {
    await signedInBefore();
    const before = refreshCalls();
    const auth = world.client();
    expect(await renderToString(createSSRApp(Page).use(createAuthPlugin(auth)))).toBe('<p>loading</p>');
    const view = mountApp(world.client(), { restore: false });
    await aTurnLater();

    expect(refreshesSent()).toBe(0);
    expect(refreshCalls()).toBe(before);
    expect(view.text()).toBe('loading');
  });

  it('reports a failed restore in the error ref; the retry clears it and restores', async () => {
    await signedInBefore();
    failRefreshes(() => HttpResponse.json({ error: 'down' }, { status: 502 }));
    const auth = world.client<{ name?: string }>();
    const view = mountApp(auth);
    await expect.poll(view.text).toBe('failed:serverTry again');
    view.app.unmount();
    const again = mountApp(auth); // a remount shows the failure and does not retry on its own
    await aTurnLater();
    expect([again.text(), refreshesSent(), failed.calls]).toEqual(['failed:serverTry again', 1, 1]);

    world.server.resetHandlers();
    again.el.querySelector('button')!.click();
    await nextTick();
    expect(again.text()).toBe('loading');
    await expect.poll(again.text).toBe('hello:Alice');
  });

  it('clears the error ref once the session is known another way (a login)', async () => {
    failRefreshes(() => HttpResponse.error());
    const auth = world.client<{ name?: string }>();
    const view = mountApp(auth);
    await expect.poll(view.text).toBe('failed:networkTry again');
    world.server.resetHandlers();
    await auth.login(USER);
    await nextTick();
    expect(view.text()).toBe('hello:Alice');
  });
});
