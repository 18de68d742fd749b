import { describe, expect, it } from 'vitest';
import { cleanCorpus } from '../../src/corpus/index.js';
import { corpusStats } from '../../src/stimuli/index.js';
import { formatCorpusStats } from '../../src/cli/corpusStatsTable.js';
import { corpusOf, tagged } from '../corpus/corpora.js';
import { fakeTokenizer } from './fakes.js';

describe('corpusStats', () => {
  const corpus = corpusOf([
    tagged('The/at cat/nn sat/vbd ,/, and/cc the/at dog/nn ran/vbd ./.'), // 7 words, one comma: runs of 3 and 4
    tagged('A/at hippopotamus/nn ate/vbd ./.'), // 3 words, "hippopotamus" 3 tokens at 5 characters a token
    tagged('Ivan/np ate/vbd ./.'), // dropped: proper noun
    tagged('The/at hen/nn hid/vbd ./.', 1), // 3 words, another document
  ]);
  const clean = cleanCorpus(corpus);

  it('counts sentences, cleaning, windows within each boundary and yoking sentences', () => {
    const stats = corpusStats(corpus, clean, { words: 3, sentenceWords: 3, tokenizer: fakeTokenizer(5) });
    expect(stats).toMatchObject({
      sentences: 4,
      tokens: 9 + 4 + 3 + 4,
      cleanedSentences: 3,
      droppedForProperNouns: 1,
      cleanedWords: 13,
      vocabulary: 11, // the cat sat and dog ran a hippopotamus ate hen hid
      windows: { words: 3, run: 1 + 1 + 1 + 1, sentence: 2 + 1 + 1, document: 3 + 1, corpus: 4 },
      yoking: { sentenceWords: 3, sentencesOfLength: 2, singleTokenSentencesOfLength: 1 },
    });
  });

  it('prints one line per quantity, and says when a model is needed', () => {
    const text = formatCorpusStats(corpusStats(corpus, clean, { words: 3, sentenceWords: 3 }));
    expect(text).toContain('cleaned sentences  3 (dropped: 1 with proper nouns, 0 left empty)');
    expect(text).toContain('3-word windows     within a run 4, a sentence 4, a document 4, the corpus 4');
    expect(text).toContain('3-word sentences   2 with no word dropped; single-token count needs --model');
  });
});
