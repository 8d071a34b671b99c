import forge from 'node-forge';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key and self-signed certificate deployment specifications are signed with, made once per
 * data directory. Agents accept any embedded signer certificate (v1 does not verify, v2 checks
 * the signature only), so a self-signed SHA-256 certificate is what they need.
 */
export class SpecSigner {
  private loaded: { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate } | undefined;

  constructor(private readonly dir: string) {}

  private material(): { key: forge.pki.rsa.PrivateKey; cert: forge.pki.Certificate } {
    if (this.loaded) return this.loaded;
    const keyFile = join(this.dir, 'spec-signing-key.pem');
    const certFile = join(this.dir, 'spec-signing-cert.pem');
    if (!existsSync(keyFile) || !existsSync(certFile)) {
      mkdirSync(this.dir, { recursive: true });
      // Node's key generation is native; forge's is pure JavaScript and takes seconds.
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
      cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
      cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
      cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
      const subject = [{ name: 'commonName', value: 'codesuite CodeDeploy deployment specifications' }];
      cert.setSubject(subject);
      cert.setIssuer(subject);
      const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
      cert.sign(key, forge.md.sha256.create());
      writeFileSync(keyFile, privateKey, { mode: 0o600 });
      writeFileSync(certFile, forge.pki.certificateToPem(cert));
    }
    this.loaded = {
      key: forge.pki.privateKeyFromPem(readFileSync(keyFile, 'utf8')) as forge.pki.rsa.PrivateKey,
      cert: forge.pki.certificateFromPem(readFileSync(certFile, 'utf8')),
    };
    return this.loaded;
  }

  /** PEM PKCS7 SignedData with `content` attached, signed with SHA-256. */
  sign(content: string): string {
    const { key, cert } = this.material();
    const p7 = forge.pkcs7.createSignedData();
    p7.content = forge.util.createBuffer(content, 'utf8');
    p7.addCertificate(cert);
    p7.addSigner({
      key,
      certificate: cert,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: new Date() as unknown as string },
      ],
    });
    p7.sign();
    return forge.pkcs7.messageToPem(p7);
  }
}
