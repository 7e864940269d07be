// The user directory: seeded users (hashed once, lazily) plus users registered since the last reset.
import { randomToken } from './encoding';
import { hashPassword, verifyPassword, type PasswordHash } from './passwords';
import type { MockUser } from './types';

/** A user as the server keeps it: a password hash, never the password. */
export interface StoredUser {
  id: string;
  /** Everything the client may see: the user without `password`, always with `id` and `email`. */
  profile: Record<string, unknown> & { id: string; email: string };
  passwordHash: PasswordHash;
  /** A seeded user's second factor, on from the start (base32). */
  totpSecret?: string;
}

/** Lookups and registration over seeded and registered users. */
export interface UserDirectory {
  /** The user when the password matches, else `null` (unknown email or wrong password alike). */
  authenticate(email: string, password: string): Promise<StoredUser | null>;
  /** Adds a user; `null` when the email is taken. */
  register(email: string, password: string, profile: Record<string, unknown>): Promise<StoredUser | null>;
  findByEmail(email: string): Promise<StoredUser | undefined>;
  findById(id: string): Promise<StoredUser | undefined>;
  /** Forgets registered users; seeded ones stay. Synchronous. */
  reset(): void;
}

/** Emails compare case-insensitively, as users type them. */
export const emailKey = (email: string): string => email.trim().toLowerCase();

/**
 * Creates the directory. No hashing happens until the first request.
 *
 * @example
 * const users = createUserDirectory([{ email: 'a@b.c', password: 'password1' }]);
 * await users.authenticate('a@b.c', 'password1'); // StoredUser
 */
export function createUserDirectory(seed: readonly MockUser[]): UserDirectory {
  // Said at once, not as a 500 from the first login.
  for (const { email, totpSecret } of seed) {
    if (totpSecret !== undefined && !/^[A-Z2-7]+=*$/i.test(totpSecret.replace(/\s/g, ''))) {
      throw new TypeError(`createAuthServer: totpSecret of "${email}" must be base32 (A-Z, 2-7)`);
    }
  }
  // Hashing is async but reset() is not: keep the hashed seed as a promise, await it per request.
  let seeded: Promise<Map<string, StoredUser>> | undefined;
  // Compared against when the email is unknown, so a miss costs as long as a wrong password.
  let decoy: Promise<PasswordHash> | undefined;
  let registered = new Map<string, StoredUser>();

  const seedUsers = (): Promise<Map<string, StoredUser>> =>
    (seeded ??= Promise.all(
      seed.map(async ({ password, totpSecret, ...rest }, index) => {
        const id = typeof rest['id'] === 'string' ? rest['id'] : `u${index + 1}`;
        const passwordHash = await hashPassword(password);
        const user: StoredUser = { id, profile: { ...rest, id, email: rest.email }, passwordHash };
        if (typeof totpSecret === 'string') user.totpSecret = totpSecret;
        return user;
      }),
    ).then((users) => {
      const byEmail = new Map<string, StoredUser>();
      for (const user of users) {
        if (!byEmail.has(emailKey(user.profile.email))) byEmail.set(emailKey(user.profile.email), user);
      }
      return byEmail;
    }));

  async function findByEmail(email: string): Promise<StoredUser | undefined> {
    return (await seedUsers()).get(emailKey(email)) ?? registered.get(emailKey(email));
  }

  async function findById(id: string): Promise<StoredUser | undefined> {
    for (const users of [(await seedUsers()).values(), registered.values()]) {
      for (const user of users) if (user.id === id) return user;
    }
    return undefined;
  }

  return {
    findByEmail,
    findById,

    async authenticate(email, password) {
      const user = await findByEmail(email);
      const hash = user?.passwordHash ?? (await (decoy ??= hashPassword(randomToken(16))));
      const valid = await verifyPassword(password, hash);
      return user && valid ? user : null;
    },

    async register(email, password, profile) {
      const seededUsers = await seedUsers();
      if (seededUsers.has(emailKey(email)) || registered.has(emailKey(email))) return null;
      const passwordHash = await hashPassword(password);
      // No await from here on, so check-and-insert is atomic against concurrent registrations.
      if (registered.has(emailKey(email))) return null;
      const taken = new Set([...seededUsers.values(), ...registered.values()].map((user) => user.id));
      let n = taken.size + 1;
      while (taken.has(`u${n}`)) n++;
      const id = `u${n}`;
      // Clients choose profile fields, never the id; the password is not profile.
      const { id: _id, password: _password, ...rest } = profile;
      const user: StoredUser = { id, profile: { ...rest, id, email }, passwordHash };
      registered.set(emailKey(email), user);
      return user;
    },

    reset() {
      registered = new Map();
    },
  };
}
