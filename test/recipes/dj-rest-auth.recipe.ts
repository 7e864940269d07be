import type { AuthClientOptions } from 'tokenkeeper';

// Django REST framework + dj-rest-auth + SimpleJWT, with JWT_AUTH_HTTPONLY (refresh token in its cookie).
export const djRestAuth = {
  endpoints: {
    login: '/dj-rest-auth/login/',
    refresh: '/dj-rest-auth/token/refresh/',
    // The cookie names the refresh token to blacklist; DRF would refuse an expired bearer first.
    logout: { path: '/dj-rest-auth/logout/', bearer: false },
  },
  // { access, user } on login, { access } on refresh; the lifetime is the JWT's own `exp`.
  parseTokenResponse: (body) => {
    const { access, user } = body as { access: string; user?: Record<string, unknown> };
    return { accessToken: access, user };
  },
} satisfies Omit<AuthClientOptions, 'baseUrl'>;

// const auth = createAuthClient({ baseUrl: 'https://api.example.com', ...djRestAuth });
