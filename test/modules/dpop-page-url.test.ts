// In a page (happy-dom at https://app.example.com/), a relative URL is the page's: its proof names
// the absolute URL the browser will fetch, and its nonce is kept for the page's origin.
import { decodeJwt } from 'jose';
import { expect, test } from 'vitest';
import { createDpop } from 'tokenkeeper/dpop';

test('a relative URL resolves against the page, for htu and for nonces', async () => {
  const dpop = createDpop();
  dpop.rememberNonce('/auth/login', new Headers({ 'DPoP-Nonce': 'page-nonce' }));

  const claims = decodeJwt(await dpop.proof('GET', '/api/me?page=2#top'));
  expect(claims).toMatchObject({ htu: 'https://app.example.com/api/me', nonce: 'page-nonce' });
  expect(decodeJwt(await dpop.proof('GET', 'https://api.example.com/me'))).not.toHaveProperty('nonce');
});
