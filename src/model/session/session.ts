import { availableParallelism } from 'node:os';
import { InferenceSession } from 'onnxruntime-node';
import type { Device } from '../types.js';

/** How a session is opened. */
export interface SessionSettings {
  /** Intra-op threads (default: the machine's cores). */
  threads?: number;
  /** Where it runs (default cpu). */
  device?: Device;
  /**
   * Folder every external-data location of the model is relative to: the real folder of the .onnx file whose
   * weights the model references in place (onnxFile.ts), or the folder of its .onnx_data file.
   */
  modelDir: string;
}

export function defaultThreads(): number {
  return availableParallelism();
}

/**
 * An ONNX Runtime session as iw opens one: on CPU by default (device 'cuda', --device cuda, asks for the CUDA
 * execution provider, which needs onnxruntime-node installed with its CUDA binaries), with a given number of intra-op
 * threads, from model bytes held in memory whose weights it reads from `settings.modelDir`.
 */
export async function createSession(bytes: Uint8Array, settings: SessionSettings): Promise<InferenceSession> {
  return InferenceSession.create(bytes, {
    executionProviders: settings.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
    intraOpNumThreads: settings.threads ?? defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // A model loaded from memory finds its external data files through this folder.
    extra: { session: { model_external_initializers_file_folder_path: settings.modelDir } },
  });
}
