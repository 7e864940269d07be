/** Runs app code (a listener, a handler) so that its exception cannot break the SDK's own work. */
export function callSafely<T>(fn: (value: T) => void, value: T): void {
  try {
    fn(value);
  } catch (error) {
    // Surface it the way the platform reports uncaught errors, without unwinding our caller.
    const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else console.error(error);
  }
}
