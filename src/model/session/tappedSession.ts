import { basename, dirname } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { readOnnxModel } from '../onnx/readOnnxModel.js';
import { editModelForTaps } from '../onnx/graphEdit.js';
import { INPUT_IDS, planTaps, type TapPlan } from '../taps/tapPlan.js';
import { graphInexactReasons } from '../pastExactness.js';
import type { Device, InexactPastReason, LogitsKept } from '../types.js';
import { createSession } from './session.js';
import { readSignature, refuseUnknownInputs, type SessionSignature } from './sessionSignature.js';

/** One ONNX file opened with its layers exposed as outputs: the session, where each layer comes out, what it takes. */
export interface TappedSession {
  file: string;
  session: InferenceSession;
  plan: TapPlan;
  signature: SessionSignature;
  /** What in the graph makes a stacked, masked past inexact (pastExactness.ts); empty when nothing does. */
  inexactPast: InexactPastReason[];
}

export interface TappedSessionOptions {
  /** Residual-stream units from the config; read from the embedding matrix when absent. */
  width?: number;
  expectedBlocks?: number;
  /** The user's taps (--taps): read these tensors as the layers instead of discovering them. */
  taps?: readonly string[];
  logits: LogitsKept;
  threads?: number;
  device?: Device;
}

/** Reads the file's graph and finds its layers without opening a session (fast: for listing layers). */
export async function readTapPlan(file: string, options: Pick<TappedSessionOptions, 'width' | 'expectedBlocks' | 'taps'>): Promise<TapPlan> {
  const { model } = await readOnnxModel(file);
  return planTaps(model, { ...options, fileLabel: fileLabel(file) });
}

export async function openTappedSession(file: string, options: TappedSessionOptions): Promise<TappedSession> {
  const { bytes, model, dataFolder } = await readOnnxModel(file);
  const initializers = new Set(model.graph.initializer.map((t) => t.name));
  refuseUnknownInputs(model.graph.input.map((v) => v.name).filter((name) => !initializers.has(name)), fileLabel(file));
  const plan = planTaps(model, { width: options.width, expectedBlocks: options.expectedBlocks, taps: options.taps, fileLabel: fileLabel(file) });
  const edited = editModelForTaps(bytes, model, plan, { logits: options.logits });
  const session = await createSession(edited, { threads: options.threads, device: options.device, modelDir: dataFolder });
  return { file, session, plan, signature: readSignature(session), inexactPast: graphInexactReasons(model.graph, INPUT_IDS) };
}

function fileLabel(file: string): string {
  return `${basename(dirname(dirname(file)))}/${basename(dirname(file))}/${basename(file)}`;
}
