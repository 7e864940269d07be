// What the recipe mocks share: a server clock, signed JWTs, the browser's cookie rule, JSON bodies.
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { HttpResponse } from 'msw';

/** A server clock that can run ahead of the client's, so tokens the client trusts can be refused. */
export interface ServerClock {
  skew: number;
  now(): number;
}

export const serverClock = (): ServerClock => ({ skew: 0, now() { return Date.now() + this.skew; } });

/** One account on a mocked server. */
export interface RecipeUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

export const ALICE: RecipeUser = { id: '7f3e9c1a', email: 'alice@example.com', password: 'correct-horse-battery', name: 'Alice' };

/** An opaque token, as servers make their refresh tokens and session ids. */
export const opaque = (bytes = 32) => randomBytes(bytes).toString('hex');

/** HS256 signing and checking against the server's clock, as the mocked servers do. */
export function jwtKeys(clock: ServerClock) {
  const secret = new TextEncoder().encode(opaque());
  return {
    sign: (claims: JWTPayload, ttlSeconds: number) => {
      const iat = Math.floor(clock.now() / 1000);
      return new SignJWT({ ...claims, iat, exp: iat + ttlSeconds }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secret);
    },
    /** The claims, or null for a missing, forged or expired (on the server's clock) token. */
    verify: async (token: string | null | undefined) => {
      if (!token) return null;
      try {
        return (await jwtVerify(token, secret, { currentDate: new Date(clock.now()) })).payload;
      } catch {
        return null;
      }
    },
  };
}

/**
 * The cookie a browser would send: MSW in Node attaches its cookie jar to every request, but a
 * browser sends a cross-origin request's cookies only with `credentials: 'include'`.
 */
export const browserCookie = (request: Request, cookies: Record<string, string>, name: string): string | undefined =>
  request.credentials === 'include' ? cookies[name] || undefined : undefined;

/** The JSON body, or `{}` when there is none (body parsers answer an empty body with `{}`). */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text) return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

/** The bearer token of `Authorization: Bearer …`, as most servers read it. */
export const bearerOf = (request: Request) => /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];

/** A JSON answer with `Set-Cookie` lines. */
export const json = (body: unknown, status = 200, setCookies: string[] = []) => {
  const headers = new Headers({ 'Content-Type': 'application/json' });
  for (const cookie of setCookies) headers.append('Set-Cookie', cookie);
  return HttpResponse.json(body as Record<string, unknown>, { status, headers });
};

/** A fresh origin per test: MSW's cookie jar is process-wide, and a first visit must carry no cookie. */
let origins = 0;
export const freshOrigin = (name: string) => `https://${name}-${++origins}.example.com`;
