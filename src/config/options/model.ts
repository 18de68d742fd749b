import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { defaultModelPath } from '../defaultModel.js';
import type { LoadModelOptions } from '../../model/index.js';
import { defineOption, parseIndexList, parseNumber, wholeNumber } from '../option.js';

/** Options that choose and run a model (src/model). */
export const model = defineOption({
  name: 'model',
  flag: '--model <id|dir>',
  description: 'a local folder in hub layout (config.json, tokenizer.json, onnx/*.onnx) or a hub id such as Xenova/gpt2; a bare "gpt2" means Xenova/gpt2',
  effect: 'runtime',
  schema: z.string().min(1, { error: 'must name a model folder or hub id' }),
});

/** `--model` of a run: the shipped gutenberg-gpt2-tiny when none is given, so that `npx iw estimate` runs on a fresh clone. */
export const modelWithDefault = defineOption({
  ...model,
  defaultValue: defaultModelPath(),
  defaultDescription: 'gutenberg-gpt2-tiny, shipped with iw',
});

export const cacheDir = defineOption({
  name: 'cacheDir',
  flag: '--cache-dir <dir>',
  description: 'where hub downloads are cached, in huggingface_hub\'s layout (default: $IW_CACHE_DIR, else the transformers.js cache folder); ~/.cache/huggingface/hub shares the Python stack\'s cache',
  effect: 'runtime',
  schema: z.string().min(1),
});

export const revision = defineOption({
  name: 'revision',
  flag: '--revision <rev>',
  description: 'the branch, tag or commit of a hub id --model to run (default main), e.g. step1000 of a Pythia repo; revisions are cached side by side and the report records the commit (docs/models.md)',
  effect: 'runtime',
  schema: z.string().min(1, { error: 'must name a branch, tag or commit' }),
});

export const offline = defineOption({
  name: 'offline',
  flag: '--offline',
  description: 'never touch the network: hub ids must already be in the cache',
  effect: 'runtime',
  schema: z.boolean(),
  defaultValue: false,
});

export const dtype = defineOption({
  name: 'dtype',
  flag: '--dtype <type>',
  description: 'which ONNX file of the repo to run: fp32, fp16, q8 (quantized), int8, uint8, q4, q4f16, bnb4; activations are reported as float32 whatever the dtype',
  effect: 'result',
  defaultDescription: 'fp32; a local folder holding one dtype runs it',
  schema: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'], {
    error: 'must be one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4',
  }),
});

export const layers = defineOption({
  name: 'layers',
  flag: '--layers <list>',
  description: 'layers to read, as indices and ranges in the Hugging Face hidden_states convention, e.g. 0,4-8 (default: all)',
  effect: 'result',
  schema: z.array(z.number().int().min(0), { error: 'must be layer indices and ranges such as 0,2,5-8' }).min(1, { error: 'must name at least one layer' }),
  parseFlag: parseIndexList,
});

/**
 * "a,b,c" → ["a", "b", "c"]; the name of an existing file → its lines (one tensor name a line; blank lines and
 * lines starting with # skipped). Tensor names from exporters hold no commas; a name that is also a file's name
 * is read as the file.
 */
function parseTapList(text: string): unknown {
  const lines = existsSync(text) && statSync(text).isFile() ? readFileSync(text, 'utf8').split(/\r?\n/) : text.split(',');
  return lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
}

export const taps = defineOption({
  name: 'taps',
  flag: '--taps <names|file>',
  description: 'read the layers from these graph tensors instead of finding them by structure: tensor names in layer order (layer 0 first), comma-separated or a file with one a line; each must exist and have the residual stream\'s width (iw layers --json lists the ones iw finds)',
  effect: 'result',
  schema: z.array(z.string().min(1)).min(1, { error: 'must name at least one tensor (comma-separated, or a file with one a line)' }),
  parseFlag: parseTapList,
});

export const threads = defineOption({
  name: 'threads',
  flag: '--threads <n>',
  description: 'threads for ONNX Runtime, and worker threads for the unit fits and bootstrap replicates (default: the machine\'s cores); results do not depend on it',
  effect: 'runtime',
  schema: wholeNumber(1, 256),
  parseFlag: parseNumber,
});

export const device = defineOption({
  name: 'device',
  flag: '--device <device>',
  description: 'where ONNX Runtime runs the model: cpu, or cuda (an NVIDIA GPU; needs onnxruntime-node\'s CUDA binaries, see docs/models.md); numbers agree across devices only to float32 precision, so a run, its checkpoint and its shards keep one',
  effect: 'result',
  schema: z.enum(['cpu', 'cuda'], { error: 'must be cpu or cuda' }),
  defaultValue: 'cpu',
});

export const untrained = defineOption({
  name: 'untrained',
  flag: '--untrained',
  description: 'use a random-weight twin of --model (re-drawn the way the architecture initializes it, seeded by --seed): the untrained control',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: false,
});

export const prefixSpace = defineOption({
  name: 'prefixSpace',
  flag: '--no-prefix-space',
  description: 'encode the first word without the leading space the authors give it (add_prefix_space=True) where the tokenizer needs one for the mid-text form (byte-level BPE: GPT-2, RoBERTa; Gemma\'s SentencePiece), as earlier versions of iw did; Llama\'s and BERT\'s tokenizers never need one (docs/tokenization.md)',
  schema: z.boolean(),
  effect: 'result',
  defaultValue: true,
});

/** `iw activations`: the text to run, how to report it, where to write it. */
export const text = defineOption({
  name: 'text',
  flag: '--text <text>',
  description: 'text to run through the model; split at whitespace and rejoined with single spaces, as stimuli are',
  effect: 'result',
  schema: z.string().trim().min(1, { error: 'must hold at least one word' }),
});

export const perWord = defineOption({
  name: 'perWord',
  flag: '--per-word',
  description: 'one vector per word (the mean over its tokens, as measurements use) instead of one per token',
  effect: 'result',
  schema: z.boolean(),
  defaultValue: false,
});

export const activationsOut = defineOption({
  name: 'out',
  flag: '--out <file>',
  description: 'JSON file to write the activations to',
  effect: 'output',
  schema: z.string().min(1, { error: 'must name a file' }),
});

/** The model options a command may have, resolved (a command without one of them leaves it undefined). */
interface ModelOptionValues {
  model: string;
  revision?: string;
  cacheDir?: string;
  offline?: boolean;
  dtype?: LoadModelOptions['dtype'];
  threads?: number;
  device?: LoadModelOptions['device'];
  quiet?: boolean;
  prefixSpace?: boolean;
  untrained?: boolean;
  seed?: number;
  taps?: LoadModelOptions['taps'];
}

/**
 * The one home of how a command's resolved options become the arguments that load its model (src/model's
 * loadModel and resolveModel): --untrained draws its twin from --seed.
 */
export function modelLoading(options: ModelOptionValues): LoadModelOptions {
  return {
    model: options.model, revision: options.revision, cacheDir: options.cacheDir, offline: options.offline, dtype: options.dtype, threads: options.threads,
    device: options.device, quiet: options.quiet, prefixSpace: options.prefixSpace,
    untrained: options.untrained ? { seed: options.seed ?? 1 } : undefined, taps: options.taps,
  };
}
