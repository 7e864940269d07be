import fc from 'fast-check';
import { jwtDecode } from 'jwt-decode';
import { delay, http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isAuthError, type AuthClient } from 'tokenkeeper';
import { trackChannelDeliveries } from '../support/channel-deliveries';
import { createLockManager, installLockManager } from '../support/lock-manager';
import { API, FOREIGN, OTHER_USER, setupWorld, USER } from '../support/world';
import { installLeakProbes } from './probes';

/**
 * Random schedules of parallel requests (some redirected to another origin, some as Request objects
 * with bodies), expiries, refresh outcomes, aborts, logins as either of two accounts (in a tab, or in
 * a window that shares no channel, so another account's token arrives by refresh), logouts (some from
 * inside listeners), restores and disposals across simulated tabs, checked against the invariants users rely on.
 * Seeded and reproducible: CHAOS_SEED=<seed> CHAOS_RUNS=<n> npm test -- test/chaos
 */
const RUNS = Number(process.env['CHAOS_RUNS'] ?? 500);
const SEED = Number(process.env['CHAOS_SEED'] ?? 20_261_122);
/**
 * The clients' timeout: no real call reaches it, however loaded the machine. A shorter one raced
 * the scheduler: a login the server took but the client gave up on leaves the cookie in another
 * session than the tab (invariant 8), and nothing in a schedule is meant to time out.
 */
const CALL_TIMEOUT_MS = 10_000;
/** A command (or a late logout) that has not settled by then hangs. Past the timeouts a lock wait can add up. */
const SETTLE_BOUND_MS = 4 * CALL_TIMEOUT_MS;

const world = setupWorld();
const refreshUrl = `${API}/auth/refresh-token`;
const movedUrl = `${API}/api/moved`;
const ACCOUNTS = [USER, OTHER_USER];

type RefreshMode = 'ok' | 'slow' | 'drop' | '503' | '401' | 'reuse';
type Target = 'api' | 'foreign' | 'redirected';
type Trigger = 'login' | 'refresh' | 'state';
type Command =
  | { kind: 'fetch'; tab: number; post: boolean; asRequest: boolean; target: Target; abortAfterMs: number | null }
  | { kind: 'expire-server' | 'expire-client' }
  | { kind: 'mode'; mode: RefreshMode }
  | { kind: 'login'; tab: number; account: number }
  | { kind: 'login-elsewhere'; account: number }
  | { kind: 'logout-within'; tab: number; on: Trigger }
  | { kind: 'logout' | 'restore' | 'refresh' | 'dispose' | 'token'; tab: number };
interface Step {
  startMs: number;
  command: Command;
}
interface Schedule {
  tabs: number;
  crossTab: boolean;
  steps: Step[];
}

const tab = fc.nat(2);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('fetch' as const), tab, post: fc.boolean(), asRequest: fc.boolean(), target: fc.constantFrom<Target>('api', 'api', 'foreign', 'redirected'), abortAfterMs: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('expire-server' as const, 'expire-client' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mode' as const), mode: fc.constantFrom<RefreshMode>('ok', 'slow', 'drop', '503', '401', 'reuse') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('login' as const), tab, account: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('login-elsewhere' as const), account: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('logout-within' as const), tab, on: fc.constantFrom<Trigger>('login', 'refresh', 'state') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('logout' as const, 'restore' as const, 'refresh' as const, 'dispose' as const, 'token' as const), tab }) },
);
const schedule: fc.Arbitrary<Schedule> = fc.record({
  tabs: fc.integer({ min: 1, max: 3 }),
  crossTab: fc.boolean(),
  steps: fc.array(fc.record({ startMs: fc.integer({ min: 0, max: 15 }), command }), { minLength: 1, maxLength: 12 }),
});

type Entry =
  | { t: 'state'; status: string }
  | { t: 'login' | 'logout' | 'refresh' | 'refresh-start' | 'rejected' }
  | { t: 'error'; code: string };

afterEach(() => void vi.useRealTimers());

