// Many tabs, one expiry: 10 tabs of one page in each engine, signed in to one session, each firing
// 100 authFetch calls at once after the server has expired every access token. Reports per engine:
// refreshes and reuse detections at the server, the time from the refresh's answer to each tab's
// first request with the new token (the slowest tab is the figure), and the p99 the expiry adds to
// the same calls made with a valid token. A benchmark, run by hand (`npm run bench:tabs`): it
// prints figures and judges nothing. The page and the API are served over https and HTTP/2, as
// real deployments serve them (the tap in front of the example server speaks it; the certificate
// is a self-signed one each engine is told to accept); BENCH_HTTP=1 serves plain http/1.1 instead,
// where the 1,000 calls share the browser's six connections per host. The drivers watch no network
// traffic (their per-request events cost the browser and the driver time a user's browser does not
// spend) and the servers run in a worker thread (tabs-servers.ts); BENCH_WATCHED=1 drives the
// engines as the browser tests do, Chromium through Playwright and Firefox with BiDi's network
// events on. BENCH_ENGINES=chromium,firefox,webkit
// BENCH_TABS=10 BENCH_CALLS=100 BENCH_ROUNDS=3 change what it runs; BENCH_DETAIL=1 prints each tab's
// timings per round too.
import { once } from 'node:events';
import { copyFile, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import puppeteer from 'puppeteer-core';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { CHROMIUM_ARGS, UNTHROTTLED } from '../e2e/engines/chromium';
import { launchFirefox } from '../e2e/engines/firefox';
import { chromiumPath } from '../e2e/engines/installed.mjs';
import { puppeteerBrowser } from '../e2e/engines/puppeteer-browser';
import type { Browser, EngineName, Tab } from '../e2e/engines/types';
import { bundleClient } from '../e2e/harness';
import { cookieSent, type Seen } from '../e2e/tap';
import type { Ask, ServersData, Told } from './tabs-servers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const ENGINES = (process.env['BENCH_ENGINES'] ?? 'chromium,firefox,webkit').split(',') as EngineName[];
const TABS = Number(process.env['BENCH_TABS'] ?? 10);
const CALLS = Number(process.env['BENCH_CALLS'] ?? 100);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const OVER_HTTP1 = process.env['BENCH_HTTP'] === '1';
const DETAIL = process.env['BENCH_DETAIL'] === '1';
const WATCHED = process.env['BENCH_WATCHED'] === '1';
const REFRESH_COOKIE = 'tk_refresh'; // the example server's default

/**
 * Each engine with background tabs throttled as a real window has them and, unless BENCH_WATCHED=1,
 * no driver listening to its network: Chromium through puppeteer-core (over CDP, its background
 * tabs hidden), Firefox over BiDi without network events, WebKit as the browser tests drive it
 * (classic WebDriver sees no requests). BENCH_WATCHED=1: as the browser tests drive them, Chromium
 * through Playwright (every page visible, the Network domain on) and Firefox with network events.
 */
async function launch(name: EngineName): Promise<Browser> {
  if (name === 'chromium' && WATCHED) {
    const { chromiumBrowser, launchChromium } = await import('../e2e/engines/chromium');
    return chromiumBrowser(await launchChromium({ throttled: true }));
  }
  if (name === 'chromium') {
    return puppeteerBrowser(
      await puppeteer.launch({
        executablePath: chromiumPath(),
        args: CHROMIUM_ARGS,
        ignoreDefaultArgs: UNTHROTTLED,
        headless: true,
        acceptInsecureCerts: true,
        networkEnabled: false,
      }),
    );
  }
  if (name === 'firefox') return puppeteerBrowser(await launchFirefox({ networkEnabled: WATCHED }));
  return (await import('../e2e/engines/webkit')).webkitEngine.launch();
}

/** The example server and the tap, in their worker thread: read what they saw, or close them. */
async function startServers(data: ServersData) {
  // Built next to this file by tabs.mjs.
  const worker = new Worker(new URL(`./.tabs-servers-${process.pid}.mjs`, import.meta.url), { workerData: data });
  const next = async () => ((await once(worker, 'message')) as [Told])[0];
  const ready = await next();
  if (ready.type !== 'ready') throw new Error(`the servers' worker said ${ready.type} first`);
  const ask = async <T extends Told['type']>(question: Ask, answer: T) => {
    worker.postMessage(question);
    const told = await next();
    if (told.type !== answer) throw new Error(`the servers' worker answered ${told.type} to ${question.type}`);
    return told as Extract<Told, { type: T }>;
  };
  return {
    appUrl: ready.appUrl,
    tapUrl: ready.tapUrl,
    read: (from = 0) => ask({ type: 'read', from }, 'read'),
    close: async () => {
      await ask({ type: 'close' }, 'closed');
      await worker.terminate();
    },
  };
}

interface TabRound {
  statuses: number[];
  latencies: number[];
  visibility: string;
}

/**
 * In the page: readies `calls` authFetch calls, each timed from its call to its body, to start on
 * the bench's "go" over a BroadcastChannel (window.__benchRun then holds their results).
 */
function arm({ index, calls }: { index: number; calls: number }) {
  const one = async () => {
    const started = performance.now();
    try {
      const response = await window.tk.auth.authFetch('/api/me', { headers: { 'x-bench-tab': String(index) } });
      await response.arrayBuffer();
      return [response.status, performance.now() - started] as const;
    } catch {
      return [0, performance.now() - started] as const; // thrown (a refresh that timed out): a failed call
    }
  };
  const run = async (): Promise<TabRound> => {
    const results = await Promise.all(Array.from({ length: calls }, one));
    return { statuses: results.map(([status]) => status), latencies: results.map(([, ms]) => ms), visibility: document.visibilityState };
  };
  const page = window as unknown as { __benchRun?: Promise<TabRound> };
  page.__benchRun = new Promise((resolve) => {
    const go = new BroadcastChannel('tokenkeeper-bench-go');
    go.onmessage = () => {
      go.close();
      resolve(run());
    };
  });
}

/**
 * Every tab's calls at once. The tabs start on one BroadcastChannel message, not on the driver's
 * command to each: WebKit's driver talks to one window at a time, which started the tenth tab's
 * calls over a second after the first's, after the refresh had answered, so they never saw a 401.
 */
async function fire(tabs: Tab[]): Promise<TabRound[]> {
  await Promise.all(tabs.map((tab, index) => tab.evaluate(arm, { index, calls: CALLS })));
  await tabs[0]!.evaluate(() => {
    const go = new BroadcastChannel('tokenkeeper-bench-go');
    go.postMessage('go'); // delivered to this tab's own listener too: another channel object
    go.close();
  });
  return Promise.all(tabs.map((tab) => tab.evaluate(() => (window as unknown as { __benchRun: Promise<TabRound> }).__benchRun)));
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

interface EngineResult {
  engine: EngineName;
  hidden: number;
  refreshes: number;
  reuse: number;
  failed: number;
  /** Tabs (summed over rounds) whose calls all started after the refresh had answered: nothing to replay. */
  lateStarts: number;
  /** Per round: from the refresh's answer to the slowest tab's first request with the new token leaving the page, in ms. */
  lastSent: number[];
  /** Per round: the median tab's. */
  medianSent: number[];
  /** Per round: the longest a tab waited with a 401 in hand after the refresh had answered, in ms. */
  ownWait: number[];
  /** Per round: the same request's arrival at the server (over HTTP/1.1, behind the browser's queue of six connections per host). */
  lastArrived: number[];
  /** The HTTP versions the API calls arrived in, as the tap saw them ("2.0", "1.1"). */
  httpVersions: string[];
  /** The login's refresh cookie was marked Secure, and every refresh request carried it. */
  secureCookie: boolean;
  cookieOnEveryRefresh: boolean;
  /** Per round (BENCH_DETAIL=1): each tab's visibility, old calls, first 401, own refresh answer, news and first replay, ms from the refresh's answer. */
  detail: string[];
  p99Valid: number;
  p99Expired: number;
}

async function measure(name: EngineName): Promise<EngineResult> {
  const staticDir = await bundleClient();
  await copyFile(join(root, 'test/e2e/fixture/index.html'), join(staticDir, 'index.html'));
  const servers = await startServers({ staticDir, overHttp1: OVER_HTTP1 });
  const browser = await launch(name);
  try {
    const context = await browser.newContext();
    const tabs: Tab[] = [];
    // The first in front, the others behind it, as tabs a user opened one after another and left.
    for (let i = 0; i < TABS; i++) tabs.push(await context.newTab(servers.tapUrl, { background: i > 0 }));
    for (const tab of tabs) await tab.waitFor(() => 'tk' in window).then(() => tab.evaluate(() => window.tk.restored));
    await tabs[0]!.evaluate((user) => window.tk.auth.login(user), { email: DEMO_USER.email, password: DEMO_USER.password });
    for (const tab of tabs) await tab.waitFor(() => window.tk.auth.getState().status === 'authenticated');
    await fire(tabs); // warm-up: connections, JIT

    const valid: number[] = [];
    const expired: number[] = [];
    const login = (await servers.read()).seen.find((request) => request.path === '/auth/login' && request.status === 200);
    const result: EngineResult = {
      engine: name, hidden: 0, refreshes: 0, reuse: 0, failed: 0, lateStarts: 0, lastSent: [], medianSent: [], ownWait: [], lastArrived: [],
      httpVersions: [], secureCookie: login?.setCookie.some((line) => line.startsWith(`${REFRESH_COOKIE}=`) && /;\s*Secure/i.test(line)) ?? false,
      cookieOnEveryRefresh: true, detail: [], p99Valid: 0, p99Expired: 0,
    };
    for (let round = 0; round < ROUNDS; round++) {
      const validRound = await fire(tabs);
      valid.push(...validRound.flatMap((tab) => tab.latencies));
      result.hidden = Math.max(result.hidden, validRound.filter((tab) => tab.visibility === 'hidden').length);

      const oldToken = await tabs[0]!.evaluate(() => window.tk.auth.getAccessToken());
      await fetch(`${servers.appUrl}/api/expire-access-tokens`, { method: 'POST', headers: { Authorization: `Bearer ${oldToken}` } });
      await Promise.all(tabs.map((tab) => tab.evaluate(watchForNewToken, `Bearer ${oldToken}`)));
      const { stats: before, seenCount: seenBefore } = await servers.read();
      const expiredRound = await fire(tabs);
      expired.push(...expiredRound.flatMap((tab) => tab.latencies));
      result.failed += expiredRound.flatMap((tab) => tab.statuses).filter((status) => status !== 200).length;
      const { stats: after, seen } = await servers.read(seenBefore);
      result.refreshes += after.refreshes - before.refreshes;
      result.reuse += after.reuseDetected - before.reuseDetected;

      const refreshRequests = seen.filter((request) => request.path === '/auth/refresh-token');
      if (refreshRequests.length === 0 || refreshRequests.some((request) => !cookieSent(request, REFRESH_COOKIE))) result.cookieOnEveryRefresh = false;
      for (const request of seen) if (request.path === '/api/me' && !result.httpVersions.includes(request.httpVersion)) result.httpVersions.push(request.httpVersion);
      const refreshAnswer = seen.find((request) => request.path === '/auth/refresh-token' && request.status === 200);
      const answered = refreshAnswer?.answeredAt;
      const arrivedByTab = firstPerTab(seen, (request) => request.headers.authorization !== `Bearer ${oldToken}`, (request) => request.receivedAt);
      const watched = await Promise.all(
        tabs.map((tab) => tab.evaluate(() => (window as unknown as { __bench?: Watch }).__bench ?? null)),
      );
      // A tab that sent no call with the expired token replayed nothing: it is left out of the figures.
      const replayed = watched.filter((watch) => watch === null || watch.oldCalls > 0);
      result.lateStarts += TABS - replayed.length;
      const sent = replayed.map((watch) => watch?.sentAt ?? null);
      // A tab that never sent the new token (its calls failed) makes the round's figures NaN.
      const answeredAt = answered ?? NaN;
      // The pages' clocks and the servers' are the same machine's: all as milliseconds since the epoch.
      const sentWaits = sent.map((at) => (at ?? NaN) - answeredAt);
      result.lastSent.push(Math.max(...sentWaits));
      result.medianSent.push(percentile(sentWaits, 50));
      // The tab's own wait: from when it had both a 401 in hand and the answer within reach (the
      // later of its first 401 and the refresh's answer) to its replay. Before that, its requests
      // were still in the browser's queue, which no client code shortens.
      const ownWaits = replayed.map((watch) => (watch?.sentAt ?? NaN) - Math.max(watch?.first401At ?? -Infinity, answeredAt));
      result.ownWait.push(Math.max(...ownWaits));
      if (DETAIL) {
        const at = (time: number | null | undefined) => (time == null ? '-' : ms(time - answeredAt));
        const first401Sent = firstPerTab(
          seen,
          (request) => request.headers.authorization === `Bearer ${oldToken}` && request.status === 401,
          (request) => request.answeredAt,
        );
        const tabsLine = watched.map(
          (watch, index) =>
            `tab ${index} ${expiredRound[index]!.visibility}: ${watch?.oldCalls ?? '-'} old calls, ` +
            `first 401 sent by the server ${at(first401Sent.get(String(index)))}, in the page ${at(watch?.first401At)}, ` +
            `${watch?.refreshSentAt == null ? '' : `its refresh sent ${at(watch.refreshSentAt)}, answered in the page ${at(watch.refreshAnsweredAt)}, `}` +
            `news ${at(watch?.newsAt)}, replay ${at(watch?.sentAt)}`,
        );
        const finished = refreshAnswer?.finishedAt === undefined ? '-' : ms(refreshAnswer.finishedAt - refreshAnswer.answeredAt!);
        result.detail.push(`round ${round + 1}, ${refreshRequests.length} refresh request(s), its answer's last byte handed to the connection ${finished}: ${tabsLine.join('; ')}`);
      }
      const arrived = watched.flatMap((watch, index) => (watch === null || watch.oldCalls > 0 ? [arrivedByTab.get(String(index)) ?? NaN] : []));
      result.lastArrived.push(answered === undefined ? NaN : Math.max(...arrived) - answered);
    }
    result.p99Valid = percentile(valid, 99);
    result.p99Expired = percentile(expired, 99);
    return result;
  } finally {
    await browser.close();
    await servers.close();
    await rm(staticDir, { recursive: true, force: true });
  }
}

/** What a tab noted in one round, as milliseconds since the epoch (the page's clock and ours are one machine's). */
interface Watch {
  old: string;
  /** Calls sent with the expired token: none when the tab started after the refresh had answered. */
  oldCalls: number;
  sentAt: number | null;
  first401At: number | null;
  /** When this tab's own refresh request (if it sent one) answered in the page. */
  refreshSentAt: number | null;
  refreshAnsweredAt: number | null;
  /** When the new token's message from the refreshing tab reached this tab's BroadcastChannel (not the tabs' catch-up pings). */
  newsAt: number | null;
}

/**
 * In the page: notes when the first API call with a token other than `oldHeader` is handed to
 * `fetch` (the library's part; the browser's connection queue comes after). The client looks
 * `fetch` up at each call, so wrapping it once is enough.
 */
function watchForNewToken(oldHeader: string) {
  const page = window as unknown as { __bench?: Watch; __benchFetch?: typeof fetch };
  page.__bench = { old: oldHeader, oldCalls: 0, sentAt: null, first401At: null, refreshSentAt: null, refreshAnsweredAt: null, newsAt: null };
  if (page.__benchFetch) return;
  const original = (page.__benchFetch = window.fetch);
  const now = () => performance.timeOrigin + performance.now();
  // The client's own channel name (src/client.ts: its session key is the refresh URL).
  const news = new BroadcastChannel(`tokenkeeper:${new URL('/auth/refresh-token', location.origin).href}`);
  news.onmessage = ({ data }: MessageEvent<{ type?: string }>) => {
    const isNews = data.type === 'refreshed' || data.type === 'login';
    if (isNews && page.__bench && page.__bench.newsAt === null) page.__bench.newsAt = now();
  };
  window.fetch = async (input, init) => {
    const header = init?.headers instanceof Headers ? init.headers.get('authorization') : null;
    const bench = page.__bench;
    if (bench && header === bench.old) bench.oldCalls++;
    if (bench && bench.sentAt === null && header && header !== bench.old) bench.sentAt = now();
    const url = typeof input === 'string' ? input : input instanceof Request ? input.url : input.href;
    const isRefresh = url.includes('/auth/refresh-token');
    if (bench && bench.refreshSentAt === null && isRefresh) bench.refreshSentAt = now();
    const response = await original.call(window, input, init);
    if (bench && bench.first401At === null && response.status === 401) bench.first401At = now();
    if (bench && bench.refreshAnsweredAt === null && isRefresh) bench.refreshAnsweredAt = now();
    return response;
  };
}

/** Per tab (by its x-bench-tab header), the earliest `at` of its API requests that `matches`. */
function firstPerTab(seen: Seen[], matches: (request: Seen) => boolean, at: (request: Seen) => number | undefined): Map<string, number> {
  const first = new Map<string, number>();
  for (const request of seen) {
    const tab = request.headers['x-bench-tab'];
    const time = at(request);
    if (request.path !== '/api/me' || typeof tab !== 'string' || time === undefined || !matches(request)) continue;
    first.set(tab, Math.min(first.get(tab) ?? Infinity, time));
  }
  return first;
}

const ms = (value: number) => value.toFixed(0);
const loadBefore = loadavg()[0]!.toFixed(2);
const rows: EngineResult[] = [];
for (const name of ENGINES) {
  console.error(`${name}…`);
  rows.push(await measure(name));
}
const loadAfter = loadavg()[0]!.toFixed(2);
const served = OVER_HTTP1 ? 'plain http, HTTP/1.1 (BENCH_HTTP=1)' : 'https, HTTP/2 offered (ALPN)';
console.log(`\n${TABS} tabs × ${CALLS} calls, ${ROUNDS} rounds per engine, served over ${served}; ${cpus().length} cores, 1-min load average before: ${loadBefore}, after: ${loadAfter}\n`);
console.log(
  "| engine | API calls arrived over HTTP/ | refresh cookie Secure, sent on every refresh | hidden tabs | refreshes / rounds | reuse detected | failed calls | tabs that started after the answer | refresh answer → last tab's first replay sent, ms (each round) | median tab, ms | longest a tab held a 401 after the answer, ms | … replay reached the server, ms | p99 valid, ms | p99 expired, ms | added p99, ms |",
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${row.engine} | ${row.httpVersions.join(', ')} | ${row.secureCookie ? 'yes' : 'no'}, ${row.cookieOnEveryRefresh ? 'yes' : 'no'} | ${row.hidden}/${TABS} | ${row.refreshes} / ${ROUNDS} | ${row.reuse} | ${row.failed} | ${row.lateStarts} | ${row.lastSent.map(ms).join(' / ')} | ${row.medianSent.map(ms).join(' / ')} | ${row.ownWait.map(ms).join(' / ')} | ${row.lastArrived.map(ms).join(' / ')} | ${ms(row.p99Valid)} | ${ms(row.p99Expired)} | ${ms(row.p99Expired - row.p99Valid)} |`,
  );
}
if (DETAIL) for (const row of rows) for (const line of row.detail) console.log(`${row.engine} ${line}`);
