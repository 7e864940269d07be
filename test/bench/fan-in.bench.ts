import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createAuthClient } from 'tokenkeeper';
import { median, startBenchServer } from './bench-server';

// 1,000 concurrent calls on an expired token: one refresh, and how long until all have settled,
// against the floor of one plain request plus one refresh.
let server: Awaited<ReturnType<typeof startBenchServer>>;
const CALLS = 1_000;
const realNow = Date.now;
const rounds = { fanIn: [] as number[], floor: [] as number[], plainFanIn: [] as number[], refreshesPerRound: new Set<number>() };

async function fanIn() {
  const auth = createAuthClient({ baseUrl: server.url, crossTab: false });
  await auth.login({});
  Date.now = () => realNow() + 7_200_000; // the token expired an hour ago, as far as the client knows
  try {
    const before = server.stats.refreshes;
    const start = performance.now();
    const responses = await Promise.all(Array.from({ length: CALLS }, () => auth.authFetch(`${server.url}/api/data`)));
    await Promise.all(responses.map((response) => response.arrayBuffer()));
    rounds.fanIn.push(performance.now() - start);
    rounds.refreshesPerRound.add(server.stats.refreshes - before);
    if (responses.some((response) => response.status !== 200)) throw new Error('a call failed');
  } finally {
    Date.now = realNow;
    auth.dispose();
  }
}

async function floor() {
  const start = performance.now();
  const refreshed = await fetch(`${server.url}/auth/refresh-token`, { method: 'POST' });
  const { accessToken } = (await refreshed.json()) as { accessToken: string };
  const response = await fetch(`${server.url}/api/data`, { headers: { Authorization: `Bearer ${accessToken}` } });
  await response.arrayBuffer();
  rounds.floor.push(performance.now() - start);
}

/** The same 1,000 requests sent with fetch and a valid header, after one refresh: the network's share. */
async function plainFanIn() {
  const start = performance.now();
  const refreshed = await fetch(`${server.url}/auth/refresh-token`, { method: 'POST' });
  const { accessToken } = (await refreshed.json()) as { accessToken: string };
  const headers = { Authorization: `Bearer ${accessToken}` };
  const responses = await Promise.all(Array.from({ length: CALLS }, () => fetch(`${server.url}/api/data`, { headers })));
  await Promise.all(responses.map((response) => response.arrayBuffer()));
  rounds.plainFanIn.push(performance.now() - start);
}

beforeAll(async () => {
  server = await startBenchServer();
});

afterAll(async () => {
  const ratio = median(rounds.fanIn) / median(rounds.floor);
  console.log(
    `\n[fan-in] ${CALLS} concurrent authFetch on an expired token: refreshes per round ${[...rounds.refreshesPerRound].join(', ')}; ` +
      `median ${median(rounds.fanIn).toFixed(1)} ms to settle all = ${ratio.toFixed(1)}× one request + one refresh (${median(rounds.floor).toFixed(2)} ms), ` +
      `${(median(rounds.fanIn) / median(rounds.plainFanIn)).toFixed(2)}× the same ${CALLS} requests sent with plain fetch after one refresh (${median(rounds.plainFanIn).toFixed(1)} ms)`,
  );
  await server.close();
});

describe('refresh fan-in', () => {
  bench(`${CALLS} concurrent authFetch on an expired token`, fanIn, { time: 3_000, iterations: 10 });
  bench('one plain request + one refresh', floor, { time: 1_000, iterations: 10 });
  bench(`one refresh, then ${CALLS} concurrent plain fetch calls`, plainFanIn, { time: 3_000, iterations: 10 });
});
