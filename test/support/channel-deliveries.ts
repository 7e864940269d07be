import { expect, vi } from 'vitest';
import { HANG_MS } from './outcome';

/**
 * Wraps the global BroadcastChannel (the real one: messages are still structured-cloned and
 * delivered by the runtime) and counts each message on its way to each open channel of its name,
 * so a test can wait until the tabs have heard everything said so far instead of sleeping "long
 * enough": a sleep is not, on a loaded machine, and for "nothing happened" it proves nothing.
 * Call in `beforeEach` (the config unstubs globals after each test).
 */
export function trackChannelDeliveries() {
  const Native = globalThis.BroadcastChannel;
  const open = new Set<TrackedChannel>();

  class TrackedChannel extends Native {
    pending = 0;
    /** Where it was opened, for a test that finds it still open. */
    readonly openedAt = new Error().stack?.split('\n').slice(2, 6).join(' | ') ?? '';
    constructor(name: string) {
      super(name);
      open.add(this);
      // Added before the client sets `onmessage`: its handler runs in the same dispatch, after this.
      this.addEventListener('message', () => this.pending--);
    }
    override postMessage(message: unknown) {
      super.postMessage(message); // throws (nothing sent) for a message that cannot be cloned
      for (const other of open) if (other !== this && other.name === this.name) other.pending++;
    }
    override close() {
      open.delete(this);
      this.pending = 0; // what was on its way is dropped
      super.close();
    }
  }
  vi.stubGlobal('BroadcastChannel', TrackedChannel);

  const onTheirWay = () => [...open].reduce((sum, channel) => sum + channel.pending, 0);
  return {
    /**
     * Resolves once every message posted so far reached every channel that was open for it, and
     * the receivers' handlers ran (they run in the dispatch; this checks from a later task).
     */
    delivered: () => vi.waitFor(() => expect(onTheirWay(), 'messages still on their way').toBe(0), { timeout: HANG_MS, interval: 5 }),
    /** Where each channel still open was opened. */
    openChannels: () => [...open].map((channel) => channel.openedAt),
  };
}
