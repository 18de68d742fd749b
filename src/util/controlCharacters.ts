/**
 * Control characters (C0 except tab and newline, DEL, and the C1 range, which some terminals read as escape
 * introducers) in text that came from a file: a model id, a tensor name, a label. Raw, they retitle or rewrite a
 * terminal (ESC ] 0 ; … BEL) and make an SVG invalid XML (XML 1.0 allows no C0 character but tab, LF and CR, not
 * even as a character reference).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text with each control character written as a visible `\uXXXX` escape: the same escape JSON uses, so JSON
 * printed through it still parses to the same strings, and what the file held stays readable.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL_CHARACTERS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
