import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { isAuthError, type AuthClient, type AuthError } from 'tokenkeeper';
import { API, setupWorld, USER } from '../support/world';

// The status table of the docs (docs/errors.md) is the source of truth: the same table is
// AuthErrorCode's TSDoc, and the client must answer every cell of it.
const world = setupWorld();

const CALLS = ['login', 'register', 'refresh', 'logout', 'verifyMfa'] as const;
type Call = (typeof CALLS)[number];
const PATHS: Record<Call, string> = { login: 'login', register: 'register', refresh: 'refresh-token', logout: 'logout', verifyMfa: 'mfa/verify' };
/** Statuses tried under an "any other" row, besides those the table names. */
const OTHERS = [402, 405, 410, 418, 500, 501, 502, 503, 504];

/** `{ 'login 401': 'invalid_credentials', … }` from the markdown table that starts with `| status | login |`. */
function parseTable(text: string): Record<string, string> {
  const lines = text.split('\n').map((line) => line.replace(/^\s*\*\s?/, '').trim());
  const start = lines.findIndex((line) => /^\| status \| login \| register \| refresh \| logout \| verifyMfa \|$/.test(line));
  expect(start, 'status table not found').toBeGreaterThanOrEqual(0);
  const table: Record<string, string> = {};
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [statuses = '', ...cells] = line.split('|').slice(1, -1).map((cell) => cell.trim());
    const named = statuses.startsWith('any other') ? OTHERS : statuses.split(',').map(Number);
    CALLS.forEach((call, i) => {
      const code = /`(\w+)`/.exec(cells[i] ?? '')?.[1];
      for (const status of named) table[`${call} ${status}`] = code ?? `unreadable cell "${cells[i]}"`;
    });
  }
  return table;
}

/** The code the client reports for `call` answered `status`: the rejection, or logout's `error` event. */
async function codeFor(client: AuthClient, call: Call): Promise<string> {
  const errors: AuthError[] = [];
  client.on('error', ({ error }) => errors.push(error));
  const run = { logout: () => client.logout(), verifyMfa: () => client.verifyMfa({ mfaToken: 'challenge', code: '123456' }) };
  const outcome = await (call === 'logout' || call === 'verifyMfa' ? run[call]() : client[call](USER)).then(
    () => errors[0],
    (error: unknown) => error,
  );
  return isAuthError(outcome) ? outcome.code : `no AuthError (${String(outcome)})`;
}

const read = (path: string) => readFileSync(join(import.meta.dirname, path), 'utf8');

describe('the status table', () => {
  it('is the same in the docs and the TSDoc, and the client answers every cell of it', async () => {
    const documented = parseTable(read('../../docs/errors.md'));
    expect(parseTable(read('../../src/errors.ts'))).toEqual(documented);

    const actual: Record<string, string> = {};
    for (const key of Object.keys(documented)) {
      const [call, status] = key.split(' ') as [Call, string];
      world.server.use(
        http.post(`${API}/auth/${PATHS[call]}`, () => HttpResponse.json({ error: 'x' }, { status: Number(status) })),
      );
      actual[key] = await codeFor(world.client(), call);
    }
    expect(actual).toEqual(documented);
  });
});
