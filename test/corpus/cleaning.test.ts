import { describe, expect, it } from 'vitest';
import { cleanCorpus, cleanSentence, defaultCleaningSteps, isProperNounTag } from '../../src/corpus/cleaning.js';
import type { CleaningSteps } from '../../src/corpus/types.js';
import { corpusOf, plain, tagged } from './corpora.js';

const all = defaultCleaningSteps;
const off = (step: keyof CleaningSteps, value: boolean | string = false): CleaningSteps => ({ ...all, [step]: value });

describe('cleaning steps', () => {
  const sentence = plain('`` The Term-End report , said Emma\'s aunt , cost 3.50 dollars \'\'');

  it('with every step on: lowercase, hyphens split, punctuation and numbers gone', () => {
    const clean = cleanSentence(sentence, all);
    expect(clean.words).toEqual(['the', 'term', 'end', 'report', 'said', 'emmas', 'aunt', 'cost', 'dollars']);
    // Runs break at each comma and at the dropped number: the term/end split does not break one.
    expect(clean.runStarts).toEqual([0, 4, 7, 8]);
    expect(clean.droppedWords).toBe(1);
  });

  it('lowercase off keeps capitals', () => {
    expect(cleanSentence(sentence, off('lowercase')).words.slice(0, 3)).toEqual(['The', 'Term', 'End']);
  });

  it('splitHyphens off keeps the word whole (its hyphen then goes with the punctuation)', () => {
    expect(cleanSentence(sentence, off('splitHyphens')).words.slice(0, 3)).toEqual(['the', 'termend', 'report']);
  });

  it('dropPunctuation off keeps punctuation tokens, which alphabeticOnly then drops as words', () => {
    const clean = cleanSentence(sentence, off('dropPunctuation'));
    expect(clean.words).toEqual(['the', 'term', 'end', 'report', 'said', 'aunt', 'cost', 'dollars']); // "emma's" is not alphabetic
    const raw = cleanSentence(sentence, { ...all, dropPunctuation: false, alphabeticOnly: false });
    expect(raw.words).toContain(',');
    expect(raw.words).toContain("emma's");
  });

  it('alphabeticOnly off keeps numbers', () => {
    expect(cleanSentence(sentence, off('alphabeticOnly')).words).toContain('350');
  });
});

describe('proper nouns (tagged corpora)', () => {
  const corpus = corpusOf([
    tagged('The/at jury/nn said/vbd ./.'),
    tagged('Mayor/nn-tl Ivan/np Allen/np spoke/vbd today/nr ./.'),
    tagged('Georgia\'s/np$ laws/nns ./.'),
  ]);

  it('knows Brown and Penn proper-noun tags', () => {
    expect(['np', 'np$', 'np-tl', 'nps', 'NNP', 'nnps'].every(isProperNounTag)).toBe(true);
    expect(['nn', 'nn-tl', 'at'].some(isProperNounTag)).toBe(false);
  });

  it('drop-sentence (the authors\' rule) drops sentences holding one, and counts them', () => {
    const clean = cleanCorpus(corpus, all);
    expect(clean.sentences.map((s) => s.words)).toEqual([['the', 'jury', 'said']]);
    expect(clean.counts).toMatchObject({ sentencesRead: 3, sentencesKept: 1, droppedForProperNouns: 2, tokensRead: 4 + 6 + 3, wordsKept: 3 });
  });

  it('drop-word drops only the proper nouns, breaking runs where they stood', () => {
    const clean = cleanCorpus(corpus, off('properNouns', 'drop-word'));
    expect(clean.sentences.map((s) => s.words)).toEqual([['the', 'jury', 'said'], ['mayor', 'spoke', 'today'], ['laws']]);
    expect(clean.sentences[1].runStarts).toEqual([0, 1]);
    expect(clean.sentences[1].tags).toEqual(['nn-tl', 'vbd', 'nr']);
  });

  it('keep keeps them as words', () => {
    expect(cleanCorpus(corpus, off('properNouns', 'keep')).sentences[1].words).toEqual(['mayor', 'ivan', 'allen', 'spoke', 'today']);
  });

  it('drops sentences left empty and records the steps it ran', () => {
    const clean = cleanCorpus(corpusOf([plain('1961 , 42 .'), plain('a word')]), all);
    expect(clean.counts.droppedEmpty).toBe(1);
    expect(clean.steps).toEqual(all);
    expect(clean.source).toMatchObject({ path: 'test-corpus', files: 1 });
  });
});
