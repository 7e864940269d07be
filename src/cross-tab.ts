import { AuthError } from './errors';
import { isRecord } from './is-record';
import type { Grant } from './session-store';
import type { LogoutReason } from './types';
import { isHeaderSafeToken } from './token-response';

/**
 * What tabs tell each other. `v` lets a newer library version ignore an older one's messages
 * (and the reverse) instead of misreading them.
 */
export type TabMessage<TUser> =
  | { v: 1; type: 'login' | 'refreshed'; grant: Grant<TUser> }
  | { v: 1; type: 'logout'; reason: Exclude<LogoutReason, 'remote'> };

export interface CrossTab<TUser> {
  /** Starts listening; a no-op once open or after `close_()`. */
  listen_(): void;
  /** Tells the other tabs. */
  post_(message: TabMessage<TUser>): void;
  /**
   * Resolves once a second channel of this tab has heard the last message posted: the runtime has
   * by then handed it to every tab's channel. At once when it could not be sent.
   */
  told_(): Promise<void> | undefined;
  close_(): void;
}

/**
 * A BroadcastChannel between the tabs of one origin. Opened on first use, so a client created
 * during server-side rendering opens nothing. Messages this tab receives are never re-posted, and
 * anything that is not a well-formed message of this version is dropped. Telling the other tabs
 * never fails the operation it reports: a message the channel refuses (a `user` it cannot clone,
 * a channel the runtime closed) goes to `onError` instead.
 */
export function createCrossTab<TUser>(
  channelName: () => string,
  receive: (message: TabMessage<TUser>) => void,
  onError: (error: AuthError) => void,
): CrossTab<TUser> {
  let channel: BroadcastChannel | undefined;
  let closed = false;
  let told: Promise<void> | undefined;
  const open = () => {
    const opened = new BroadcastChannel(channelName());
    // Node has BroadcastChannel too; an open one must not keep a server-side process alive.
    (opened as { unref?: () => void }).unref?.();
    return opened;
  };
  /** Runs `action`; when it throws, reports it and calls `failed`. */
  const attempt = (action: () => void, failed?: () => void) => {
    try {
      action();
    } catch (cause) {
      onError(new AuthError('network', 'Other tabs could not be told', { cause }));
      failed?.();
    }
  };
  const listen = () => {
    if (channel || closed) return;
    channel = open();
    channel.onmessage = ({ data }: MessageEvent<unknown>) => {
      if (isTabMessage<TUser>(data)) receive(data);
    };
  };
  return {
    listen_: () => attempt(listen),
    post_(message) {
      told = new Promise<void>((heard) => {
        let echo: BroadcastChannel | undefined;
        const done = () => {
          echo?.close();
          heard();
        };
        attempt(() => {
          listen();
          // Disposed while its refresh was at the server: hand the new token to the tabs that stay.
          const target = channel ?? open();
          echo = open();
          // Ours, not another tab's message that happened to come first: a token goes out once, from the
          // tab that fetched it (a logout, which nothing waits for, closes the echo on any tokenless one).
          // Not checked as other tabs check it: a message they drop (a `user` that is no object) must
          // still release the lock.
          echo.onmessage = ({ data }: MessageEvent<unknown>) =>
            isRecord(data) && tokenOf(data) === tokenOf(message) && done();
          target.postMessage(message);
          if (!channel) target.close();
        }, done);
      });
    },
    told_: () => told,
    close_() {
      closed = true;
      channel?.close();
      channel = undefined;
    },
  };
}

/** What tells a login or refresh from another: its token (`undefined` for a logout, or a `grant` that is no object). */
const tokenOf = (message: Record<string, unknown>) => (message['grant'] as { accessToken?: unknown } | null | undefined)?.accessToken;

const isNullableNumber = (value: unknown) => value === null || (typeof value === 'number' && Number.isFinite(value));

function isTabMessage<TUser>(data: unknown): data is TabMessage<TUser> {
  if (!isRecord(data) || data['v'] !== 1) return false;
  const { type, grant } = data;
  if (type === 'logout') return ['user', 'refresh_failed', 'idle'].includes(data['reason'] as string);
  return (
    (type === 'login' || type === 'refreshed') &&
    isRecord(grant) &&
    isHeaderSafeToken(grant['accessToken']) &&
    [grant['expiresAt'], grant['refreshAt']].every(isNullableNumber) &&
    typeof grant['user'] === 'object'
  );
}
