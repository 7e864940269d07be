// A fetch that behaves as the SPA's browser tab does towards a real server on loopback: it keeps the
// server's cookies, sends them only with `credentials: 'include'`, and names the page's origin.

/** The cookies a browser would hold for one server, by name. */
export type CookieJar = Map<string, string>;

/**
 * @param origin - the SPA's origin, sent as `Origin` as a browser does on cross-origin calls.
 * @param jar - shared by every fetch of one browser (tabs and reloads), separate per device.
 */
export function browserFetch(origin: string, jar: CookieJar = new Map()): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    headers.set('Origin', origin);
    if (request.credentials === 'include' && jar.size) {
      headers.set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(new Request(request, { headers }));
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
      const gone = !value || attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (gone) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
}
