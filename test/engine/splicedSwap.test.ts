import { describe, expect, it } from 'vitest';
import { splicedSwap } from '../../src/engine/passRows.js';
import { loadWordTokenizer, resolveModel } from '../../src/model/index.js';
import { createRandom, randomChoice } from '../../src/util/random.js';
import { fixturePath } from '../helpers/shared.js';

/**
 * The engine splices a swap into the original's tokens instead of tokenizing each swapped sequence again; the
 * reference here is the model's tokenizer run on the swapped words themselves (GPT-2 byte-level BPE without BOS,
 * and the Llama SentencePiece-style BPE of stories260K with BOS), every position including the first and last,
 * with replacements of other token counts than the originals.
 */
const words = 'the old man walked slowly down the road and she said that it was not her fault'.split(' ');
const replacements = ['a', 'extraordinarily', 'xylophones', 'river', 'unquestionable', 'Quintessential', 'it'];

describe.each([['gutenberg-gpt2-tiny'], ['stories260K']])('splicedSwap on %s', (name) => {
  it('equals tokenizing the swapped words, at every position', async () => {
    const tokenizer = await loadWordTokenizer(await resolveModel({ model: fixturePath('models', name) }));
    const random = createRandom(9);
    const original = tokenizer.tokenizeWords(words);
    for (let k = 0; k < words.length; k++) {
      const replacement = randomChoice(random, replacements);
      const swappedWords = words.map((w, i) => (i === k ? replacement : w));
      expect(splicedSwap(tokenizer, original, k, replacement), `position ${k}`).toEqual(tokenizer.tokenizeWords(swappedWords));
    }
  });
});
