export { createAuthServer } from './auth-server';
export { generateTotp } from './totp';
export type { AuthEndpoints, AuthServer, AuthServerOptions, AuthServerStats, MockUser } from './types';
