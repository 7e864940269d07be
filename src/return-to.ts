// Parsed against a placeholder origin: a value that leaves it names another site.
const HERE = 'https://here.invalid';

/**
 * `value` if it is a path on this site, else `fallback`. For the `returnTo` of a login page: the
 * query string is written by whoever made the link, so `?returnTo=//evil.com` must not send a
 * freshly signed-in user to another site (an open redirect). Rejects absolute URLs, scheme-relative
 * `//host`, `/\host` (browsers read `\` as `/`), `javascript:` and anything that normalises to
 * one of them; answers the normalised path with its query and hash.
 * @param value e.g. `searchParams.get('returnTo')` or vue-router's `route.query.returnTo`
 * @param fallback @default '/'
 * @example
 * await login(credentials);
 * navigate(safeReturnTo(searchParams.get('returnTo')), { replace: true });
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  // `/a/..//evil.com` normalises to the path `//evil.com`, which a router or `location` reads as a host.
  return url.origin === HERE && !path.startsWith('//') ? path : fallback;
}
