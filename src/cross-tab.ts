import { isRecord } from './is-record';
import type { Grant } from './session-store';
import { isHeaderSafeToken } from './token-response';

/**
 * What tabs tell each other. `v` lets a newer library version ignore an older one's messages
 * (and the reverse) instead of misreading them.
 */
export type TabMessage<TUser> =
  | { v: 1; type: 'login' | 'refreshed'; grant: Grant<TUser> }
  | { v: 1; type: 'logout'; reason: 'user' | 'refresh_failed' };

export interface CrossTab<TUser> {
  /** Starts listening; a no-op once open or after `close()`. */
  listen(): void;
  post(message: TabMessage<TUser>): void;
  close(): void;
}

/**
 * A BroadcastChannel between the tabs of one origin. Opened on first use, so a client created
 * during server-side rendering opens nothing. Messages this tab receives are never re-posted, and
 * anything that is not a well-formed message of this version is dropped.
 */
export function createCrossTab<TUser>(
  channelName: () => string,
  receive: (message: TabMessage<TUser>) => void,
): CrossTab<TUser> {
  let channel: BroadcastChannel | undefined;
  let closed = false;
  const listen = () => {
    if (!channel && !closed) {
      channel = new BroadcastChannel(channelName());
      channel.onmessage = ({ data }: MessageEvent<unknown>) => {
        if (isTabMessage<TUser>(data)) receive(data);
      };
      // Node has BroadcastChannel too; an open one must not keep a server-side process alive.
      (channel as { unref?: () => void }).unref?.();
    }
    return channel;
  };
  return {
    listen,
    post: (message) => listen()?.postMessage(message),
    close() {
      closed = true;
      channel?.close();
      channel = undefined; // A refresh still in flight after dispose() must not post to a closed channel.
    },
  };
}

const isNullableNumber = (value: unknown) => value === null || (typeof value === 'number' && Number.isFinite(value));

function isTabMessage<TUser>(data: unknown): data is TabMessage<TUser> {
  if (!isRecord(data) || data['v'] !== 1) return false;
  if (data['type'] === 'logout') return data['reason'] === 'user' || data['reason'] === 'refresh_failed';
  if (data['type'] !== 'login' && data['type'] !== 'refreshed') return false;
  const grant = data['grant'];
  return (
    isRecord(grant) &&
    isHeaderSafeToken(grant['accessToken']) &&
    isNullableNumber(grant['expiresAt']) &&
    isNullableNumber(grant['refreshAt']) &&
    typeof grant['user'] === 'object' &&
    typeof grant['userFromServer'] === 'boolean'
  );
}
