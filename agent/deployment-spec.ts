import { createHash, verify as verifySignature } from 'node:crypto';
import forge from 'node-forge';
import type { Envelope } from './command-client.js';

export type BundleType = 'tar' | 'tgz' | 'zip' | 'directory';

/** What a deployment specification tells the agent (agent v1 `deployment_specification.rb`). */
export interface DeploymentSpec {
  deploymentId: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  applicationName: string;
  deploymentCreator: string;
  deploymentType: string;
  appSpecFilename: string;
  fileExistsBehavior: string;
  revision:
    | { type: 'S3'; bucket: string; key: string; bundleType: BundleType; version?: string; etag?: string }
    | { type: 'GitHub'; account: string; repository: string; commitId: string; bundleType?: BundleType; token?: string }
    | { type: 'Local File' | 'Local Directory'; location: string; bundleType: BundleType };
}

const set = (v: unknown): v is string | Record<string, unknown> =>
  v !== undefined && v !== null && !(typeof v === 'string' && v === '') && !(typeof v === 'object' && Object.keys(v as object).length === 0);

/** Checks and reads the spec JSON; the messages are the real agent's. */
export function parseSpecData(json: string): DeploymentSpec {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(json) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`Deployment Spec is not JSON: ${(err as Error).message}`);
  }
  if (!data || typeof data !== 'object') throw new Error('Deployment Spec is not a JSON object');
  for (const key of ['DeploymentId', 'DeploymentGroupId', 'DeploymentGroupName', 'ApplicationName']) {
    if (!set(data[key])) throw new Error(`Deployment Spec has no ${key}`);
  }
  const rawId = String(data.DeploymentId);
  // "arn:aws:codedeploy:us-east-1:123412341234:deployment/d-XXXX" -> "d-XXXX"
  const deploymentId = rawId.startsWith('arn:') ? (rawId.split(':').slice(5).join(':').split('/').slice(1).join('/')) : rawId;
  const revision = data.Revision as Record<string, unknown> | undefined;
  if (!revision) throw new Error('Must specify a revison');
  const source = revision.RevisionType as string | undefined;
  if (!source) throw new Error('Must specify a revision source');
  let fileExistsBehavior = 'DISALLOW';
  const overrides = data.AgentActionOverrides as Record<string, unknown> | undefined;
  const agentOverrides = set(overrides) ? (overrides.AgentOverrides as Record<string, unknown> | undefined) : undefined;
  if (set(agentOverrides) && set(agentOverrides.FileExistsBehavior)) fileExistsBehavior = String(agentOverrides.FileExistsBehavior).toUpperCase();
  let parsed: DeploymentSpec['revision'];
  if (source === 'S3') {
    const s3 = revision.S3Revision as Record<string, unknown> | undefined;
    if (!s3 || !['Bucket', 'Key', 'BundleType'].every((k) => k in s3)) throw new Error('S3Revision in Deployment Spec must specify Bucket, Key and BundleType');
    if (!['tar', 'tgz', 'zip'].includes(String(s3.BundleType))) throw new Error('BundleType in S3Revision must be tar, tgz or zip');
    parsed = {
      type: 'S3',
      bucket: String(s3.Bucket),
      key: String(s3.Key),
      bundleType: s3.BundleType as BundleType,
      version: set(s3.Version) ? String(s3.Version) : undefined,
      etag: set(s3.ETag) ? String(s3.ETag) : undefined,
    };
  } else if (source === 'GitHub') {
    const gh = revision.GitHubRevision as Record<string, unknown> | undefined;
    if (!gh || !['Account', 'Repository', 'CommitId'].every((k) => k in gh)) throw new Error('GitHubRevision in Deployment Spec must specify Account, Repository and CommitId');
    parsed = {
      type: 'GitHub',
      account: String(gh.Account),
      repository: String(gh.Repository),
      commitId: String(gh.CommitId),
      bundleType: set(gh.BundleType) ? (String(gh.BundleType) as BundleType) : undefined,
      token: set(data.GitHubAccessToken) ? String(data.GitHubAccessToken) : undefined,
    };
  } else if (source === 'Local File' || source === 'Local Directory') {
    const local = (revision.LocalRevision ?? {}) as Record<string, unknown>;
    parsed = { type: source, location: String(local.Location ?? ''), bundleType: String(local.BundleType ?? 'tar') as BundleType };
  } else {
    throw new Error('Exactly one of S3Revision, GitHubRevision, or LocalRevision must be specified');
  }
  return {
    deploymentId,
    deploymentGroupId: String(data.DeploymentGroupId),
    deploymentGroupName: String(data.DeploymentGroupName),
    applicationName: String(data.ApplicationName),
    deploymentCreator: set(data.DeploymentCreator) ? String(data.DeploymentCreator) : 'user',
    deploymentType: set(data.DeploymentType) ? String(data.DeploymentType) : 'IN_PLACE',
    appSpecFilename: set(data.AppSpecFilename) ? String(data.AppSpecFilename) : 'appspec.yml',
    fileExistsBehavior,
    revision: parsed,
  };
}

