import { createRequire } from 'node:module';

/** What iw calls of `sbd`, a CommonJS package that ships no types. */
interface Sbd {
  sentences(text: string, options?: { newline_boundaries?: boolean; html_boundaries?: boolean; sanitize?: boolean }): string[];
}

const sbd = createRequire(import.meta.url)('sbd') as Sbd;

/**
 * Splits one paragraph of running text into sentences with sbd (Tessmore's Sentence Boundary Detection), a
 * rule-based segmenter that knows English abbreviations (Mr., Dr., e.g., U.S.), leaves decimals and
 * currency alone ($3.50) and ends a sentence after a closing quote ("Go home." Then ...). Wrapped lines
 * must be joined first: a single line break is not a boundary.
 */
export function segmentSentences(paragraph: string): string[] {
  return sbd
    .sentences(paragraph, { newline_boundaries: false, html_boundaries: false, sanitize: false })
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0);
}
