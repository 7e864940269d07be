export { createAuthServer } from './auth-server';
export { generateTotp } from './totp';
export type { AuthEndpoints, AuthServer, AuthServerOptions, AuthServerStats, DpopServerOptions, GuessingLimits, MockUser } from './types';
