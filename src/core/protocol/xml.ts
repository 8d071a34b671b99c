import type { ServiceModel, Shape, ShapeRef } from '../models/model.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\n': '&#10;' };

/**
 * Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls other
 * than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
 */
export const NOT_XML_CHAR = /[\0-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/u;

const ESCAPED = new RegExp(`[&<>"'\\r\\n]|${NOT_XML_CHAR.source}`, 'gu');

/**
 * Text as XML character data. Line ends are written as references, as S3 documents for keys, so
 * a parser's end-of-line normalisation cannot change them. A character XML 1.0 forbids would make
 * the whole document unreadable to every SDK, so it is written as U+FFFD: the text stays
 * recognisable, and S3 listings carry such keys exactly when asked for `EncodingType=url`.
 */
export function escapeXml(text: string): string {
  return text.replace(ESCAPED, (c) => ESCAPES[c] ?? '\uFFFD');
}

/** Serialises an output structure as AWS's XML protocols do, driven by the model's shapes. */
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
    // A flattened map repeats its member's own element per entry (SQS's `<Attribute><Name>`).
    const entryName = shape.flattened || ref.flattened ? name : 'entry';
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `<${entryName}><${keyName}>${escapeXml(k)}</${keyName}>${memberToXml(model, shape.value!, valueName, v)}</${entryName}>`,
    );
    return shape.flattened || ref.flattened ? entries.join('') : `<${name}>${entries.join('')}</${name}>`;
  }
  return `<${name}>${shapeToXml(model, shape, value)}</${name}>`;
}
