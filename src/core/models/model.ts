import { readdirSync, readFileSync } from 'node:fs';
import { packageFile } from '../package-files.js';

/** The parts of an official AWS service model (botocore service-2.json) that codesuite reads. */
export interface ShapeRef {
  shape: string;
  locationName?: string;
  location?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string };
  queryName?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  flattened?: boolean;
  locationName?: string;
  timestampFormat?: string;
  exception?: boolean;
  sensitive?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
}

export interface Operation {
  name: string;
  http?: { method: string; requestUri: string };
  input?: ShapeRef;
  output?: ShapeRef & { resultWrapper?: string };
  errors?: ShapeRef[];
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: 'json' | 'query' | 'rest-xml' | 'rest-json' | 'ec2' | 'smithy-rpc-v2-cbor';
    /** Every protocol the service answers, in the model's order of preference (CloudWatch lists three). */
    protocols?: string[];
    /** A JSON service that also speaks Query names its errors by their Query codes (`x-amzn-query-error`). */
    awsQueryCompatible?: Record<string, never>;
    jsonVersion?: string;
    targetPrefix?: string;
    serviceId: string;
    signingName?: string;
    xmlNamespace?: string;
  };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

/** Whether a service answers a protocol: its main one or any its model lists beside it. */
export function speaks(model: ServiceModel, protocol: string): boolean {
  return model.metadata.protocol === protocol || (model.metadata.protocols ?? []).includes(protocol);
}

const cache = new Map<string, ServiceModel>();
/** The names of every vendored model, served or not. */
export function vendoredModelNames(): string[] {
  return readdirSync(packageFile('models'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length));
}

/** Models are vendored data in models/ (scripts/vendor-models.py); each is read once, on first use. */
export function loadModel(name: string): ServiceModel {
  let model = cache.get(name);
  if (!model) {
    model = JSON.parse(readFileSync(packageFile(`models/${name}.json`), 'utf8')) as ServiceModel;
    cache.set(name, model);
  }
  return model;
}
