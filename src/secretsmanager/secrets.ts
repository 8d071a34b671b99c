import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { AtRestCipher } from '../core/at-rest-cipher.js';
import { decryptionFailure, invalidName, markedForDeletion, secretNotFound } from './errors.js';
import { SecretStore, type SecretRecord, type ValueKind, type VersionRecord } from './secret-store.js';

export type Scope = Pick<RequestContext, 'accountId' | 'region'>;

export interface SecretValue {
  kind: ValueKind;
  bytes: Buffer;
}

const NAME = /^[A-Za-z0-9/_+=.@!-]+$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([^:]+):(\d{12}):secret:(.+)$/;
/** A complete ARN ends in the hyphen and six random characters Secrets Manager adds to the name. */
const COMPLETE_ARN_TAIL = /-[A-Za-z0-9]{6}$/;
const MAX_VERSIONS = 100;
const DAY = 86_400_000;

/** Where the operations find secrets: the tables, the at-rest cipher, the clock and the id source. */
export class Secrets {
  readonly store: SecretStore;
  private readonly cipher: AtRestCipher;

  constructor(readonly deps: ServiceDeps) {
    this.store = new SecretStore(deps.db);
    this.cipher = new AtRestCipher(deps.filesDir);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Secrets whose recovery window has ended are gone before anything reads them. */
  purge(): void {
    this.store.deleteExpired(this.now());
  }

  checkName(name: string): void {
    if (!NAME.test(name)) throw invalidName();
  }

  /** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>` */
  newArn(scope: Scope, name: string): string {
    const hex = this.deps.ids.uuid().replace(/[^0-9a-f]/gi, '');
    let suffix = '';
    for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % SUFFIX_ALPHABET.length];
    return `arn:aws:secretsmanager:${scope.region}:${scope.accountId}:secret:${name}-${suffix}`;
  }

  /** A secret by name, complete ARN, or partial ARN (the ARN without the random suffix). */
  find(scope: Scope, secretId: string): SecretRecord | undefined {
    const arn = SECRET_ARN.exec(secretId);
    if (!arn) {
      this.checkName(secretId);
      return this.store.byName(scope.accountId, scope.region, secretId);
    }
    if (arn[1] !== scope.region || arn[2] !== scope.accountId) return undefined;
    const exact = this.store.byArn(secretId);
    if (exact) return exact;
    return COMPLETE_ARN_TAIL.test(arn[3]) ? undefined : this.store.byName(scope.accountId, scope.region, arn[3]);
  }

  require(scope: Scope, secretId: string): SecretRecord {
    const secret = this.find(scope, secretId);
    if (!secret) throw secretNotFound();
    return secret;
  }

  /** A secret that is not waiting out a recovery window, as every change and every read requires. */
  requireLive(scope: Scope, secretId: string): SecretRecord {
    const secret = this.require(scope, secretId);
    if (secret.deletedAt !== null) throw markedForDeletion();
    return secret;
  }

  decrypt(secret: SecretRecord, version: VersionRecord): SecretValue {
    try {
      return { kind: version.kind, bytes: this.cipher.decrypt(version.value, context(secret, version.versionId)) };
    } catch {
      throw decryptionFailure();
    }
  }

  sameValue(secret: SecretRecord, version: VersionRecord, value: SecretValue): boolean {
    const stored = this.decrypt(secret, version);
    return stored.kind === value.kind && stored.bytes.equals(value.bytes);
  }

  /**
   * Adds a version carrying `stages`, moving each label off the version that held it. AWSCURRENT
   * leaves AWSPREVIOUS behind on the version it came from; a new current value also supersedes
   * a rotation that was pending on that version.
   */
  addVersion(secret: SecretRecord, versionId: string, value: SecretValue, stages: string[]): void {
    this.store.insertVersion(secret.id, {
      versionId,
      kind: value.kind,
      value: this.cipher.encrypt(value.bytes, context(secret, versionId)),
      createdAt: this.now(),
      lastAccessedAt: null,
    });
    if (stages.includes('AWSCURRENT')) {
      const previous = this.store.stageHolder(secret.id, 'AWSCURRENT');
      if (previous && !stages.includes('AWSPENDING') && this.store.stageHolder(secret.id, 'AWSPENDING') === previous) {
        this.store.detachStage(secret.id, 'AWSPENDING');
      }
    }
    for (const stage of stages) this.moveStage(secret.id, stage, versionId);
    this.pruneVersions(secret.id);
  }

  moveStage(secretId: number, stage: string, versionId: string): void {
    if (stage === 'AWSCURRENT') {
      const previous = this.store.stageHolder(secretId, 'AWSCURRENT');
      if (previous === versionId) return;
      if (previous) this.store.attachStage(secretId, 'AWSPREVIOUS', previous);
    }
    if (this.store.stageHolder(secretId, stage) !== versionId) this.store.attachStage(secretId, stage, versionId);
  }

  /** Versions without labels are deprecated; past 100 versions the oldest deprecated ones go. */
  private pruneVersions(secretId: number): void {
    const versions = this.store.versions(secretId);
    if (versions.length <= MAX_VERSIONS) return;
    const labelled = this.store.stages(secretId);
    let excess = versions.length - MAX_VERSIONS;
    for (const v of versions) {
      if (excess === 0) break;
      if (!labelled.has(v.versionId)) {
        this.store.deleteVersion(secretId, v.versionId);
        excess--;
      }
    }
  }

  /** Secrets Manager records the day a secret was last read, not the moment. */
  accessDay(): number {
    return Math.floor(this.now() / DAY) * DAY;
  }

  versionIdsToStages(secretId: number): Record<string, string[]> | undefined {
    const stages = this.store.stages(secretId);
    return stages.size === 0 ? undefined : Object.fromEntries(stages);
  }
}

function context(secret: SecretRecord, versionId: string): string {
  return `${secret.arn}:${versionId}`;
}

/** The value a request carries; SecretBinary arrives base64-encoded in the JSON body. */
export function requestValue(input: { SecretString?: string; SecretBinary?: Uint8Array | string }): SecretValue | undefined {
  if (input.SecretString !== undefined) return { kind: 'string', bytes: Buffer.from(input.SecretString, 'utf8') };
  if (input.SecretBinary !== undefined) {
    const bytes = typeof input.SecretBinary === 'string' ? Buffer.from(input.SecretBinary, 'base64') : Buffer.from(input.SecretBinary);
    return { kind: 'binary', bytes };
  }
  return undefined;
}
