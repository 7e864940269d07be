// A guided tour of tokenkeeper in Node: a mock auth server (tokenkeeper/msw, running in this
// process through MSW) and a client talking to it, printing each step. Run: npm run walkthrough
import { setupServer } from 'msw/node';
import { createAuthClient } from '../dist/index.js';
import { createAuthServer } from '../dist/msw.js';

const API = 'https://api.example.com';
let clockSkew = 0; // moves the server's clock forward so tokens expire without waiting
const authServer = createAuthServer({
  baseUrl: API,
  accessTokenTtl: 60,
  users: [{ email: 'demo@example.com', password: 'demo-password', name: 'Demo User' }],
  now: () => Date.now() + clockSkew,
});
const server = setupServer(...authServer.handlers);
server.listen({ onUnhandledRequest: 'error' });

const auth = createAuthClient({ baseUrl: API });
const step = (text) => console.log(`\n▶ ${text}`);
const show = (label, value) => console.log(`  ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
auth.on('refresh', ({ expiresAt }) => show('event refresh', { expiresAt: new Date(expiresAt).toISOString() }));
auth.onLogout(({ reason }) => show('event logout', { reason }));

step('restore() on page load, no cookie yet');
show('session', await auth.restore());
show('state', auth.getState());

step('login() as demo@example.com');
const session = await auth.login({ email: 'demo@example.com', password: 'demo-password' });
show('user', session.user);
show('token expires in', `${Math.round((session.expiresAt - Date.now()) / 1000)} s`);

step('authFetch GET /me: the bearer token is attached for the API origin only');
let response = await auth.authFetch(`${API}/me`);
show('status', response.status);
show('body', await response.json());

step('the server clock jumps 2 minutes: the access token is dead, the client does not know');
clockSkew = 120_000;
const before = authServer.stats.refreshes;
const replies = await Promise.all(Array.from({ length: 5 }, () => auth.authFetch(`${API}/me`)));
show('5 parallel requests', replies.map((r) => r.status).join(', '));
show('refreshes at the server', authServer.stats.refreshes - before);

step('logout(): memory first, then the server revokes the refresh cookie');
await auth.logout();
show('state', auth.getState());
show('restore() afterwards', await auth.restore());

step('server stats');
show('stats', authServer.stats);
auth.dispose();
server.close();
