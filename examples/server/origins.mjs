// SPA_ORIGINS, read forgivingly and explained loudly: a CORS mistake otherwise shows up in the
// browser as a bare network error, with nothing in the server's log.

/**
 * Parses a comma-separated list of origins. `http://localhost:5173/` becomes
 * `http://localhost:5173` (an origin has no path); anything that is not an http(s) origin is
 * dropped with a warning, and so is an empty list.
 * @param {string | undefined} raw the value of SPA_ORIGINS
 * @returns {{ origins: string[], warnings: string[] }}
 */
export function parseOrigins(raw) {
  /** @type {string[]} */ const origins = [];
  /** @type {string[]} */ const warnings = [];
  for (const entry of (raw ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const origin = originOf(entry);
    if (origin === null) {
      warnings.push(`SPA_ORIGINS: ignoring "${entry}": expected an origin such as http://localhost:5173 (scheme, host, port; no "*")`);
    } else {
      if (origin !== entry.replace(/\/$/, '')) warnings.push(`SPA_ORIGINS: "${entry}" has a path; using its origin ${origin}`);
      if (!origins.includes(origin)) origins.push(origin);
    }
  }
  if (origins.length === 0) {
    warnings.push(
      'SPA_ORIGINS is empty: only pages on this server\'s own origin (STATIC_DIR, or a dev-server proxy) can sign in; ' +
        'a SPA on another origin needs e.g. SPA_ORIGINS=http://localhost:5173',
    );
  }
  return { origins, warnings };
}

/** The origin of an http(s) URL, or `null`. @param {string} text */
function originOf(text) {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Why a browser page on `origin` is refused, in words an app developer can act on.
 * @param {string} origin @param {readonly string[]} allowed
 */
export function refusedOriginHint(origin, allowed) {
  const swapped = origin.includes('//localhost') ? origin.replace('//localhost', '//127.0.0.1') : origin.replace('//127.0.0.1', '//localhost');
  if (allowed.includes(swapped)) return `allowed is ${swapped}: localhost and 127.0.0.1 are different sites to a browser`;
  return allowed.length ? `not in SPA_ORIGINS (${allowed.join(', ')})` : 'SPA_ORIGINS is empty';
}

/**
 * The URL a person should open: `localhost` for a loopback or wildcard host, because the SPA's
 * dev server is on localhost too and a SameSite=Strict cookie does not cross from one to the
 * other (127.0.0.1 and localhost are different sites).
 * @param {string} host @param {number} port
 */
export function browserUrl(host, port) {
  const loopback = ['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::', ''].includes(host) || /^127\./.test(host);
  const name = loopback ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}
