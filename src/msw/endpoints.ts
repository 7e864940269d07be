// Endpoint URLs, resolved as the client resolves them, so both sides agree on one option shape.
import type { AuthEndpoints } from './types';

const DEFAULT_ENDPOINTS: AuthEndpoints = {
  login: '/auth/login',
  register: '/auth/register',
  refresh: '/auth/refresh-token',
  logout: '/auth/logout',
  me: '/me',
  mfa: '/auth/mfa/verify',
  mfaStatus: '/auth/mfa',
  mfaEnroll: '/auth/mfa/enroll',
  mfaConfirm: '/auth/mfa/confirm',
  mfaDisable: '/auth/mfa/disable',
  sessions: '/auth/sessions',
};

/** Absolute endpoint URLs and the cookie path that covers login, refresh and logout. */
export interface ResolvedEndpoints extends AuthEndpoints {
  cookiePath: string;
}

/**
 * Joins endpoint paths onto `baseUrl`'s path; absolute endpoint URLs are kept.
 *
 * @example
 * resolveEndpoints('https://x.io/v1', {}).login; // 'https://x.io/v1/auth/login'
 */
export function resolveEndpoints(baseUrl: string, overrides: Partial<AuthEndpoints>): ResolvedEndpoints {
  if (!isAbsoluteUrl(baseUrl)) {
    throw new TypeError(`createAuthServer: baseUrl must be an absolute URL, got "${baseUrl}"`);
  }
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const resolve = (path: string): string =>
    isAbsoluteUrl(path) ? path : `${base.origin}${basePath}/${path.replace(/^\/+/, '')}`;
  const all: AuthEndpoints = { ...DEFAULT_ENDPOINTS, ...overrides };
  const urls = Object.fromEntries(
    Object.entries(all).map(([name, path]) => [name, resolve(path)]),
  ) as unknown as AuthEndpoints;
  return { ...urls, cookiePath: commonDirectory([urls.login, urls.refresh, urls.logout]) };
}

// The cookie must reach refresh and logout (login sets it), and nothing else: the longest
// directory all three share. '/auth/login' + '/auth/refresh-token' -> '/auth'.
function commonDirectory(urls: string[]): string {
  const directories = urls.map((url) => new URL(url).pathname.split('/').slice(1, -1));
  const [first = [], ...rest] = directories;
  let length = first.length;
  for (const segments of rest) {
    let i = 0;
    while (i < length && segments[i] === first[i]) i++;
    length = i;
  }
  return `/${first.slice(0, length).join('/')}`;
}

// try/catch rather than URL.canParse, which older browsers running setupWorker lack.
function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}
