import { availableParallelism } from 'node:os';
import { InferenceSession } from 'onnxruntime-node';

/**
 * ONNX Runtime sessions as iw opens them: on CPU by default (IW_DEVICE=cuda asks for the CUDA execution
 * provider, which needs onnxruntime-node installed with its CUDA binaries), with a given number of intra-op
 * threads, from an edited model held in memory.
 */
export interface SessionSettings {
  /** Intra-op threads (default: the machine's cores). */
  threads?: number;
  /** Folder of the original .onnx file: external data (.onnx_data) is read from there. */
  modelDir: string;
}

export function defaultThreads(): number {
  return availableParallelism();
}

export async function createSession(bytes: Uint8Array, settings: SessionSettings): Promise<InferenceSession> {
  return InferenceSession.create(bytes, {
    executionProviders: executionProviders(),
    intraOpNumThreads: settings.threads ?? defaultThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
    // A model loaded from memory finds its external data files through this folder.
    extra: { session: { model_external_initializers_file_folder_path: settings.modelDir } },
  });
}

function executionProviders(): string[] {
  const device = process.env.IW_DEVICE?.toLowerCase();
  return device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'];
}
