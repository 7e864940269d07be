import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let made: { key: string; cert: string } | undefined;

/**
 * A self-signed certificate for localhost and 127.0.0.1-3, made once per test process with
 * Debian's openssl. The engines accept it (engines/*: acceptInsecureCerts), as a developer's
 * browser accepts a dev certificate: https is the only way to see what an engine does with
 * Secure cookies apart from its http://localhost exceptions.
 */
export function devCertificate(): { key: string; cert: string } {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'tokenkeeper-tls-'));
  try {
    runOpenssl(dir);
    made = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes key.pem and cert.pem into `dir`; says plainly when openssl is not installed. */
function runOpenssl(dir: string) {
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'https test servers need the openssl command to make their certificate: apt-get install openssl'
        : `openssl could not make a test certificate: ${String((error as { stderr?: unknown }).stderr ?? error).trim()}`,
      { cause: error },
    );
  }
}
