// Type-level tests for tokenkeeper/sessions and tokenkeeper/idle, checked by `npm run typecheck`:
// both take any client (whatever its user type), with no `any` in what they answer.
import { expectTypeOf } from 'vitest';
import { createAuthClient } from 'tokenkeeper';
import { createIdleTimeout, type IdleTimeout } from 'tokenkeeper/idle';
import { listSessions, revokeSession, type DeviceSession } from 'tokenkeeper/sessions';

interface MyUser {
  id: string;
  name: string;
}
const auth = createAuthClient<MyUser>({ baseUrl: 'https://api.example.com' });

expectTypeOf(listSessions(auth)).resolves.toEqualTypeOf<DeviceSession[]>();
expectTypeOf(revokeSession(auth, 'id')).resolves.toEqualTypeOf<void>();
expectTypeOf<DeviceSession>().toEqualTypeOf<{ id: string; current: boolean; createdAt: number; lastUsedAt: number; userAgent?: string }>();
// @ts-expect-error an id is a string
void revokeSession(auth, 42);

const idle = createIdleTimeout(auth, { timeout: 900 });
expectTypeOf(idle).toEqualTypeOf<IdleTimeout>();
idle.on('warning', (payload) => expectTypeOf(payload).toEqualTypeOf<{ readonly logoutAt: number }>());
idle.on('active', (payload) => expectTypeOf(payload).toEqualTypeOf<undefined>());
expectTypeOf(idle.on('active', () => {})).toEqualTypeOf<() => void>();
// @ts-expect-error no such event
idle.on('idle', () => {});
// @ts-expect-error timeout is required
createIdleTimeout(auth, { warning: 10 });
