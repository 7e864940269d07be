import { getEventListeners, setMaxListeners } from 'node:events';
import { afterAll, bench, describe } from 'vitest';
import { createAuthClient } from 'tokenkeeper';

// 100,000 authFetch calls must not grow the heap or pile up listeners: nothing is retained per call.
const CALLS = 100_000;
const report: string[] = [];

async function hundredThousandCalls() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  const okResponse = () => new Response('{}', { status: 200 });
  // In-memory fetch: what is measured is the client's own retention, not a socket's.
  const auth = createAuthClient({
    baseUrl: 'https://api.example.com',
    crossTab: false,
    fetch: async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.endsWith('/auth/login') ? Response.json({ accessToken: 'tok', expiresIn: 3600 }) : okResponse();
    },
  });
  await auth.login({});
  const controller = new AbortController(); // one signal shared by every call: its listeners must not accumulate
  setMaxListeners(0, controller.signal); // count them ourselves instead of a warning per call
  const call = () => auth.authFetch('https://api.example.com/api/data', { signal: controller.signal });
  for (let i = 0; i < 1_000; i++) await call();
  await settle(gc);
  const heapBefore = process.memoryUsage().heapUsed;
  const listenersBefore = getEventListeners(controller.signal, 'abort').length;
  for (let i = 0; i < CALLS; i += 1_000) await Promise.all(Array.from({ length: 1_000 }, call));
  await settle(gc);
  const growth = process.memoryUsage().heapUsed - heapBefore;
  const listenersAfter = getEventListeners(controller.signal, 'abort').length;
  report.push(
    `[memory] ${CALLS.toLocaleString('en')} authFetch calls: heap growth ${(growth / 1024).toFixed(0)} KiB (budget 1024 KiB), ` +
      `abort listeners on the shared signal ${listenersBefore} → ${listenersAfter}`,
  );
  auth.dispose();
  if (growth > 1024 * 1024 || listenersAfter !== listenersBefore) throw new Error(report.at(-1));
}

/** Collects garbage until finalizers (which drop the platform's per-Request abort listeners) have run. */
async function settle(gc: () => void) {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterAll(() => console.log(`\n${report.at(-1)}`));

describe('memory', () => {
  bench(`${CALLS.toLocaleString('en')} authFetch calls`, hundredThousandCalls, { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 });
});
