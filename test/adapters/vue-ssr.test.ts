// @vitest-environment node
// Server rendering: components are set up but never mounted or unmounted, so whatever useAuth()
// subscribes during a render stays subscribed for the life of the server's client.
import { describe, expect, it } from 'vitest';
import { createSSRApp, defineComponent, h } from 'vue';
import { renderToString } from 'vue/server-renderer';
import { createAuthClient, type AuthClient } from 'tokenkeeper';
import { createAuthPlugin, useAuth } from 'tokenkeeper/vue';

/** The client, and how many of its subscriptions are live. */
function counted(): { client: AuthClient; live: () => number } {
  const auth = createAuthClient({ baseUrl: 'https://api.example.com', crossTab: false });
  let live = 0;
  const client: AuthClient = {
    ...auth,
    subscribe(listener) {
      live++;
      const off = auth.subscribe(listener);
      return () => (live--, off());
    },
  };
  return { client, live: () => live };
}

const Status = defineComponent({
  setup() {
    const { status } = useAuth();
    return () => h('p', status.value);
  },
});

describe('tokenkeeper/vue during server rendering', () => {
  it('leaves no subscription behind after 1,000 renders, and renders the state', async () => {
    const { client, live } = counted();
    for (let i = 0; i < 1_000; i++) {
      const html = await renderToString(createSSRApp(Status).use(createAuthPlugin(client)));
      expect(html).toBe('<p>unknown</p>');
    }
    expect(live()).toBe(0);
  });
});
