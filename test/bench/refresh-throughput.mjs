#!/usr/bin/env node
// Refreshes per second through the example server: one instance in memory, one on Redis, two on
// Redis (load split between them), and, for contrast, two in memory. Every refresh is a real
// rotation (each session refreshes with the cookie it was just given), so each one is a
// compare-and-set in the store. The load generator is this process, on the same machine and
// cores as the servers (and Redis): it measures cost per refresh, not scale-out.
//   node test/bench/refresh-throughput.mjs      (BENCH_SECONDS=5, BENCH_SESSIONS=50)
// Starts its own redis-server (Debian's package) on a free loopback port; nothing else is contacted.
import { loadavg } from 'node:os';
import { DEMO_USER } from '../../examples/server/index.mjs';
import { refreshResult, resetStats, signIn, totals } from '../servers/http.mjs';
import { startRedisServer } from '../support/redis-server.mjs';
import { startServerProcess } from '../support/server-process.mjs';

const seconds = Number(process.env.BENCH_SECONDS || 5);
const sessionCount = Number(process.env.BENCH_SESSIONS || 50);
const common = { JWT_SECRET: 'benchmark secret, the same for every instance', ACCESS_TOKEN_TTL: '300' };

/** Each session refreshes in a loop, alternating instances, until the time is up. */
async function run(servers, sessions, durationMs) {
  const latencies = [];
  let failed = 0;
  const deadline = performance.now() + durationMs;
  await Promise.all(sessions.map(async (session, i) => {
    // Bounded by time and by count, whatever happens.
    for (let k = 0; k < 1_000_000 && performance.now() < deadline; k++) {
      const started = performance.now();
      try {
        const result = await refreshResult(servers[(i + k) % servers.length], session.cookie);
        if (result.status !== 200) throw new Error(String(result.status));
        session.cookie = result.cookie;
        latencies.push(performance.now() - started);
      } catch {
        failed++;
        return; // a refused session stays dead: its cookie is gone
      }
    }
  }));
  return { latencies, failed };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function measure(label, envs) {
  const servers = await Promise.all(envs.map((env) => startServerProcess({ ...common, ...env })));
  try {
    const sessions = [];
    for (let i = 0; i < sessionCount + 10; i++) sessions.push(await signIn(servers[i % servers.length], DEMO_USER));
    await run(servers, sessions.splice(sessionCount), 500); // warm-up on 10 sessions of its own, not counted
    await resetStats(servers);
    const started = performance.now();
    const { latencies, failed } = await run(servers, sessions, seconds * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const { sum, each } = await totals(servers);
    latencies.sort((x, y) => x - y);
    return {
      label,
      perSecond: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ok: latencies.length,
      failed,
      // The servers must have counted exactly what the client saw, all as rotations.
      agrees: sum.refreshes === latencies.length && sum.rotations === latencies.length && sum.reuseDetected === 0,
      split: each.map((stats) => stats.refreshes).join(' / '),
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

const loadBefore = loadavg()[0].toFixed(2); // other work on the machine skews every figure
const redis = await startRedisServer();
try {
  const rows = [];
  rows.push(await measure('1 instance, memory', [{}]));
  rows.push(await measure('1 instance, Redis', [{ REDIS_URL: `${redis.url}/1` }]));
  rows.push(await measure('2 instances, Redis', [{ REDIS_URL: `${redis.url}/2` }, { REDIS_URL: `${redis.url}/2` }]));
  rows.push(await measure('2 instances, memory each (no shared store)', [{}, {}]));
  console.log(`\n${sessionCount} sessions refreshing back to back for ${seconds} s each, node ${process.version}, load generator on the same machine, 1-min load average before: ${loadBefore}\n`);
  console.log('| setup | refreshes/s | p50 ms | p99 ms | refreshed | refused | server counts agree | per instance |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  for (const r of rows) {
    // A run where sessions died stopped early: its rate would measure nothing.
    const [rate, p50, p99] = r.failed ? ['—', '—', '—'] : [Math.round(r.perSecond).toLocaleString('en'), r.p50.toFixed(1), r.p99.toFixed(1)];
    console.log(`| ${r.label} | ${rate} | ${p50} | ${p99} | ${r.ok.toLocaleString('en')} | ${r.failed} of ${sessionCount} sessions | ${r.agrees ? 'yes' : 'NO'} | ${r.split} |`);
  }
} finally {
  await redis.stop();
}
