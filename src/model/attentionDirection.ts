import type { ModelConfig } from './hub/modelConfig.js';
import { padBatch } from './session/batching.js';
import type { ForwardInput, ForwardOutput, ForwardRequest } from './types.js';

/**
 * Whether a model's representation of a token can depend on later tokens (an encoder such as BERT or RoBERTa:
 * bidirectional) or only on earlier ones (a causal decoder such as GPT-2 or Llama).
 *
 * The config says so for the architectures of the hub: a masked LM (`architectures` ending in ForMaskedLM, or the
 * model_type of an encoder family) is bidirectional unless `is_decoder` is true; a causal LM (ForCausalLM,
 * LMHeadModel, or the model_type of a decoder family) is causal. `is_decoder: false` alone says nothing: GPT-2
 * configs omit the key, and older transformers versions wrote `false` into every config, decoders' included.
 * When the config is silent, the graph is asked (attendsToLaterTokens): a change to the last token of an input
 * that moves any layer at an earlier position means the graph has no causal masking.
 *
 * @module
 */

/** Whether a token's layers can depend on later tokens (bidirectional) or only on earlier ones (causal). */
export type AttentionDirection = 'causal' | 'bidirectional';

/** Encoder families whose hub checkpoints are masked LMs (model_type). */
const ENCODER_TYPES = new Set([
  'bert', 'roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'distilbert', 'albert', 'electra', 'deberta', 'deberta-v2',
  'mpnet', 'modernbert', 'ernie', 'mobilebert', 'squeezebert', 'nomic_bert', 'megatron-bert', 'rembert', 'roformer', 'esm',
]);

/** Decoder families (model_type). */
const DECODER_TYPES = new Set([
  'gpt2', 'gptj', 'gpt_neo', 'gpt_neox', 'gpt_bigcode', 'llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'phi', 'phi3',
  'gemma', 'gemma2', 'gemma3_text', 'opt', 'bloom', 'falcon', 'mpt', 'olmo', 'olmo2', 'stablelm', 'starcoder2', 'codegen',
]);

/** What the config says, or undefined when it does not say. */
export function directionFromConfig(config: ModelConfig): AttentionDirection | undefined {
  if (config.is_decoder === true) return 'causal';
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === 'string') : [];
  if (architectures.some((a) => /ForMaskedLM$/.test(a))) return 'bidirectional';
  if (architectures.some((a) => /(ForCausalLM|LMHeadModel)$/.test(a))) return 'causal';
  const type = typeof config.model_type === 'string' ? config.model_type : '';
  if (ENCODER_TYPES.has(type)) return 'bidirectional';
  if (DECODER_TYPES.has(type)) return 'causal';
  return undefined;
}

/** Whether the config names a masked LM (a fill-mask model: its logits rank words for a masked position). */
export function isMaskedLmConfig(config: ModelConfig): boolean {
  const architectures = Array.isArray(config.architectures) ? config.architectures : [];
  return config.is_decoder !== true && architectures.some((a) => typeof a === 'string' && /ForMaskedLM$/.test(a));
}

/**
 * Runs two inputs of four tokens that differ only in the last one and reports whether any layer changes at the
 * first three positions (by more than float32 noise): true for a graph without causal masking.
 */
export async function attendsToLaterTokens(
  model: { vocabularySize: number; acceptsPositionIds: boolean; layers: readonly number[]; forward(input: ForwardInput, request: ForwardRequest): Promise<ForwardOutput> },
): Promise<boolean> {
  const middle = Math.max(0, Math.floor(model.vocabularySize / 2) - 4);
  const ids = [middle, middle + 1, middle + 2, middle + 3];
  const changed = [...ids.slice(0, 3), middle + 4];
  const output = await model.forward(padBatch([ids, changed], model.acceptsPositionIds), { layers: model.layers });
  for (const layer of model.layers) {
    const values = output.taps.get(layer);
    if (!values) throw new Error(`model returned no tap for layer ${layer}`);
    const perRow = values.length / 2;
    const earlier = (perRow / ids.length) * 3;
    for (let i = 0; i < earlier; i++) {
      const a = values[i];
      const b = values[perRow + i];
      if (Math.abs(a - b) > 1e-5 * Math.max(1, Math.abs(a))) return true;
    }
  }
  return false;
}