function octets(node: forge.asn1.Asn1): string {
  return Array.isArray(node.value) ? (node.value as forge.asn1.Asn1[]).map(octets).join('') : (node.value as string);
}

const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';

/**
 * The content of a PEM PKCS#7 SignedData with attached content, after checking its signature
 * against the signer certificate it carries (as agent v2 does: valid signature, any signer).
 */
export function openSignedData(pem: string): string {
  let msg: forge.pkcs7.PkcsSignedData;
  try {
    msg = forge.pkcs7.messageFromPem(pem) as forge.pkcs7.PkcsSignedData;
  } catch (err) {
    throw new Error(`Could not parse the PKCS7 deployment specification: ${(err as Error).message}`);
  }
  const raw = (msg as unknown as { rawCapture?: { signerInfos?: forge.asn1.Asn1[]; content?: forge.asn1.Asn1 } }).rawCapture;
  // forge keeps the attached content as the [0] EXPLICIT node: an OCTET STRING, maybe in pieces.
  const inner = Array.isArray(raw?.content?.value) ? (raw.content.value as forge.asn1.Asn1[])[0] : undefined;
  const signer = raw?.signerInfos?.[0];
  if (!inner || !signer || msg.certificates.length !== 1) throw new Error('Validation of PKCS7 signed message failed');
  const data = Buffer.from(octets(inner), 'binary');
  const fields = signer.value as forge.asn1.Asn1[];
  const digestOid = forge.asn1.derToOid(((fields[2].value as forge.asn1.Asn1[])[0].value as string));
  const digestName = forge.pki.oids[digestOid];
  if (!digestName || !['sha1', 'sha256', 'sha384', 'sha512'].includes(digestName)) throw new Error('Validation of PKCS7 signed message failed');
  const authenticated = fields.find((f) => f.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && f.type === 0);
  const signature = Buffer.from(fields.find((f, i) => i > 3 && f.type === forge.asn1.Type.OCTETSTRING)?.value as string ?? '', 'binary');
  let signed = data;
  if (authenticated) {
    const attrs = authenticated.value as forge.asn1.Asn1[];
    const digestAttr = attrs.find((a) => forge.asn1.derToOid((a.value as forge.asn1.Asn1[])[0].value as string) === OID_MESSAGE_DIGEST);
    const claimed = digestAttr ? Buffer.from(((digestAttr.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string, 'binary') : undefined;
    if (!claimed || !claimed.equals(createHash(digestName).update(data).digest())) throw new Error('Validation of PKCS7 signed message failed');
    // The signature covers the attributes re-encoded as a SET OF, not as the [0] they are sent in.
    const asSet = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, attrs);
    signed = Buffer.from(forge.asn1.toDer(asSet).getBytes(), 'binary');
  }
  const publicKey = forge.pki.publicKeyToPem(msg.certificates[0].publicKey as forge.pki.rsa.PublicKey);
  if (!verifySignature(digestName, signed, publicKey, signature)) throw new Error('Validation of PKCS7 signed message failed');
  return data.toString('utf8');
}

/**
 * Verified PKCS7 payloads: the agent fetches the same spec for every command of a deployment,
 * and checking the signature again each time would only repeat work on identical bytes.
 */
const verified = new Map<string, string>();
const VERIFIED_KEPT = 32;

function openSignedDataOnce(pem: string): string {
  let data = verified.get(pem);
  if (data === undefined) {
    data = openSignedData(pem);
    if (verified.size >= VERIFIED_KEPT) verified.delete(verified.keys().next().value!);
    verified.set(pem, data);
  }
  return data;
}

/** The spec inside a GenericEnvelope: `PKCS7/JSON` (signed) or `TEXT/JSON`. */
export function parseEnvelope(envelope: Envelope | undefined): DeploymentSpec {
  if (!envelope) throw new Error('Provided deployment spec was nil');
  switch (envelope.Format) {
    case 'PKCS7/JSON':
      return parseSpecData(openSignedDataOnce(envelope.Payload));
    case 'TEXT/JSON':
      return parseSpecData(envelope.Payload);
    default:
      throw new Error(`Unsupported DeploymentSpecification format: ${envelope.Format}`);
  }
}
