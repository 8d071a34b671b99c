import type { Parameter } from '@aws-sdk/client-ssm';
import type { RequestContext } from '../core/context.js';
import type { ServiceDeps } from '../core/deps.js';
import { AtRestCipher } from '../core/at-rest-cipher.js';
import { decryptionFailed, parameterNotFound, parameterVersionNotFound } from './errors.js';
import { parameterArn, type ParameterRef } from './names.js';
import { ParameterStore, type ParameterRecord, type VersionRecord } from './parameter-store.js';

export type Scope = Pick<RequestContext, 'accountId' | 'region'>;

/** Where the operations find parameters: the tables, the at-rest cipher and the clock. */
export class Parameters {
  readonly store: ParameterStore;
  private readonly cipher: AtRestCipher;

  constructor(readonly deps: ServiceDeps) {
    this.store = new ParameterStore(deps.db);
    this.cipher = new AtRestCipher(deps.filesDir);
  }

  now(): number {
    return this.deps.clock.now().getTime();
  }

  /** Parameters whose Expiration policy has passed are gone before anything reads them. */
  expire(): void {
    this.store.deleteExpired(this.now());
  }

  find(scope: Scope, name: string): ParameterRecord | undefined {
    return this.store.find(scope.accountId, scope.region, name);
  }

  findRef(scope: Scope, ref: ParameterRef): ParameterRecord | undefined {
    for (const name of ref.candidates) {
      const found = this.find(scope, name);
      if (found) return found;
    }
    return undefined;
  }

  /** The parameter a reference names and the version its selector (`:3`, `:prod`) picks. */
  resolve(scope: Scope, ref: ParameterRef): { parameter: ParameterRecord; version: VersionRecord } {
    const parameter = this.findRef(scope, ref);
    if (!parameter) throw parameterNotFound(ref.given);
    if (ref.selector === undefined) return { parameter, version: parameter };
    if (/^[0-9]+$/.test(ref.selector)) {
      const version = this.store.version(parameter.id, Number(ref.selector));
      if (!version) throw parameterVersionNotFound(ref.selector, parameter.name);
      return { parameter, version };
    }
    for (const [number, labels] of this.store.labels(parameter.id)) {
      if (labels.includes(ref.selector)) return { parameter, version: this.store.version(parameter.id, number)! };
    }
    throw parameterNotFound(ref.given);
  }

  encode(scope: Scope, name: string, version: number, type: string, value: string): Buffer {
    const plain = Buffer.from(value, 'utf8');
    return type === 'SecureString' ? this.cipher.encrypt(plain, encryptionContext(scope, name, version)) : plain;
  }

  plainValue(p: ParameterRecord, v: VersionRecord): string {
    if (v.type !== 'SecureString') return v.value.toString('utf8');
    try {
      return this.cipher.decrypt(v.value, encryptionContext(p, p.name, v.version)).toString('utf8');
    } catch {
      throw decryptionFailed();
    }
  }

  /** A SecureString read without decryption shows its ciphertext, base64-encoded, as AWS shows KMS's. */
  shownValue(p: ParameterRecord, v: VersionRecord, withDecryption: boolean | undefined): string {
    if (v.type === 'SecureString' && !withDecryption) return v.value.toString('base64');
    return this.plainValue(p, v);
  }

  toParameter(p: ParameterRecord, v: VersionRecord, withDecryption: boolean | undefined, selector?: string): Parameter {
    return {
      Name: p.name,
      Type: v.type,
      Value: this.shownValue(p, v, withDecryption),
      Version: v.version,
      Selector: selector === undefined ? undefined : `:${selector}`,
      LastModifiedDate: new Date(v.modifiedAt),
      ARN: parameterArn(p, p.name),
      DataType: v.dataType,
    };
  }
}

function encryptionContext(scope: Scope, name: string, version: number): string {
  return `${parameterArn(scope, name)}:${version}`;
}
