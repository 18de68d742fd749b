/**
 * `node dist/bench/dtypeDifferences.js --model DIR --stimuli FILE [--sequences N]`: how far each weight dtype's
 * layers lie from the fp32 file's, on the original (unswapped) sequences of a stimuli file, every dtype present
 * in DIR's onnx/ (docs/models.md, Weight dtypes). Per layer: the relative RMS difference ‖x − x_fp32‖ / ‖x_fp32‖
 * over every token and unit, and the largest |x − x_fp32| beside the largest |x_fp32|. Each sequence runs alone
 * (batch 1, no padding), so a dynamically quantized file's scales see only that sequence.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel, textActivations, type Dtype } from '../src/model/index.js';
import { dtypesPresent } from '../src/model/hub/onnxLayout.js';
import { readStimuliFile } from '../src/stimuli/index.js';

interface LayerDifference {
  squaredDifference: number;
  squaredReference: number;
  largestDifference: number;
  largestReference: number;
}

/** Every layer's vectors, per sequence, as one flat array per layer. */
async function activationsOf(model: string, dtype: Dtype, texts: readonly string[]): Promise<number[][][]> {
  const lm = await loadModel({ model, dtype, threads: 2, quiet: true });
  try {
    const layers = lm.taps.map((t) => t.layer);
    const perText: number[][][] = [];
    for (const text of texts) perText.push((await textActivations(lm, text, layers, false)).layers.map((l) => l.values.flat()));
    return perText;
  } finally {
    await lm.dispose();
  }
}

function differences(values: number[][][], reference: number[][][]): LayerDifference[] {
  const layers = reference[0].map((): LayerDifference => ({ squaredDifference: 0, squaredReference: 0, largestDifference: 0, largestReference: 0 }));
  reference.forEach((sequence, s) => sequence.forEach((layer, l) => {
    const entry = layers[l];
    layer.forEach((x, i) => {
      const d = values[s][l][i] - x;
      entry.squaredDifference += d * d;
      entry.squaredReference += x * x;
      entry.largestDifference = Math.max(entry.largestDifference, Math.abs(d));
      entry.largestReference = Math.max(entry.largestReference, Math.abs(x));
    });
  }));
  return layers;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, stimuli: { type: 'string' }, sequences: { type: 'string', default: '20' } }, strict: true });
  if (!values.model || !values.stimuli) throw new Error('usage: dtypeDifferences --model DIR --stimuli FILE [--sequences N]');
  const texts = readStimuliFile(values.stimuli).sequences.slice(0, Number(values.sequences)).map((s) => s.words.join(' '));
  const dtypes = dtypesPresent(readdirSync(join(values.model, 'onnx')).map((f) => `onnx/${f}`));
  const reference = await activationsOf(values.model, 'fp32', texts);
  const columns: Array<[Dtype, LayerDifference[]]> = [];
  for (const dtype of dtypes.filter((d) => d !== 'fp32')) columns.push([dtype, differences(await activationsOf(values.model, dtype, texts), reference)]);
  const header = `| layer | ${columns.map(([d]) => d).join(' | ')} |`;
  const rule = `|---|${columns.map(() => '---').join('|')}|`;
  const rows = reference[0].map((_, l) => `| ${l} | ${columns.map(([, layers]) => {
    const e = layers[l];
    return `${Math.sqrt(e.squaredDifference / e.squaredReference).toExponential(1)} (${e.largestDifference.toPrecision(2)} of ${e.largestReference.toPrecision(3)})`;
  }).join(' | ')} |`);
  process.stdout.write(`${texts.length} sequences of ${values.stimuli}; relative RMS difference from fp32 (largest |difference| of largest |fp32 value|)\n${[header, rule, ...rows].join('\n')}\n`);
}

await main();
