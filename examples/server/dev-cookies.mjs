// WebKit (Safari's engine) drops a `Secure` cookie set over plain http://localhost, although
// localhost is a secure context there as everywhere; Chromium and Firefox keep it. So a page
// served over plain http on a loopback host gets the refresh cookie without `Secure`, and every
// other request (https, a real host, a TLS proxy in front: its pages' Origin is https) keeps the
// production flags.

/** localhost, *.localhost, 127.0.0.0/8 or [::1]. @param {string} hostname */
const isLoopback = (hostname) =>
  hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';

/** The hostname of `http://<host>`, or '' for a value that is none. @param {string | undefined} host */
const hostnameOf = (host) => {
  try {
    return host ? new URL(`http://${host}`).hostname : '';
  } catch {
    return '';
  }
};

/**
 * True when a page on a plain-http loopback origin calls this server over plain http on a loopback
 * host (the page's own origin, or a dev server's proxy that keeps the Host header): the one case
 * where `Secure` costs the session in WebKit and protects nothing.
 * @param {import('node:http').IncomingMessage} req
 */
export function isPlainHttpLoopback(req) {
  if (/** @type {{ encrypted?: boolean }} */ (req.socket).encrypted) return false;
  const origin = req.headers.origin;
  if (!origin?.startsWith('http://')) return false;
  return isLoopback(hostnameOf(origin.slice('http://'.length))) && isLoopback(hostnameOf(req.headers.host));
}
