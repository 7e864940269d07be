// Type-level tests for tokenkeeper/dpop, checked by `npm run typecheck`: the handle the client option
// `dpop` takes, with no `any` anywhere, and the mock server's DPoP options.
import { expectTypeOf } from 'vitest';
import { createAuthClient, type AuthClientOptions, type DpopBinding } from 'tokenkeeper';
import { createDpop, isDpopKeyPair, jwkThumbprint, type DpopHandle, type DpopPublicJwk } from 'tokenkeeper/dpop';
import { createAuthServer, type AuthServerOptions, type DpopServerOptions } from 'tokenkeeper/msw';

const dpop = createDpop();
expectTypeOf(dpop).toEqualTypeOf<DpopHandle>();
expectTypeOf(dpop.proof).parameters.toEqualTypeOf<[method: string, url: string, accessToken?: string]>();
expectTypeOf(dpop.proof).returns.resolves.toEqualTypeOf<string>();
expectTypeOf(dpop.rememberNonce).returns.toEqualTypeOf<boolean>();
expectTypeOf(dpop.isNonceError).parameters.toEqualTypeOf<[status: number, headers: Headers, body?: unknown]>();
expectTypeOf(dpop.thumbprint).returns.resolves.toEqualTypeOf<string>();
// What another tab posts: a structured-clonable pair, or nothing yet; adopt checks whatever arrives.
expectTypeOf(dpop.exportForTabs).returns.toEqualTypeOf<CryptoKeyPair | undefined>();
expectTypeOf(dpop.adopt).parameters.toEqualTypeOf<[keyPair: unknown]>();
expectTypeOf(dpop.adopt).returns.toEqualTypeOf<boolean>();
expectTypeOf(isDpopKeyPair).guards.toEqualTypeOf<CryptoKeyPair>();
// The handle is the client option `dpop`; its wrapper has fetch's signature.
expectTypeOf(dpop).toExtend<DpopBinding>();
expectTypeOf(dpop).toExtend<NonNullable<AuthClientOptions['dpop']>>();
expectTypeOf(dpop.bind(fetch)).toEqualTypeOf<typeof fetch>();
expectTypeOf(dpop.tokenKey).returns.toEqualTypeOf<CryptoKeyPair | undefined>();
createAuthClient({ baseUrl: 'https://api.example.com', dpop });
// @ts-expect-error: a key pair is not the option; the handle is
createAuthClient({ baseUrl: 'https://api.example.com', dpop: dpop.exportForTabs() });
expectTypeOf(jwkThumbprint).parameter(0).toEqualTypeOf<DpopPublicJwk>();
// @ts-expect-error: only EC P-256 keys make proofs
jwkThumbprint({ kty: 'RSA', crv: 'P-256', x: '', y: '' });

expectTypeOf<AuthServerOptions['dpop']>().toEqualTypeOf<boolean | DpopServerOptions | undefined>();
expectTypeOf<DpopServerOptions>().toEqualTypeOf<{ requireNonce?: boolean; nonceTtl?: number; iatWindow?: number }>();
createAuthServer({ baseUrl: 'https://api.example.com', dpop: { requireNonce: true } });
// @ts-expect-error: the mock's nonce switch is requireNonce
createAuthServer({ baseUrl: 'https://api.example.com', dpop: { nonce: true } });
