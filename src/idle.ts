// `tokenkeeper/idle`: signs the user out after a time without activity in any tab of the origin.
// Built on the client's public API and its extension seam only, as an app's own module could be.
import type { AuthClient } from './types';

/**
 * Options of {@link createIdleTimeout}, in seconds.
 *
 * @example
 * createIdleTimeout(auth, { timeout: 15 * 60, warning: 60 });
 */
export interface IdleTimeoutOptions {
  /** Seconds without activity, in every tab, after which the session ends (`logout` reason `'idle'`). */
  timeout: number;
  /**
   * Seconds before the timeout at which `warning` fires. Less than `timeout`.
   * @default 60
   */
  warning?: number;
  /**
   * Where activity is heard (in the capture phase). Tests give each simulated tab its own.
   * @default window
   */
  target?: EventTarget;
}

/**
 * The events of an {@link IdleTimeout}.
 *
 * @example
 * idle.on('warning', ({ logoutAt }) => showBanner(logoutAt));
 */
export interface IdleEvents {
  /** `warning` seconds before the timeout, and again whenever activity moves a deadline that stays inside the warning. `logoutAt`: epoch ms. */
  warning: { readonly logoutAt: number };
  /**
   * Activity, in this tab or another, after a `warning`: the timeout is off and the count restarts.
   * (Activity that leaves the deadline inside the warning fires `warning` again, with that deadline.)
   */
  active: undefined;
}

/**
 * A running idle timeout.
 *
 * @example
 * const idle = createIdleTimeout(auth, { timeout: 900 });
 * const off = idle.on('active', hideBanner);
 */
export interface IdleTimeout {
  /**
   * Listens to `warning` or `active`. Returns the function that removes the handler.
   * @example const off = idle.on('warning', ({ logoutAt }) => showBanner(logoutAt))
   */
  on<E extends keyof IdleEvents>(event: E, handler: (payload: IdleEvents[E]) => void): () => void;
  /**
   * Removes every listener, timer and channel it made. Harmless twice, or after `auth.dispose()`.
   * @example onUnmount(() => idle.stop())
   */
  stop(): void;
}

/**
 * What the idle timeout uses of the client: any `createAuthClient` result.
 *
 * @example
 * const counted: IdleClient = auth;
 */
export type IdleClient = Pick<AuthClient<unknown>, 'getState' | 'subscribe' | 'extension'>;

/** The one message of the idle channel: activity at `at` (epoch ms) in another tab. */
interface ActivityMessage {
  v: 1;
  type: 'activity';
  at: number;
}

// What counts as someone at the keyboard. Heard on window in the capture phase, which every page
// event passes through first, `visibilitychange` on document included, whatever stops it later.
const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'visibilitychange'];
const NAME = 'tokenkeeper:idle';
/** Other tabs hear of this tab's activity at most this often: never one message per mouse move. */
const SHARE_EVERY_MS = 5_000;
/** How long the tab that ended the session keeps the lock: the others hear of it before their turn. */
const LINGER_MS = 100;

/**
 * Ends the session after `timeout` seconds without activity (pointer, key, wheel, touch, the page
 * becoming visible) in any tab of the origin, with `logout` reason `'idle'` in every tab; the
 * server is told once. It counts only while the client is `authenticated`. Activity is shared on a
 * BroadcastChannel of its own, at most once every 5 s (the last activity of those 5 s is told at
 * their end); without BroadcastChannel it counts in its own tab. Throws `TypeError` unless
 * `0 < warning < timeout`, both finite.
 *
 * @example
 * import { createIdleTimeout } from 'tokenkeeper/idle';
 * const idle = createIdleTimeout(auth, { timeout: 15 * 60, warning: 60 });
 * idle.on('warning', ({ logoutAt }) => showBanner(`Signing you out in ${Math.round((logoutAt - Date.now()) / 1000)} s`));
 * idle.on('active', () => hideBanner());
 * auth.onLogout(({ reason }) => reason === 'idle' && showLogin('You were signed out after 15 minutes without activity'));
 */
