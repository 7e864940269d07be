// Names the README's standalone code blocks use without defining them (test/readme/check.mjs).
// Each block is a module of its own; what it declares itself shadows these.
/// <reference types="vitest/globals" />
import type { AuthClient } from 'tokenkeeper';
import type { RequestHandler } from 'msw';

declare global {
  /** "The app's client", for blocks that show one call. */
  const auth: AuthClient<{ id: string; email: string; name: string }>;
  const email: string;
  const password: string;
  const body: BodyInit;
  const yourHandlers: RequestHandler[];
  function showError(message: string): void;
  function showLogin(reason: string): void;
  function showRetry(error: unknown): void;
}
