import type { AuthClientOptions } from 'tokenkeeper';

// NocoDB: the JWT goes in `xc-auth` (no scheme); the refresh token is its httpOnly `refresh_token` cookie.
export const nocodb = {
  endpoints: {
    login: '/api/v1/auth/user/signin',
    refresh: '/api/v1/auth/token/refresh',
    // Carries xc-auth (refreshed first if it expired): without it the server keeps the session.
    logout: '/api/v1/auth/user/signout',
  },
  tokenHeader: { name: 'xc-auth', scheme: null },
  parseTokenResponse: (body) => ({ accessToken: (body as { token: string }).token }),
  // Every refused refresh is a 400 ("Missing refresh token", "Invalid refresh token", …).
  refreshRefusedStatuses: [400, 401],
} satisfies Omit<AuthClientOptions, 'baseUrl'>;

// const auth = createAuthClient({ baseUrl: 'https://nocodb.example.com', ...nocodb });
