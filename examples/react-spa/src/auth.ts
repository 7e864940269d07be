import { createAuthClient } from 'tokenkeeper';
import { idleWarning } from './idle'; // demo-only
import { story } from './story'; // demo-only

/** What your server answers as `user` on login and on refresh: the same shape after a reload. */
export interface User {
  id: string;
  email: string;
  name: string;
}

export const auth = createAuthClient<User>({
  // Your auth server, same site as this page: here the page's own origin (see "Development set-up" in tokenkeeper's docs).
  baseUrl: '/',
  fetch: story.fetch, // demo-only: the event log tells what each request was for
});
// demo-only: ?idle=<seconds> signs you out after that long without activity (tokenkeeper/idle)
story.watch(auth, idleWarning.start(auth, location.search)); // demo-only
