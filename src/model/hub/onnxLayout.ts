import type { Dtype, OnnxLayoutKind } from '../types.js';

/**
 * Which ONNX files of a hub-layout repo iw runs, by dtype. File names follow transformers.js:
 * onnx/<base><suffix>.onnx, suffix by dtype (fp32 none, fp16 _fp16, q8 _quantized, int8 _int8, uint8 _uint8,
 * q4 _q4, q4f16 _q4f16, bnb4 _bnb4). Preference: one model.onnx (current exports); else decoder_model_merged.onnx (one
 * file and one session for both passes); else the decoder_model / decoder_with_past_model pair.
 *
 * @module
 */

/** The file-name suffix of each dtype (transformers.js' names). */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

export interface OnnxFiles {
  layout: OnnxLayoutKind;
  /** Repo-relative path of the full-pass file. */
  onnxFile: string;
  /** Repo-relative path of the with-past file of the pair layout. */
  withPastFile?: string;
}

export function layoutCandidates(dtype: Dtype): OnnxFiles[] {
  const file = (base: string) => `onnx/${base}${DTYPE_SUFFIX[dtype]}.onnx`;
  return [
    { layout: 'single', onnxFile: file('model') },
    { layout: 'merged', onnxFile: file('decoder_model_merged') },
    { layout: 'pair', onnxFile: file('decoder_model'), withPastFile: file('decoder_with_past_model') },
  ];
}

export function filesOf(choice: OnnxFiles): string[] {
  return choice.withPastFile ? [choice.onnxFile, choice.withPastFile] : [choice.onnxFile];
}

/** The first layout whose files all exist, by the preference above. */
export async function chooseLayout(dtype: Dtype, exists: (file: string) => Promise<boolean> | boolean): Promise<OnnxFiles | undefined> {
  for (const candidate of layoutCandidates(dtype)) {
    let complete = true;
    for (const file of filesOf(candidate)) complete &&= await exists(file);
    if (complete) return candidate;
  }
  return undefined;
}

/** The dtypes whose files are among `present` (for a message saying which --dtype would work). */
export function dtypesPresent(present: readonly string[]): Dtype[] {
  const names = new Set(present);
  return (Object.keys(DTYPE_SUFFIX) as Dtype[]).filter((dtype) =>
    layoutCandidates(dtype).some((candidate) => filesOf(candidate).every((file) => names.has(file))),
  );
}

/** What was looked for, for messages. */
export function describeCandidates(dtype: Dtype): string {
  return layoutCandidates(dtype).map((c) => filesOf(c).join(' + ')).join(', or ');
}
