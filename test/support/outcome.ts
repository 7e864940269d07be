/** How long a test waits for something that only a bug could hold up: a hang, not a slow machine. */
export const HANG_MS = 5_000;

export type Outcome<T> = { value: T } | { error: unknown } | 'hang';

/**
 * What `promise` settles to, or `'hang'` when it has not settled within `ms`. For a wait that must
 * end by itself (an abort, a timeout): the bound is generous, so only a real hang reaches it.
 */
export async function outcomeWithin<T>(promise: Promise<T>, ms = HANG_MS): Promise<Outcome<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<'hang'>((resolve) => (timer = setTimeout(resolve, ms, 'hang')));
  try {
    return await Promise.race([promise.then((value) => ({ value }), (error: unknown) => ({ error })), hang]);
  } finally {
    clearTimeout(timer);
  }
}
