import { AutoTokenizer } from '@huggingface/transformers';
import { beforeAll, expect, it } from 'vitest';
import { cleanCorpus, readCorpus } from '../../src/corpus/index.js';
import type { CleanCorpus, Corpus } from '../../src/corpus/types.js';
import { loadWordTokenizer, resolveModel } from '../../src/model/index.js';
import type { WordTokenizer } from '../../src/model/types.js';
import { buildWindowStimuli, corpusStats } from '../../src/stimuli/index.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';

describeWithShared('stimuli from the Brown corpus in ../shared', () => {
  let corpus: Corpus;
  let clean: CleanCorpus;
  let tokenizer: WordTokenizer;
  const modelDir = sharedPath('models', 'gutenberg-gpt2-small');

  beforeAll(async () => {
    corpus = readCorpus(sharedPath('corpora', 'brown'));
    clean = cleanCorpus(corpus);
    tokenizer = await loadWordTokenizer(await resolveModel({ model: modelDir }));
  });

  it('builds 500 sequences of 40 words with POS swaps from the whole corpus', async () => {
    const stimuli = await buildWindowStimuli(clean, { sequences: 500, words: 40, within: 'document', swap: 'pos', seed: 1, tokenizer });
    expect(stimuli.sequences).toHaveLength(500);
    expect(stimuli.sequences.every((s) => s.words.length === 40 && s.swaps.every((w, k) => w !== null && w !== s.words[k]))).toBe(true);
    expect(stimuli.meta.swap.fallbackShare).toBe(0);
  });

  it('counts 12-word single-token sentences as the tokenizer does on its own, and under a hundred as ../shared/METHOD.md says', async () => {
    const stats = corpusStats(corpus, clean, { words: 40, sentenceWords: 12, tokenizer });
    // Independent count: transformers.js' own tokenizer, each word encoded after a space (as in running text).
    const reference = await AutoTokenizer.from_pretrained(modelDir, { local_files_only: true });
    const single = (w: string) => reference.encode(` ${w}`, { add_special_tokens: false }).length === 1;
    const expected = clean.sentences.filter((s) => s.words.length === 12 && s.droppedWords === 0 && s.words.every(single)).length;
    expect(stats.yoking.singleTokenSentencesOfLength).toBe(expected);
    // ../shared/METHOD.md §1: "Brown has under a hundred 12-word ones under a 6k-piece vocabulary".
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(100);
  });
});
