// How the devices list shows a device: its browser and system from the user agent, and times.

const BROWSERS: Record<string, string> = { Edg: 'Edge', Version: 'Safari' };
const SYSTEMS: Record<string, string> = { 'Mac OS X': 'macOS', CrOS: 'ChromeOS' };

/** "Chrome 140 on Linux" from a user agent; the agent itself when it names neither. */
export function deviceName(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const [, browser = '', version] = /\b(Edg|Firefox|HeadlessChrome|Chrome|Version(?=\/[\d.]+ Safari))\/(\d+)/.exec(userAgent) ?? [];
  const system = /\b(Windows|Android|iPhone|iPad|Mac OS X|CrOS|Linux)\b/.exec(userAgent)?.[1];
  if (!version || !system) return userAgent;
  return `${BROWSERS[browser] ?? browser} ${version} on ${SYSTEMS[system] ?? system}`;
}

export const dateTime = (ms: number) => new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', hour12: false });
