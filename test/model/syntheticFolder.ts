import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, tinyGpt2 } from './modelTestKit.js';
import type { SyntheticDecoder } from './syntheticDecoder.js';

/**
 * A model folder in hub layout around synthetic decoders: GPT-2 tokenizer files of the tiny fixture (so the
 * synthetic vocabulary must be its 6144 pieces), a config, and each decoder under the file name given.
 */
export function syntheticFolder(decoders: Record<string, SyntheticDecoder>): string {
  const folder = tempDir('synthetic');
  mkdirSync(join(folder, 'onnx'));
  for (const file of ['tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(tinyGpt2, file), join(folder, file));
  const first = Object.values(decoders)[0];
  const config = { model_type: 'synthetic', n_embd: first.width, n_layer: first.blocks, n_head: 1, n_positions: 64, vocab_size: first.vocabulary };
  writeFileSync(join(folder, 'config.json'), JSON.stringify(config));
  for (const [file, decoder] of Object.entries(decoders)) writeFileSync(join(folder, 'onnx', file), decoder.bytes);
  return folder;
}
