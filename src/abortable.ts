/**
 * Waits for `promise`, but rejects with the signal's reason as soon as `signal` aborts. The promise
 * itself goes on: a caller that gives up must not cancel a refresh others share.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason); // an AbortError DOMException unless the caller gave one
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort); // a signal aborts once; settling removes it
    // Removed once settled: 100,000 requests sharing one signal must not leave 100,000 listeners.
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
