// The tabs benchmark's servers (the example server and the https tap in front of it), in a worker
// thread of their own: in the bench's own thread they would answer the browser's 1,000 calls
// between the driver's messages, and a page's wait would include the driver's work. Started and
// read by test/bench/tabs.ts; times it reports are milliseconds since the epoch.
import { parentPort, workerData } from 'node:worker_threads';
import { startServer, type AuthStats } from '../../examples/server/index.mjs';
import { startTap, type Seen } from '../e2e/tap';
import { devCertificate } from '../e2e/tls';

export interface ServersData {
  staticDir: string;
  overHttp1: boolean;
}

/** What the bench asks, and what it is told. */
export type Ask = { type: 'read'; from: number } | { type: 'close' };
export type Told =
  | { type: 'ready'; appUrl: string; tapUrl: string }
  | { type: 'read'; stats: AuthStats; seen: Seen[]; seenCount: number }
  | { type: 'closed' };

const { staticDir, overHttp1 } = workerData as ServersData;
// reuseInterval 0: any second presentation of a refresh token counts as reuse, however close.
const app = await startServer({ port: 0, host: '127.0.0.1', staticDir, accessTokenTtl: 3600, reuseInterval: 0 });
const tap = await startTap(app.port, overHttp1 ? {} : { tls: devCertificate(), http2: true });
const port = parentPort!;

/** This thread's `performance.now()` as the epoch's milliseconds, which the pages and the bench share. */
const epoch = (at: number) => performance.timeOrigin + at;
const tell = (told: Told) => port.postMessage(told);

port.on('message', async (ask: Ask) => {
  if (ask.type === 'read') {
    const seen = tap.seen.slice(ask.from).map(({ answeredAt, finishedAt, ...request }) => ({
      ...request,
      receivedAt: epoch(request.receivedAt),
      ...(answeredAt === undefined ? {} : { answeredAt: epoch(answeredAt) }),
      ...(finishedAt === undefined ? {} : { finishedAt: epoch(finishedAt) }),
    }));
    tell({ type: 'read', stats: { ...app.stats }, seen, seenCount: tap.seen.length });
  } else {
    await Promise.all([app.close(), tap.close()]);
    tell({ type: 'closed' });
  }
});
tell({ type: 'ready', appUrl: app.url, tapUrl: tap.url });
