// A small XML tree and its text: elements with attributes in the order given, comments, escaping.
export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | { readonly comment: string };

export function element(
  name: string,
  attributes: Readonly<Record<string, string>> = {},
  children: readonly XmlNode[] = [],
): XmlElement {
  return { name, attributes: Object.entries(attributes), children };
}

/** A comment; "--" cannot appear in one, so it is spaced apart. */
export function comment(text: string): XmlNode {
  return { comment: text.replaceAll('--', '- -') };
}

/** The document, indented by two spaces per level, with an XML declaration. */
export function renderXml(root: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, '')}\n`;
}

function render(node: XmlNode, indent: string): string {
  if ('comment' in node) return `${indent}<!-- ${node.comment} -->`;
  const attributes = node.attributes.map(([key, value]) => ` ${key}="${escape(value)}"`).join('');
  if (node.children.length === 0) return `${indent}<${node.name}${attributes}/>`;
  const inner = node.children.map((child) => render(child, `${indent}  `)).join('\n');
  return `${indent}<${node.name}${attributes}>\n${inner}\n${indent}</${node.name}>`;
}

function escape(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