export function createIdleTimeout(auth: IdleClient, { timeout, warning = 60, target }: IdleTimeoutOptions): IdleTimeout {
  if (![timeout, warning].every(Number.isFinite) || !(warning > 0 && timeout > warning)) {
    throw new TypeError(`tokenkeeper/idle: needs 0 < warning < timeout, in seconds (got timeout ${timeout}, warning ${warning})`);
  }
  const timeoutMs = timeout * 1000;
  const warningMs = warning * 1000;
  const handlers = new Set<[keyof IdleEvents, (payload: never) => void]>();
  const emit = <E extends keyof IdleEvents>(event: E, payload: IdleEvents[E]) => {
    for (const [name, handler] of [...handlers]) if (name === event) (handler as (payload: IdleEvents[E]) => void)(payload);
  };

  /** The last activity seen in any tab (epoch ms). */
  let last = 0;
  let counting = false;
  let warned = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let channel: BroadcastChannel | undefined;
  /** The sharing window: set while a message went out less than 5 s ago. */
  let shareTimer: ReturnType<typeof setTimeout> | undefined;
  /** Activity inside the sharing window, told at its end. */
  let unshared = false;
  /** This tab's last activity: the only one it tells (never an echo of another tab's). */
  let mine = 0;

  const share = () => {
    if (shareTimer) return void (unshared = true);
    channel?.postMessage({ v: 1, type: 'activity', at: mine } satisfies ActivityMessage);
    shareTimer = setTimeout(() => {
      shareTimer = undefined;
      if (unshared && counting) (unshared = false), share();
    }, SHARE_EVERY_MS);
  };

  /** One timer, re-armed only when it fires: activity just moves the time it checks against. */
  const check = () => {
    const now = Date.now();
    const logoutAt = last + timeoutMs;
    clearTimeout(timer);
    if (now >= logoutAt) return expire();
    const warn = !warned && now >= logoutAt - warningMs;
    warned ||= warn;
    timer = setTimeout(check, (warned ? logoutAt : logoutAt - warningMs) - now);
    if (warn) emit('warning', { logoutAt });
  };

  /** Activity at `at`, here or in another tab. */
  const seen = (at: number) => {
    if (!counting) return;
    // A timer held back by sleep (a closed laptop) may not have fired yet: a timeout already due
    // is not undone by the activity that wakes the page.
    if (Date.now() >= last + timeoutMs) return check();
    if (at <= last) return;
    last = at;
    if (!warned) return;
    // Activity told late (at the end of another tab's sharing window) may leave the new deadline
    // inside the warning still: the warning stands with that deadline, rather than an `active`
    // followed at once by a new `warning` (a banner that flickers).
    const logoutAt = last + timeoutMs;
    if (Date.now() >= logoutAt - warningMs) emit('warning', { logoutAt });
    else (warned = false), emit('active', undefined);
    check();
  };

  const onActivity = () => {
    if (globalThis.document?.visibilityState === 'hidden') return; // going hidden is no activity
    seen((mine = Date.now()));
    if (counting) share();
  };
  const onMessage = ({ data }: MessageEvent) => {
    const message = data as Partial<ActivityMessage> | null;
    if (message?.v === 1 && message.type === 'activity' && Number.isFinite(message.at)) seen(message.at!);
  };
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    for (const type of ACTIVITY) (target ?? globalThis.window)?.[method](type, onActivity, true);
  };

  const start = () => {
    if (counting) return;
    counting = true;
    last = Date.now();
    listen('addEventListener');
    if (typeof BroadcastChannel === 'function') {
      channel = new BroadcastChannel(NAME);
      channel.onmessage = onMessage;
    }
    timer = setTimeout(check, timeoutMs - warningMs);
  };
  const pause = () => {
    if (!counting) return;
    counting = warned = unshared = false;
    clearTimeout(timer);
    clearTimeout(shareTimer);
    shareTimer = undefined;
    channel?.close();
    channel = undefined;
    listen('removeEventListener');
  };

  /**
   * Ends the session once across tabs: they take turns under a Web Lock, and only a tab still
   * signed in ends it. The first tab's `endSession` tells the others at once, and it keeps the lock
   * a moment longer so that message reaches them before their turn: they find themselves signed
   * out, and the server hears once.
   */
  const expire = () => {
    pause();
    const end = async () => {
      if (auth.getState().status !== 'authenticated') return;
      await auth.extension.endSession('idle');
      await new Promise((linger) => setTimeout(linger, LINGER_MS));
    };
    const locks = globalThis.navigator?.locks;
    void (locks ? locks.request(`${NAME}:end`, {}, end).catch(end) : end());
  };

  // Starts on a change to authenticated only: a refresh while a timed-out tab waits its turn must
  // not start the count again.
  let signedIn = false;
  const onState = ({ status }: { status: string }) => {
    const now = status === 'authenticated';
    if (now && !signedIn) start();
    if (!now) pause();
    signedIn = now;
  };
  const unsubscribe = auth.subscribe(onState);
  onState(auth.getState());

  return {
    on(event, handler) {
      const entry: [keyof IdleEvents, (payload: never) => void] = [event, handler];
      handlers.add(entry);
      return () => void handlers.delete(entry);
    },
    stop() {
      unsubscribe();
      pause();
      handlers.clear();
    },
  };
}
