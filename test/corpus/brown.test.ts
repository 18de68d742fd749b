import { beforeAll, expect, it } from 'vitest';
import { cleanCorpus, readCorpus } from '../../src/corpus/index.js';
import type { Corpus } from '../../src/corpus/types.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';

describeWithShared('the Brown corpus in ../shared', () => {
  let corpus: Corpus;
  beforeAll(() => {
    corpus = readCorpus(sharedPath('corpora', 'brown'));
  });

  it('reads the sentence and token counts NLTK reports (57,340 sentences, 1,161,192 tokens)', () => {
    // The counts are NLTK's brown.sents() and brown.words(), as ../shared/corpora/README.md gives them.
    expect(corpus.sentences.length).toBe(57_340);
    expect(corpus.sentences.reduce((n, s) => n + s.tokens.length, 0)).toBe(1_161_192);
  });

  it('detects the format and skips the README and CONTENTS beside the 500 samples', () => {
    expect(corpus.format).toBe('brown');
    expect(corpus.files).toHaveLength(500);
    expect(corpus.skippedFiles.map((s) => s.file.split('/').pop())).toEqual(['CONTENTS', 'README']);
  });

  it('accounts for every sentence when cleaning', () => {
    const { counts } = cleanCorpus(corpus);
    expect(counts.sentencesKept + counts.droppedForProperNouns + counts.droppedEmpty).toBe(57_340);
  });
});
