import type { ServiceModel, Shape, ShapeRef } from '../models/model.js';

/** Serialises an output structure as AWS's XML protocols do, driven by the model's shapes. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export function shapeToXml(model: ServiceModel, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'structure': {
      const record = (value ?? {}) as Record<string, unknown>;
      let xml = '';
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const child = record[name];
        if (child === undefined || child === null) continue;
        xml += memberToXml(model, ref, ref.locationName ?? name, child);
      }
      return xml;
    }
    case 'timestamp':
      return escapeXml((value instanceof Date ? value : new Date(value as string | number)).toISOString());
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return escapeXml(String(value));
  }
}

function memberToXml(model: ServiceModel, ref: ShapeRef, name: string, value: unknown): string {
  const shape = model.shapes[ref.shape];
  if (shape.type === 'list') {
    const itemRef = shape.member!;
    const items = (value as unknown[]).map((item) => memberToXml(model, itemRef, itemRef.locationName ?? (shape.flattened ? name : 'member'), item));
    return shape.flattened || ref.flattened ? items.join('') : `<${name}>${items.join('')}</${name}>`;
  }
  if (shape.type === 'map') {
    const keyName = shape.key!.locationName ?? 'key';
    const valueName = shape.value!.locationName ?? 'value';
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `<entry><${keyName}>${escapeXml(k)}</${keyName}>${memberToXml(model, shape.value!, valueName, v)}</entry>`,
    );
    return `<${name}>${entries.join('')}</${name}>`;
  }
  return `<${name}>${shapeToXml(model, shape, value)}</${name}>`;
}
