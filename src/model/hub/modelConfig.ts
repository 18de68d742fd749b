/**
 * What iw reads from a model's config.json. Architectures name the same quantity differently
 * (GPT-2: n_embd, n_layer, n_positions; Llama: hidden_size, num_hidden_layers, max_position_embeddings);
 * multimodal configs nest the language model's under text_config.
 */
export type ModelConfig = Record<string, unknown>;

function firstNumber(config: ModelConfig, keys: readonly string[]): number | undefined {
  for (const source of [config, config.text_config as ModelConfig | undefined]) {
    if (!source || typeof source !== 'object') continue;
    for (const key of keys) {
      const value = source[key];
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
    }
  }
  return undefined;
}

export function hiddenSize(config: ModelConfig): number | undefined {
  return firstNumber(config, ['hidden_size', 'n_embd', 'd_model', 'dim', 'n_embed']);
}

export function blockCount(config: ModelConfig): number | undefined {
  return firstNumber(config, ['num_hidden_layers', 'n_layer', 'num_layers', 'n_layers']);
}

export function attentionHeads(config: ModelConfig): number | undefined {
  return firstNumber(config, ['num_attention_heads', 'n_head', 'num_heads', 'n_heads']);
}

export function keyValueHeads(config: ModelConfig): number | undefined {
  return firstNumber(config, ['num_key_value_heads', 'n_head_kv', 'num_kv_heads', 'n_kv_heads']) ?? attentionHeads(config);
}

export function headDim(config: ModelConfig): number | undefined {
  const declared = firstNumber(config, ['head_dim']);
  if (declared) return declared;
  const width = hiddenSize(config);
  const heads = attentionHeads(config);
  return width && heads ? width / heads : undefined;
}

/** Architectures whose positions are counted from pad_token_id + 1 (RoBERTa's embeddings), so that many rows go unused. */
const POSITIONS_AFTER_PADDING = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'longformer']);

/** Longest input the model takes, from its position table; the tokenizer's model_max_length otherwise. */
export function contextLength(config: ModelConfig, tokenizerConfig: ModelConfig): number | undefined {
  const fromModel = firstNumber(config, ['n_positions', 'max_position_embeddings', 'n_ctx', 'max_seq_len', 'seq_length']);
  const pad = config.pad_token_id;
  if (fromModel && POSITIONS_AFTER_PADDING.has(modelType(config)) && typeof pad === 'number' && pad >= 0 && pad + 1 < fromModel) return fromModel - pad - 1;
  if (fromModel) return fromModel;
  const fromTokenizer = tokenizerConfig.model_max_length;
  return typeof fromTokenizer === 'number' && fromTokenizer < 1e7 ? fromTokenizer : undefined;
}

export function modelType(config: ModelConfig): string {
  return typeof config.model_type === 'string' ? config.model_type : 'unknown';
}
