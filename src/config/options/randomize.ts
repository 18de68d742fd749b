import { z } from 'zod';
import { defineOption } from '../option.js';

/** `iw randomize`: where the untrained twin goes (the model, seed and dtype options are shared: model.ts, common.ts). */
export const twinOut = defineOption({
  name: 'out',
  flag: '--out <dir>',
  description: 'folder to write the untrained twin to, in hub layout (config.json, tokenizer files, onnx/); it must not exist yet, or be empty',
  effect: 'output',
  schema: z.string().min(1, { error: 'must name a folder' }),
});
