export { createAuthServer } from './auth-server';
export type { AuthEndpoints, AuthServer, AuthServerOptions, AuthServerStats, MockUser } from './types';
