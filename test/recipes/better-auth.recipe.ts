import type { AuthClientOptions } from 'tokenkeeper';

// better-auth with its JWT plugin: the httpOnly session cookie renews a 15-minute JWT at GET /token.
export const betterAuth = {
  endpoints: {
    login: '/api/auth/sign-in/email',
    register: '/api/auth/sign-up/email',
    refresh: { path: '/api/auth/token', method: 'GET' },
    logout: { path: '/api/auth/sign-out', bearer: false },
    logoutEverywhere: { path: '/api/auth/revoke-sessions', bearer: false },
  },
  // Sign-in and sign-up answer the user and a session id (it stays in the cookie): no access token,
  // so the client fetches one from /token right after. /token answers { token: <JWT> }.
  parseTokenResponse: (body, { call }) => {
    const { token, user } = body as { token: string; user?: Record<string, unknown> };
    return call === 'refresh' ? { accessToken: token } : { accessToken: null, user };
  },
} satisfies Omit<AuthClientOptions, 'baseUrl'>;

// const auth = createAuthClient({ baseUrl: 'https://app.example.com', ...betterAuth });
