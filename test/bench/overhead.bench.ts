import { afterAll, beforeAll, bench, describe } from 'vitest';
import { createAuthClient, type AuthClient } from 'tokenkeeper';
import { median, startBenchServer } from './bench-server';

// What authFetch costs per request over fetch with a hand-set header, against a local HTTP server.
let server: Awaited<ReturnType<typeof startBenchServer>>;
let auth: AuthClient;
let token: string;
let dataUrl: string;

const plain = async () => {
  const response = await fetch(dataUrl, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
};
const wrapped = async () => {
  const response = await auth.authFetch(dataUrl);
  await response.arrayBuffer();
};

beforeAll(async () => {
  server = await startBenchServer();
  dataUrl = `${server.url}/api/data`;
  auth = createAuthClient({ baseUrl: server.url, crossTab: false });
  await auth.login({});
  token = (await auth.getAccessToken())!;
  for (let i = 0; i < 200; i++) await Promise.all([plain(), wrapped()]); // warm up sockets and JIT
});

afterAll(async () => {
  // Interleaved in one run, so both sides see the same machine, sockets and GC weather.
  const pairs = 3_000;
  const timings = { plain: [] as number[], wrapped: [] as number[] };
  for (let i = 0; i < pairs; i++) {
    const order = i % 2 ? ([['plain', plain], ['wrapped', wrapped]] as const) : ([['wrapped', wrapped], ['plain', plain]] as const);
    for (const [name, run] of order) {
      const start = performance.now();
      await run();
      timings[name].push(performance.now() - start);
    }
  }
  const ratio = median(timings.wrapped) / median(timings.plain);
  console.log(
    `\n[overhead] authFetch / fetch+header, median of ${pairs} interleaved pairs: ${ratio.toFixed(3)} ` +
      `(${(median(timings.wrapped) * 1000).toFixed(0)} µs vs ${(median(timings.plain) * 1000).toFixed(0)} µs; target ≤ 1.05)`,
  );
  auth.dispose();
  await server.close();
});

describe('per-request overhead (local HTTP server)', () => {
  bench('fetch with a hand-set Authorization header', plain, { time: 1_500 });
  bench('authFetch', wrapped, { time: 1_500 });
});
