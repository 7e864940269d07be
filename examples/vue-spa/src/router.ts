import { createRouter, createWebHistory } from 'vue-router';
import { createAuthGuard } from 'tokenkeeper/vue';
import AccountPage from './AccountPage.vue';
import { auth } from './auth';
import LoginPage from './LoginPage.vue';

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/login', component: LoginPage },
    { path: '/account', component: AccountPage, meta: { requiresAuth: true } },
    { path: '/:rest(.*)', redirect: '/account' },
  ],
});

// On a route with meta.requiresAuth: waits for the session, and when signed out goes to
// /login?returnTo=<the page asked for>.
router.beforeEach(createAuthGuard(auth));
