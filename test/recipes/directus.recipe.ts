import type { AuthClientOptions } from 'tokenkeeper';

// Directus 10 and 11, refresh token in its httpOnly cookie (`mode: 'cookie'`).
export const directus = {
  endpoints: {
    login: { path: '/auth/login', body: { mode: 'cookie' } },
    refresh: { path: '/auth/refresh', body: { mode: 'cookie' } },
    // The cookie names the session; a bearer the server has expired would be refused with a 401.
    logout: { path: '/auth/logout', body: { mode: 'cookie' }, bearer: false },
  },
  // { data: { access_token, expires } }, `expires` in milliseconds.
  parseTokenResponse: (body) => {
    const { data } = body as { data: { access_token: string; expires: number } };
    return { accessToken: data.access_token, expiresIn: data.expires / 1000 };
  },
  // 400 INVALID_PAYLOAD: no cookie (a first visit); 401 INVALID_CREDENTIALS: an expired one.
  refreshRefusedStatuses: [400, 401],
} satisfies Omit<AuthClientOptions, 'baseUrl'>;

// const auth = createAuthClient({ baseUrl: 'https://cms.example.com', ...directus });
