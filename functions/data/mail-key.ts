/**
 * The mail-token key: the HMAC key that derives the secret of every mailed invitation link
 * (`mailedSecret` in domain/tokens.ts). In AWS it is a Secrets Manager secret named by
 * `MAIL_TOKEN_SECRET_ARN`, read once per warm function; locally a random key generated on first
 * use into `.local/mail-token.key` (git-ignored), like the local JWT signing key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let key: Promise<Buffer> | undefined;

function localKey(): Buffer {
  const file = resolve(process.env.ASSAY_LOCAL_DIR ?? '.local', 'mail-token.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  const fresh = randomBytes(32);
  mkdirSync(dirname(file), { recursive: true });
  // `wx`: two processes starting at once keep whichever key was written first.
  try {
    writeFileSync(file, fresh.toString('base64url'), { mode: 0o600, flag: 'wx' });
    return fresh;
  } catch {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  }
}

async function secretKey(arn: string): Promise<Buffer> {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  const value = out.SecretString;
  if (!value || value.length < 32) {
    throw new Error('The mail-token secret is missing or shorter than 32 characters.');
  }
  return Buffer.from(value, 'utf8');
}

/** The key (cached for the life of the process; a failed read is retried on the next call). */
export function mailTokenKey(): Promise<Buffer> {
  const arn = process.env.MAIL_TOKEN_SECRET_ARN;
  key ??= (arn ? secretKey(arn) : Promise.resolve(localKey())).catch((err) => {
    key = undefined;
    throw err;
  });
  return key;
}
