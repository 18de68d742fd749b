/**
 * A strict little XML well-formedness check for the SVG iw writes (no DTDs, CDATA or processing instructions):
 * every tag closed in order, attributes quoted and unique, only the five predefined entities or numeric ones.
 * Returns the elements found, as name + attributes + text, for structural assertions.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, text: '', children: [] };
  const stack: XmlElement[] = [root];
  const tagPattern = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const textEnd = lt === -1 ? source.length : lt;
    addText(stack[stack.length - 1], source.slice(i, textEnd), i);
    if (lt === -1) break;
    tagPattern.lastIndex = lt;
    const match = tagPattern.exec(source);
    if (!match) throw new Error(`malformed tag at offset ${lt}: ${source.slice(lt, lt + 60)}`);
    const [whole, closing, name, attributeText, selfClosing] = match;
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`</${name}> at offset ${lt} closes <${open?.name}>`);
    } else {
      const element: XmlElement = { name, attributes: parseAttributes(attributeText, lt), text: '', children: [] };
      stack[stack.length - 1].children.push(element);
      if (!selfClosing) stack.push(element);
    }
    i = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error(`a document needs exactly one root element, found ${root.children.length}`);
  return root.children[0];
}

function parseAttributes(text: string, offset: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [, key, value] of text.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g)) {
    if (key in attributes) throw new Error(`duplicate attribute ${key} at offset ${offset}`);
    attributes[key] = decode(value, offset);
  }
  return attributes;
}

function addText(element: XmlElement, raw: string, offset: number): void {
  if (raw.includes('>') && raw.trim() !== '') throw new Error(`unescaped ">" in text at offset ${offset}`);
  element.text += decode(raw, offset);
}

function decode(raw: string, offset: number): string {
  return raw.replace(/&([^;\s]*);?/g, (entity, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (!entity.endsWith(';')) throw new Error(`bare "&" at offset ${offset}`);
    if (name in named) return named[name];
    const numeric = /^#(x[0-9a-fA-F]+|\d+)$/.exec(name);
    if (numeric) return String.fromCodePoint(parseInt(numeric[1].replace(/^x/, ''), numeric[1].startsWith('x') ? 16 : 10));
    throw new Error(`unknown entity &${name}; at offset ${offset}`);
  });
}

/** Every element in document order. */
export function allElements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(allElements)];
}

/** The text of an element and its descendants. */
export function textContent(element: XmlElement): string {
  return element.text + element.children.map(textContent).join('');
}
