/**
 * Just enough SVG to draw figures by hand: elements as strings, escaped text, coordinates rounded to 0.01 px so
 * the output is byte-stable and small. No ids are generated, so several figures can be inlined in one page.
 */
import { escapeControlCharacters } from '../../util/index.js';

export type Attributes = Record<string, string | number | undefined>;

export const FONT_FAMILY = 'DejaVu Sans, Helvetica, Arial, sans-serif';

/** Text for SVG and HTML (both use this): markup characters as entities, control characters as visible escapes. */
export function escapeXml(text: string): string {
  return escapeControlCharacters(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A coordinate or length: at most two decimals, never "-0". */
export function px(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`svg: coordinate ${value} is not finite`);
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

export function element(name: string, attributes: Attributes, children: string | readonly string[] = ''): string {
  const attributeText = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${typeof value === 'number' ? px(value) : escapeXml(String(value))}"`)
    .join('');
  const body = typeof children === 'string' ? children : children.join('');
  return body === '' ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${body}</${name}>`;
}

export function text(x: number, y: number, content: string, attributes: Attributes = {}): string {
  return element('text', { x, y, ...attributes }, escapeXml(content));
}

export function group(attributes: Attributes, children: readonly string[]): string {
  return element('g', attributes, children);
}

/** A standalone SVG document with a white background and an accessible title. */
export function svgDocument(width: number, height: number, title: string, body: readonly string[]): string {
  return element('svg', {
    xmlns: 'http://www.w3.org/2000/svg',
    width, height,
    viewBox: `0 0 ${px(width)} ${px(height)}`,
    role: 'img',
    'font-family': FONT_FAMILY,
    'font-size': 12,
    fill: '#222',
  }, [element('title', {}, escapeXml(title)), element('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }), ...body]) + '\n';
}

/** Rough width of a text in DejaVu Sans (average advance ≈ 0.6 em), for laying out legends and margins. */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}
