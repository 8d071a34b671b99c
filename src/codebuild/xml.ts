/** An XML element: enough of XML for test reports (JUnit, coverage files). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return Object.hasOwn(ENTITIES, e) ? ENTITIES[e] : m;
  });
}

/** Parses a document into its root element; declarations, comments and doctypes are skipped. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text && stack.length) stack.at(-1)!.text += decode(text);
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt);
      if (end < 0) throw new XmlError('unterminated CDATA section');
      if (stack.length) stack.at(-1)!.text += source.slice(lt + 9, end);
      i = end + 3;
    } else if (source.startsWith('<?', lt) || source.startsWith('<!', lt)) {
      const end = source.indexOf('>', lt);
      if (end < 0) throw new XmlError('unterminated declaration');
      i = end + 1;
    } else if (source.startsWith('</', lt)) {
      const end = source.indexOf('>', lt);
      const name = source.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlError(`unexpected closing tag </${name}>`);
      i = end + 1;
    } else {
      const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(lt));
      if (!m) throw new XmlError(`malformed tag at offset ${lt}`);
      // Attribute names are the document's: without a prototype none is swallowed or inherited.
      const attributes: Record<string, string> = Object.create(null);
      for (const a of m[2].matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attributes[a[1]] = decode(a[2] ?? a[3] ?? '');
      const element: XmlElement = { name: m[1], attributes, children: [], text: '' };
      if (stack.length) stack.at(-1)!.children.push(element);
      else if (!root) root = element;
      else throw new XmlError('more than one root element');
      if (!m[3]) stack.push(element);
      i = lt + m[0].length;
    }
  }
  if (stack.length) throw new XmlError(`unclosed element <${stack.at(-1)!.name}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}
