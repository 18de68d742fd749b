import { UserError } from '../../util/index.js';
import { blockCount, modelType, type ModelConfig } from '../hub/modelConfig.js';
import type { ParameterRole } from './parameterRoles.js';

/** How one kind of weight starts: drawn from normal(0, std) (zeroRow: that row set to 0), or filled with one value. */
export type InitRule =
  | { kind: 'normal'; std: number; zeroRow?: number }
  | { kind: 'fill'; value: number };

export interface InitRecipe {
  architecture: string;
  initializerRange: number;
  /** One paragraph saying what was done, for the twin's config.json and the report. */
  method: string;
  ruleFor(role: ParameterRole): InitRule;
  /** Refuses (UserError) roles that cannot be right for the architecture, before anything is drawn. */
  checkRoles(roles: ReadonlyMap<string, ParameterRole>, fileLabel: string): void;
}

const DEFAULT_RANGE = 0.02;
/** OpenAI's released GPT-2 code: wpe ~ normal(0, 0.01) (model.py, random_normal_initializer(stddev=0.01)). */
const GPT2_POSITION_STD = 0.01;

/**
 * How an architecture initializes each kind of weight, as its own training code does:
 * - GPT-2 (Hugging Face GPT2PreTrainedModel._init_weights, and OpenAI's released code): matrices and the
 *   token embedding normal(0, initializer_range); the residual projections (attn.c_proj, mlp.c_proj)
 *   normal(0, initializer_range / sqrt(2 · n_layer)); the position embedding normal(0, 0.01), as OpenAI's
 *   released GPT-2 code draws it (Hugging Face's _init_weights would use initializer_range; the reference
 *   untrained model in ../shared/models was made with 0.01); norm scales 1, norm and linear biases 0.
 * - Every other architecture (Llama and its kin: Mistral, Qwen2, …; BERT and RoBERTa encoders): Hugging Face's
 *   default _init_weights: every matrix and embedding normal(0, initializer_range), the padding token's embedding
 *   row 0 when the config names a pad_token_id (RoBERTa: in the position table too, whose nn.Embedding takes the
 *   same padding_idx; BERT's token-type table is drawn like any embedding), norm scales 1, biases 0. The recipe's
 *   description says which was used.
 * initializer_range comes from config.json (initializer_range, or init_std), 0.02 when it gives none.
 */
export function initRecipe(config: ModelConfig, configLabel: string): InitRecipe {
  const architecture = modelType(config);
  const declared = numberIn(config, 'initializer_range') ?? numberIn(config, 'init_std');
  const range = declared ?? DEFAULT_RANGE;
  const rangeNote = declared === undefined ? ` (${configLabel} gives no initializer_range: ${DEFAULT_RANGE} assumed)` : '';
  if (architecture === 'gpt2') return gpt2Recipe(config, configLabel, range, rangeNote);
  return defaultRecipe(config, architecture, range, rangeNote);
}

function gpt2Recipe(config: ModelConfig, configLabel: string, range: number, rangeNote: string): InitRecipe {
  const layers = blockCount(config);
  if (!layers) throw new UserError(`${configLabel} gives no n_layer, which GPT-2's initialisation needs (residual projections are scaled by 1/sqrt(2·n_layer))`);
  const residualStd = range / Math.sqrt(2 * layers);
  const normal = (std: number): InitRule => ({ kind: 'normal', std });
  return {
    architecture: 'gpt2',
    initializerRange: range,
    method:
      `GPT-2 initialisation${rangeNote}: matrices and token embedding normal(0, ${range}); residual projections ` +
      `(attn.c_proj, mlp.c_proj) normal(0, ${range}/sqrt(2·${layers}) = ${round(residualStd)}); position embedding ` +
      `normal(0, ${GPT2_POSITION_STD}) as in OpenAI's released code; norm scales 1; norm and linear biases 0; a tied ` +
      `output head stays tied. ${DRAWS}`,
    checkRoles: (roles, fileLabel) => {
      // Each GPT-2 block writes into the residual stream twice (attn.c_proj, mlp.c_proj); finding another count
      // means the graph was not understood, and the scaled initialisation would land on the wrong weights.
      const found = [...roles.values()].filter((role) => role === 'residual-projection').length;
      if (found !== 2 * layers) {
        throw new UserError(`${fileLabel}: found ${found} projections writing into the residual stream, but a GPT-2 of ${layers} blocks has ${2 * layers} (attn.c_proj and mlp.c_proj); iw cannot tell which weights get GPT-2's scaled initialisation`);
      }
    },
    ruleFor: (role) => {
      switch (role) {
        case 'residual-projection': return normal(residualStd);
        case 'position-embedding': return normal(GPT2_POSITION_STD);
        case 'token-embedding': case 'matrix': return normal(range);
        case 'norm-scale': return { kind: 'fill', value: 1 };
        default: return { kind: 'fill', value: 0 };
      }
    },
  };
}

/** RoBERTa-style embeddings count positions from pad_token_id + 1 and give the position table a padding row too. */
const PADDED_POSITION_TABLES = new Set(['roberta', 'xlm-roberta', 'xlm-roberta-xl', 'camembert', 'longformer']);

function defaultRecipe(config: ModelConfig, architecture: string, range: number, rangeNote: string): InitRecipe {
  const pad = numberIn(config, 'pad_token_id');
  const paddedPositions = pad !== undefined && PADDED_POSITION_TABLES.has(architecture);
  const padNote = pad !== undefined ? `, with the padding token's row (${pad}) 0${paddedPositions ? ' in the token and position tables (RobertaEmbeddings\' padding_idx)' : ''}` : '';
  const which = architecture === 'llama' ? 'Llama initialisation (Hugging Face LlamaPreTrainedModel._init_weights)' :
    `Hugging Face's default initialisation (PreTrainedModel._init_weights), used for model_type "${architecture}"`;
  return {
    architecture,
    initializerRange: range,
    method:
      `${which}${rangeNote}: every matrix (residual projections included) normal(0, ${range}); embeddings ` +
      `normal(0, ${range})${padNote}; norm scales 1; norm and linear biases 0; a tied output head stays tied. ${DRAWS}`,
    checkRoles: () => undefined, // every matrix is drawn alike: nothing depends on which ones write into the stream
    ruleFor: (role) => {
      switch (role) {
        case 'token-embedding': return { kind: 'normal', std: range, zeroRow: pad };
        case 'position-embedding': return { kind: 'normal', std: range, zeroRow: paddedPositions ? pad : undefined };
        case 'matrix': case 'residual-projection': return { kind: 'normal', std: range };
        case 'norm-scale': return { kind: 'fill', value: 1 };
        default: return { kind: 'fill', value: 0 };
      }
    },
  };
}

const DRAWS = 'Each tensor drawn by Box–Muller from sfc32 seeded by (seed, tensor name); constants that are not parameters (shapes, masks, RoPE tables, scalars) kept byte for byte.';

export function describeRule(rule: InitRule): string {
  if (rule.kind === 'fill') return `all ${rule.value}`;
  return `normal(0, ${round(rule.std)})${rule.zeroRow !== undefined ? `, row ${rule.zeroRow} zero` : ''}`;
}

function numberIn(config: ModelConfig, key: string): number | undefined {
  for (const source of [config, config.text_config as ModelConfig | undefined]) {
    const value = source?.[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
