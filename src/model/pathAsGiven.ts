import { join, relative } from 'node:path';
import type { ResolvedModel } from './types.js';

/**
 * The ONNX file that runs, named the way the user named the model: a folder given as a relative path stays
 * relative (models/gpt2/onnx/model.onnx), a hub id stays an id (Xenova/gpt2/onnx/model.onnx), an untrained twin
 * is named after the model it was drawn from. Reports and twin configs record this, not the absolute path the
 * file was read from (which holds the user's home and cache folders, and differs between machines); the
 * sha256 recorded beside it identifies the file.
 */
export function onnxPathAsGiven(resolved: ResolvedModel): string {
  return join(resolved.hubId ?? resolved.id, relative(resolved.localPath, resolved.onnxPath));
}
