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
   * Resolves once this tab has heard what the other tabs posted before it asked: a message of its
   * own, which they ignore, comes back on a second channel behind theirs (one task source orders a
   * window's channel messages). A tab given the Web Lock catches up before its task, as the lock can
   * come before the holder's news. Not a timer, which a background tab clamps. At once when nothing
   * could be sent. (WebKit hands a window its own message at once, ahead of others still on their
   * way: there a background window may still refresh once more, with the newest cookie.)
   */
  caughtUp_(): Promise<void>;
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
  const post = (message: TabMessage<TUser> | typeof PING, failed?: () => void) =>
    attempt(() => {
      listen();
      // Disposed while its refresh was at the server: hand the new token to the tabs that stay.
      const target = channel ?? open();
      target.postMessage(message);
      if (!channel) target.close();
    }, failed);
  return {
    listen_: () => attempt(listen),
    post_: post,
    caughtUp_: () =>
      new Promise<void>((caughtUp) => {
        let echo: BroadcastChannel | undefined;
        const done = () => {
          echo?.close();
          caughtUp();
        };
        attempt(() => {
          // A channel hears messages in the order the runtime took them, whichever tab posted them, and
          // one opened now hears only those posted after: its first (our ping, or a later message) comes
          // behind everything said before we asked.
          echo = open();
          echo.onmessage = done;
          post(PING, done);
        }, done);
      }),
    close_() {
      closed = true;
      channel?.close();
      channel = undefined;
    },
  };
}

/** Dropped by every tab (it is no message of any version): it only marks a moment on the channel. */
const PING = { v: 1, type: 'ping' } as const;

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