describe('chaos', () => {
  it(`holds every invariant over ${RUNS} random schedules (seed ${SEED})`, async () => {
    const channels = trackChannelDeliveries(); // also what is left open after dispose()
    const probes = installLeakProbes();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const issuedTokens = new Set<string>();
    world.server.events.on('response:mocked', async ({ request, response }) => {
      if (!/\/auth\/(login|refresh-token|register)$/.test(request.url) || !response.ok) return;
      const body: unknown = await response.clone().json().catch(() => null);
      const token = (body as { accessToken?: unknown } | null)?.accessToken;
      if (typeof token === 'string') issuedTokens.add(token);
    });

    try {
      await fc.assert(
        fc.asyncProperty(schedule, async (plan) => {
          await runSchedule(plan, probes, channels, issuedTokens, unhandled);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true, ...(process.env['CHAOS_PATH'] ? { path: process.env['CHAOS_PATH'] } : {}) },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
      world.server.events.removeAllListeners();
    }
  }, Math.max(600_000, RUNS * 300)); // about 0.1 s a schedule; room for a busy machine
});

async function runSchedule(
  plan: Schedule,
  probes: ReturnType<typeof installLeakProbes>,
  channels: ReturnType<typeof trackChannelDeliveries>,
  issuedTokens: Set<string>,
  unhandled: unknown[],
) {
  world.auth.reset();
  world.seen.length = 0;
  world.serverClock.skew = 0;
  issuedTokens.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
  const uninstallLocks = installLockManager(createLockManager());
  let mode: RefreshMode = 'ok';
  const movedHits = new Map<string, number>(); // call id → times the redirecting endpoint saw it
  world.server.use(
    http.post(refreshUrl, async () => {
      switch (mode) {
        case 'slow':
          await delay(25);
          return undefined; // then the mock auth server answers
        case 'drop':
          return HttpResponse.error();
        case '503':
          return new HttpResponse('unavailable', { status: 503 });
        case '401':
          return HttpResponse.json({ error: 'unauthorized' }, { status: 401 });
        case 'reuse':
          // What a client sees when the server detects reuse: the whole family revoked, then a 401.
          world.auth.revokeAll();
          return undefined;
        default:
          return undefined;
      }
    }),
    // 'slow' holds logins too, so a login in one tab overlaps refreshes in another.
    http.post(`${API}/auth/login`, async () => void (mode === 'slow' ? await delay(20) : undefined)),
    // Redirected to another origin, which answers 401: the platform stripped our token on the way.
    http.all(movedUrl, ({ request }) => {
      const call = new URL(request.url).searchParams.get('call') ?? '';
      movedHits.set(call, (movedHits.get(call) ?? 0) + 1);
      const to = `${FOREIGN}/landing${new URL(request.url).search}`;
      return new HttpResponse(null, { status: request.method === 'GET' ? 302 : 303, headers: { Location: to } });
    }),
  );

  const logs: Entry[][] = [];
  const lateLogouts: Array<Promise<unknown>> = []; // logout() called from inside listeners
  const disposed = new Set<number>();
  const exposed: unknown[] = []; // everything the app can see: states, events, errors
  const tabs: AuthClient[] = Array.from({ length: plan.tabs }, (_, index) => {
    const log: Entry[] = [];
    logs.push(log);
    const client = world.client({
      crossTab: plan.crossTab,
      timeout: CALL_TIMEOUT_MS,
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const isRefresh = url === refreshUrl;
        if (isRefresh) log.push({ t: 'refresh-start' });
        const response = await globalThis.fetch(input, init);
        if (isRefresh && (response.status === 401 || response.status === 403)) log.push({ t: 'rejected' });
        return response;
      },
    });
    client.subscribe((state) => {
      exposed.push(state);
      log.push({ t: 'state', status: state.status });
    });
    client.on('login', (payload) => (exposed.push(payload), log.push({ t: 'login' })));
    client.on('logout', (payload) => (exposed.push(payload), log.push({ t: 'logout' })));
    client.on('refresh', (payload) => (exposed.push(payload), log.push({ t: 'refresh' })));
    client.on('error', ({ error }) => (exposed.push(error.message, String(error.cause)), log.push({ t: 'error', code: error.code })));
    return client;
  });

  await tabs[0]!.login(USER);
  await Promise.all(tabs.slice(1).map((client) => client.restore().catch(() => null)));

  let calls = 0;
  const outcomes = plan.steps.map(async ({ startMs, command }) => {
    await new Promise((resolve) => setTimeout(resolve, startMs));
    const run = execute(command);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), SETTLE_BOUND_MS)));
    const settled = await Promise.race([run.then((value) => ({ value }), (error: unknown) => ({ error })), bound]);
    clearTimeout(timer);
    return { command, settled };
  });

  function execute(command: Command): Promise<unknown> {
    const client = 'tab' in command ? tabs[command.tab % tabs.length]! : undefined;
    const index = 'tab' in command ? command.tab % tabs.length : -1;
    if (client && disposed.has(index)) return Promise.resolve('skipped');
    switch (command.kind) {
      case 'fetch': {
        const controller = new AbortController();
        if (command.abortAfterMs !== null) setTimeout(() => controller.abort(), command.abortAfterMs);
        // Each call carries its own id, so its first send and its replay can be paired up.
        const base = { api: world.echoUrl, foreign: `${FOREIGN}/data`, redirected: movedUrl }[command.target];
        const url = `${base}?call=${++calls}`;
        const init: RequestInit = {
          method: command.post ? 'POST' : 'GET',
          ...(command.post ? { body: JSON.stringify({ n: 1 }), headers: { 'Content-Type': 'application/json' } } : {}),
          signal: controller.signal,
        };
        return command.asRequest ? client!.authFetch(new Request(url, init)) : client!.authFetch(url, init);
      }
      case 'expire-server':
        world.serverClock.skew += 400_000;
        return Promise.resolve();
      case 'expire-client':
        vi.setSystemTime(Date.now() + 400_000);
        return Promise.resolve();
      case 'mode':
        mode = command.mode;
        return Promise.resolve();
      case 'login':
        return client!.login(ACCOUNTS[command.account]!);
      case 'login-elsewhere': {
        // A window that shares no channel signs in: the shared cookie now holds its session, and the
        // tabs learn of it only from their next refresh's answer.
        const elsewhere = world.client({ crossTab: false, timeout: 1_000 });
        return elsewhere.login(ACCOUNTS[command.account]!).finally(() => elsewhere.dispose());
      }
      case 'logout-within': {
        // App code that signs out while being told of something: a login, a refresh, a state change.
        const off = command.on === 'state' ? client!.subscribe(() => later()) : client!.on(command.on, () => later());
        function later() {
          off();
          lateLogouts.push(client!.logout());
        }
        return Promise.resolve();
      }
      case 'logout':
        return client!.logout();
      case 'restore':
        return client!.restore();
      case 'refresh':
        return client!.refresh();
      case 'token':
        return client!.getAccessToken();
      case 'dispose':
        disposed.add(index);
        client!.dispose();
        return Promise.resolve();
    }
  }

  const results = await Promise.all(outcomes);
  let lateTimer: ReturnType<typeof setTimeout> | undefined;
  const lateSettled = await Promise.race([
    Promise.allSettled(lateLogouts).then((all) => all.every((one) => one.status === 'fulfilled')),
    new Promise<'hang'>((resolve) => (lateTimer = setTimeout(() => resolve('hang'), SETTLE_BOUND_MS))),
  ]);
  clearTimeout(lateTimer);
  // Let refreshes that aborted callers left running, and their broadcasts, finish before judging.
  mode = 'ok';
  await drain(probes, (where) => !where.includes('refresh-timer'));
  await channels.delivered();
  // The session each signed-in tab holds, and the one the browser's cookie would restore on a reload.
  const tabSessions = await Promise.all(
    tabs.map(async (client, index) =>
      !disposed.has(index) && client.getState().status === 'authenticated' ? sessionOf(await client.getAccessToken().catch(() => null)) : undefined,
    ),
  );
  const reload = world.client();
  const cookieSession = (await reload.restore().catch(() => null)) ? sessionOf(await reload.getAccessToken()) : null;
  reload.dispose();
  const finalStates = tabs.map((client) => client.getState().status);
  for (const client of tabs) client.dispose();
  // What a tab had under way when disposed finishes first: calls with their timeouts, and a turn of
  // the lock that was catching up on the channel (its message still on its way, no timer running).
  await drain(probes, () => true);
  await channels.delivered();
  await drain(probes, () => true);
  uninstallLocks();
  vi.useRealTimers();
  world.server.resetHandlers();

  // 3. Everything settled in bound, with a Response or an AuthError / AbortError; logout never rejects.
  for (const { command, settled } of results) {
    expect(settled, `${command.kind} hung`).not.toBe('hang');
    if (settled === 'hang' || !('error' in settled)) continue;
    const error = settled.error;
    const isAbort = error instanceof DOMException && error.name === 'AbortError';
    expect(isAuthError(error) || isAbort, `${command.kind} rejected with ${String(error)}`).toBe(true);
    expect(command.kind).not.toBe('logout');
  }
  expect(unhandled, 'unhandled rejections').toEqual([]);

  // 1. The client never caused refresh-token reuse. The one schedule that injects it: several tabs
  // with crossTab off, whose refreshes are not serialised, and a clock jump past the server's reuse
  // interval while one of them is in flight (a response that took minutes to arrive).
  const uncoordinated = !plan.crossTab && plan.tabs > 1;
  const clockJumps = plan.steps.some(({ command }) => command.kind.startsWith('expire-'));
  if (!(uncoordinated && clockJumps)) expect(world.auth.stats.reuseDetected, 'refresh-token reuse').toBe(0);

  // 2. logout fires at most once per session end, and always when the server refused a live session's refresh.
  logs.forEach((log, index) => {
    let authenticatedSinceLogout = false;
    for (const entry of log) {
      if (entry.t === 'state') authenticatedSinceLogout ||= entry.status === 'authenticated';
      if (entry.t === 'logout') {
        expect(authenticatedSinceLogout, `tab ${index}: logout twice for one session`).toBe(true);
        authenticatedSinceLogout = false;
      }
    }
    if (disposed.has(index)) return;
    // A refusal counts unless a login or logout overtook that refresh: then its answer is stale, by design.
    let lastLiveRefusal = -1;
    log.forEach((entry, at) => {
      if (entry.t !== 'rejected') return;
      const start = log.slice(0, at).map((e) => e.t).lastIndexOf('refresh-start');
      const between = log.slice(start + 1, at);
      const stale = between.some((e) => e.t === 'login' || e.t === 'logout' || (e.t === 'state' && e.status !== 'authenticated'));
      if (stale) return;
      lastLiveRefusal = at;
      const before = log.slice(0, start).filter((e): e is Extract<Entry, { t: 'state' }> => e.t === 'state').at(-1);
      if (before?.status === 'authenticated') {
        expect(log.slice(at).some((e) => e.t === 'logout'), `tab ${index}: refused refresh without logout`).toBe(true);
      }
    });
    const revivedAfter = log.slice(lastLiveRefusal).some((e) => e.t === 'state' && e.status === 'authenticated');
    if (lastLiveRefusal >= 0 && !revivedAfter) expect(finalStates[index], `tab ${index}: signed in after a refusal`).toBe('anonymous');
  });

  expect(lateSettled, 'a logout() called from a listener hung or rejected').toBe(true);

  // 7. No request is replayed under another session (tabs that share no channel cannot know about
  // each other's logins, but still never replay under another account). Redirected calls are never replayed.
  // A window that shares no channel may sign in at any time: then the tabs can only keep to one account.
  const signedInElsewhere = plan.steps.some(({ command }) => command.kind === 'login-elsewhere');
  const coordinated = (plan.crossTab || plan.tabs === 1) && !signedInElsewhere;
  const sends = new Map<string, string[]>();
  for (const { url, authorization } of world.seen) {
    const call = new URL(url).searchParams.get('call');
    if (call && authorization) sends.set(call, [...(sends.get(call) ?? []), authorization]);
  }
  for (const [call, authorizations] of sends) {
    const claims = authorizations.map((authorization) => jwtDecode<{ sid?: string; sub?: string }>(authorization.replace(/^Bearer /, '')));
    const identities = new Set(claims.map((c) => (coordinated ? c.sid : c.sub)));
    expect(identities.size, `call ${call} replayed in another ${coordinated ? 'session' : 'account'}`).toBe(1);
  }
  for (const [call, hits] of movedHits) expect(hits, `redirected call ${call} sent twice`).toBe(1);

  // 8. The cookie's session is the state's: every signed-in tab holds the session a reload restores.
  // The cookie may be dead without the tabs knowing only when the server revoked or expired it.
  const serverMayHaveForgotten =
    world.serverClock.skew >= 3_600_000 || plan.steps.some(({ command }) => command.kind === 'mode' && (command.mode === 'reuse' || command.mode === '401'));
  if (coordinated) {
    for (const [index, session] of tabSessions.entries()) {
      if (session === undefined) continue;
      if (cookieSession) expect(session, `tab ${index} holds a session other than the cookie's`).toBe(cookieSession);
      else expect(serverMayHaveForgotten, `tab ${index} is signed in but the cookie restores nothing`).toBe(true);
    }
  }

  // 4. No request to a foreign origin carried Authorization.
  for (const request of world.seen) {
    if (request.url.startsWith(FOREIGN)) expect(request.authorization).toBeNull();
  }

  // 5. No token in state, events, error messages, storage or script-readable cookies.
  const visible = JSON.stringify(exposed) + JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie;
  for (const token of issuedTokens) expect(visible.includes(token), 'a token leaked').toBe(false);

  // 6. After dispose(): no listener, channel or long timer left.
  expect(probes.listeners(), 'listeners left').toBe(0);
  expect(channels.openChannels(), 'channels left').toEqual([]);
  expect(probes.longTimers(), 'timers left').toEqual([]);
}

const sessionOf = (token: string | null) => (token ? jwtDecode<{ sid?: string }>(token).sid : undefined);

/**
 * Waits until no long timer matching `counts` is pending: auth calls and lock waits are done. A
 * call ends by its timeout at the latest, so past SETTLE_BOUND_MS something hangs: the checks
 * that follow (and invariant 6) say what.
 */
async function drain(probes: ReturnType<typeof installLeakProbes>, counts: (where: string) => boolean) {
  const started = performance.now();
  while (probes.longTimers().some(counts) && performance.now() - started < SETTLE_BOUND_MS) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
