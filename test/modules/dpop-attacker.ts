// Hand-made DPoP proofs for the server tests: what an attacker (or a broken client) could send, any
// header or claim chosen, signed with jose by a key of its own; and what a refusal must look like.
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose';
import { expect } from 'vitest';
import { call, type Target } from '../servers/http.mjs';

export interface ForgedProof {
  /** Header fields to set or (with `undefined`) remove. */
  header?: Record<string, unknown>;
  /** Claims to set or (with `undefined`) remove. */
  claims?: Record<string, unknown>;
  /** `iat` in epoch ms; the claim is its seconds. */
  at?: number;
}

/** A key pair of the attacker's own and a proof signer with it. */
export async function attackerKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const { kty = 'EC', crv = 'P-256', x = '', y = '' } = await exportJWK(publicKey);
  const jwk: JWK = { kty, crv, x, y };
  return {
    jwk,
    privateJwk: await exportJWK(privateKey),
    /** A well-formed ES256 proof for `method url`, with `ath` for `accessToken`, unless `forged` says otherwise. */
    async proof(method: string, url: string, accessToken?: string, forged: ForgedProof = {}): Promise<string> {
      const claims: Record<string, unknown> = {
        htm: method,
        htu: url,
        iat: Math.floor((forged.at ?? Date.now()) / 1000),
        jti: randomUUID(),
        ...(accessToken ? { ath: createHash('sha256').update(accessToken).digest('base64url') } : {}),
        ...forged.claims,
      };
      const header = { alg: 'ES256', typ: 'dpop+jwt', jwk, ...forged.header };
      return new SignJWT(defined(claims)).setProtectedHeader(defined(header) as { alg: string }).sign(privateKey);
    },
  };
}

const defined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

/** The parts of a compact JWS, and one put back together from parts. */
export const parts = (jws: string) => jws.split('.') as [string, string, string];
export const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
export const fromB64json = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;

/** A 401 with the DPoP challenge for `error`, and `error_description` naming the check that failed. */
export async function expectRefused(res: Response, error: string, check: string): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate'), await res.clone().text()).toBe(`DPoP error="${error}", algs="ES256"`);
  expect(await res.json()).toEqual({ error, error_description: check });
}

/** A raw call to a server under test: the access token and its scheme, a proof, a cookie, a JSON body. */
export interface ProofCall {
  token?: string;
  /** @default 'DPoP' */
  scheme?: 'DPoP' | 'Bearer';
  proof?: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A {@link ProofCall} to `target`: as http.mjs's `call`, with the token under the DPoP scheme unless it says Bearer. */
export const proofCall = (target: Target, method: string, path: string, options: ProofCall = {}) =>
  call(target, method, path, { ...options, scheme: options.scheme ?? 'DPoP' });
