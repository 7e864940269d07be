export { createAuthClient } from './client';
export { AuthError, isAuthError, type AuthErrorCode } from './errors';
export { parseTokenResponse } from './token-response';
export type {
  AuthClient,
  AuthClientOptions,
  AuthCredentials,
  AuthEndpoints,
  AuthEvents,
  AuthExtension,
  AuthState,
  AuthStatus,
  AuthCall,
  AuthUser,
  Endpoint,
  EndpointBody,
  EndpointConfig,
  EndpointName,
  EndpointCall,
  TokenResponseContext,
  DebugEntry,
  DpopBinding,
  ResolveUserContext,
  LogoutOptions,
  LogoutReason,
  Session,
  TokenResponse,
} from './types';
