// Type-level tests for the public surface, checked by `npm run typecheck` (tsc --noEmit).
import { expectTypeOf } from 'vitest';
import { AuthError, createAuthClient, type AuthErrorCode, type AuthState, type LogoutReason, type Session } from 'tokenkeeper';
import { createAuthKy } from 'tokenkeeper/ky';
import { createAuthServer, type AuthServerStats } from 'tokenkeeper/msw';
import { useAuth as useReactAuth } from 'tokenkeeper/react';
import { useAuth as useVueAuth } from 'tokenkeeper/vue';

interface Profile {
  id: string;
  email: string;
}
const auth = createAuthClient<Profile>({ baseUrl: 'https://api.example.com' });

expectTypeOf(auth.restore()).resolves.toEqualTypeOf<Session<Profile> | null>();
expectTypeOf(auth.login({ email: 'a', password: 'b' })).resolves.toEqualTypeOf<Session<Profile>>();
expectTypeOf(auth.register({})).resolves.toEqualTypeOf<Session<Profile> | null>();
expectTypeOf(auth.logout({ everywhere: true })).resolves.toEqualTypeOf<void>();
expectTypeOf(auth.getAccessToken()).resolves.toEqualTypeOf<string | null>();
expectTypeOf(auth.authFetch).parameters.toEqualTypeOf<[input: RequestInfo | URL, init?: RequestInit]>();
expectTypeOf(auth.getState()).toEqualTypeOf<AuthState<Profile>>();
expectTypeOf(auth.getState().status).toEqualTypeOf<'unknown' | 'authenticated' | 'anonymous'>();
expectTypeOf(auth.getState().user).toEqualTypeOf<Profile | null>();
expectTypeOf(auth.subscribe(() => {})).toEqualTypeOf<() => void>();
auth.on('logout', ({ reason }) => expectTypeOf(reason).toEqualTypeOf<LogoutReason>());
auth.on('refresh', ({ expiresAt }) => expectTypeOf(expiresAt).toEqualTypeOf<number | null>());
auth.on('error', ({ error }) => expectTypeOf(error).toEqualTypeOf<AuthError>());
auth.on('login', ({ user }) => expectTypeOf(user).toEqualTypeOf<Profile | null>());
// @ts-expect-error: no such event
auth.on('explode', () => {});
// The token is never part of state.
expectTypeOf<AuthState>().not.toHaveProperty('accessToken');

expectTypeOf<AuthError['code']>().toEqualTypeOf<AuthErrorCode>();
expectTypeOf<AuthErrorCode>().toEqualTypeOf<
  'invalid_credentials' | 'conflict' | 'validation' | 'unauthorized' | 'network' | 'timeout' | 'server' | 'invalid_response' | 'mfa_required' | 'rate_limited'
>();

// @ts-expect-error: baseUrl is required
createAuthClient({});

expectTypeOf(createAuthKy(auth).get).toBeFunction();
expectTypeOf(useReactAuth<Profile>().user).toEqualTypeOf<Profile | null>();
expectTypeOf(useVueAuth<Profile>().status.value).toEqualTypeOf<'unknown' | 'authenticated' | 'anonymous'>();
expectTypeOf(createAuthServer({ baseUrl: 'https://x.io' }).stats).toEqualTypeOf<AuthServerStats>();

// resolveUser is typed by the client's user type, and decides the shape of `user` everywhere.
createAuthClient<Profile>({
  baseUrl: 'https://api.example.com',
  resolveUser({ call, body, claims, previous }) {
    expectTypeOf(call).toEqualTypeOf<'login' | 'register' | 'refresh' | 'mfa'>();
    expectTypeOf(body).toEqualTypeOf<unknown>();
    expectTypeOf(previous).toEqualTypeOf<Profile | null>();
    return previous ?? { id: String(claims?.['sub']), email: String(claims?.['email']) };
  },
  debug: (entry) => expectTypeOf(entry.message).toEqualTypeOf<string>(),
});
// @ts-expect-error: resolveUser must answer the client's user type
createAuthClient<Profile>({ baseUrl: 'https://api.example.com', resolveUser: () => ({ name: 'x' }) });
