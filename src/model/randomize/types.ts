import type { ModelConfig } from '../hub/modelConfig.js';
import type { KeptConstant, ParameterRole } from './parameterRoles.js';

/** The untrained control's types: how a twin is asked for, and what was done to make it. */

export interface RandomizeOptions {
  seed: number;
  /** The model's parsed config.json (architecture, initializer_range, n_layer). */
  config: ModelConfig;
  /** For messages: which file (e.g. "gutenberg-gpt2-small/onnx/model.onnx"). */
  fileLabel?: string;
  /** For messages: which config (default "config.json"). */
  configLabel?: string;
  /** Folder of the .onnx file, where its external data files are; needed only when it has them. */
  modelDir?: string;
  /** Called after each tensor with elements drawn so far and in all. */
  onProgress?: (elementsDone: number, elementsTotal: number) => void;
}

export interface RandomizedTensor {
  name: string;
  role: ParameterRole | 'tied-output';
  /** e.g. "normal(0, 0.02)", "all 1", "tied to wte (transposed)". */
  init: string;
  elements: number;
}

export interface RandomizationSummary {
  architecture: string;
  seed: number;
  initializerRange: number;
  /** What was done, in one paragraph (also written into the twin's config.json). */
  method: string;
  /** Every parameter re-drawn. */
  tensors: RandomizedTensor[];
  /** Initializers left byte for byte as they were, and why. */
  kept: KeptConstant[];
}

/** New bytes for a tensor kept in an external data file. */
export interface ExternalWrite {
  tensor: string;
  /** File name beside the .onnx file. */
  location: string;
  offset: number;
  bytes: Uint8Array;
}

export interface RandomizedBytes {
  /** The twin's .onnx bytes. */
  bytes: Uint8Array;
  summary: RandomizationSummary;
  /** Weights to write into copies of the external data files (empty when every weight is inline). */
  externalWrites: ExternalWrite[];
  /** Every external data file the .onnx file refers to (a twin needs copies of them all). */
  externalFiles: string[];
}

/** A twin written to disk in hub layout. */
export interface RandomizedModel {
  /** The folder: config.json (with an iw_untrained note), tokenizer files, onnx/<file>. */
  folder: string;
  /** One summary per ONNX file rewritten, by its path inside the folder (e.g. "onnx/model.onnx"). */
  summaries: Record<string, RandomizationSummary>;
  seconds: number;
}
