import { basename, dirname } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { readOnnxModel } from '../onnx/readOnnxModel.js';
import { editModelForTaps } from '../onnx/graphEdit.js';
import { planTaps, type TapPlan } from '../taps/tapPlan.js';
import { createSession } from './session.js';
import { readSignature, type SessionSignature } from './sessionSignature.js';

/** One ONNX file opened with its layers exposed as outputs: the session, where each layer comes out, what it takes. */
export interface TappedSession {
  file: string;
  session: InferenceSession;
  plan: TapPlan;
  signature: SessionSignature;
}

export interface TappedSessionOptions {
  /** Residual-stream units from the config; read from the embedding matrix when absent. */
  width?: number;
  expectedBlocks?: number;
  /** The user's taps (--taps): read these tensors as the layers instead of discovering them. */
  taps?: readonly string[];
  keepLogits: boolean;
  threads?: number;
}

/** Reads the file's graph and finds its layers without opening a session (fast: for listing layers). */
export async function readTapPlan(file: string, options: Pick<TappedSessionOptions, 'width' | 'expectedBlocks' | 'taps'>): Promise<TapPlan> {
  const { model } = await readOnnxModel(file);
  return planTaps(model, { ...options, fileLabel: fileLabel(file) });
}

export async function openTappedSession(file: string, options: TappedSessionOptions): Promise<TappedSession> {
  const { bytes, model, dataFolder } = await readOnnxModel(file);
  const plan = planTaps(model, { width: options.width, expectedBlocks: options.expectedBlocks, taps: options.taps, fileLabel: fileLabel(file) });
  const edited = editModelForTaps(bytes, model, plan, { keepLogits: options.keepLogits });
  const session = await createSession(edited, { threads: options.threads, modelDir: dataFolder });
  return { file, session, plan, signature: readSignature(session) };
}

function fileLabel(file: string): string {
  return `${basename(dirname(dirname(file)))}/${basename(dirname(file))}/${basename(file)}`;
}
