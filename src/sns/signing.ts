import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import forge from 'node-forge';
import type { Db } from '../core/store/db.js';

export interface SigningKey {
  /** Names the certificate's file: `SimpleNotificationService-<id>.pem`. */
  id: string;
  privateKey: string;
  certificate: string;
}

/** The fields signed, in AWS's order, per message type (SNS DG, verifying the signatures of messages). */
const SIGNED_FIELDS: Record<string, string[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
  UnsubscribeConfirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
};

/** `Name\nValue\n` for each signed field the message has, in order: what the signature covers. */
export function stringToSign(message: Record<string, unknown>): string {
  const fields = SIGNED_FIELDS[String(message.Type)] ?? [];
  return fields.filter((f) => typeof message[f] === 'string').map((f) => `${f}\n${message[f] as string}\n`).join('');
}

/** Signature Version 1 is RSA over SHA1, version 2 over SHA256, base64. */
export function signMessage(key: SigningKey, message: Record<string, unknown>, version: string): string {
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(stringToSign(message), 'utf8'), key.privateKey).toString('base64');
}

/**
 * The server's one signing key and its self-signed certificate, made once and kept in the database,
 * so a receiver that cached the certificate still verifies messages after a restart.
 */
export function signingKey(db: Db): SigningKey {
  const row = db.prepare('SELECT id, private_key AS privateKey, certificate FROM sns_signing_keys LIMIT 1').get() as SigningKey | undefined;
  if (row) return row;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 30)}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: 'sns.amazonaws.com' }, { name: 'organizationName', value: 'codesuite' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const forgeKey = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  cert.sign(forgeKey, forge.md.sha256.create());
  const certificate = forge.pki.certificateToPem(cert);
  const key: SigningKey = {
    id: createHash('sha256').update(certificate).digest('hex').slice(0, 32),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate,
  };
  db.prepare('INSERT INTO sns_signing_keys (id, private_key, certificate) VALUES (?, ?, ?)').run(key.id, key.privateKey, key.certificate);
  return key;
}
