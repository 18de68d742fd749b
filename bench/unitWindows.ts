import { computeLayerWindows, defaultWindowOptions } from '../src/analysis/index.js';
import { loadModel } from '../src/model/index.js';
import { measureStimuli } from '../src/pipeline/measureStimuli.js';
import type { Stimuli } from '../src/stimuli/types.js';
import { createRandom } from '../src/util/random.js';

/** Real unit windows to fit: every included unit of every layer, [windows × (maxLag + 1)] end to end. */
export interface UnitWindowSet {
  model: string;
  maxLag: number;
  count: number;
  windows: Float64Array;
}

/** Measures `stimuli` on the model at `modelPath` (every layer, as `iw estimate` does) and collects its unit windows. */
export async function measureUnitWindows(modelPath: string, stimuli: Stimuli, maxLag = 20): Promise<UnitWindowSet> {
  const model = await loadModel({ model: modelPath, quiet: true });
  try {
    const layers = model.taps.map((tap) => tap.layer);
    const { differences } = await measureStimuli(model, stimuli, {
      layers, maxLag, engine: 'fast', keptBytesLimit: 0, random: createRandom(1),
    });
    const rows: Float64Array[] = [];
    for (const layer of layers) {
      const windows = computeLayerWindows(differences.differences(layer), defaultWindowOptions);
      for (let u = 0; u < windows.width; u++) {
        if (windows.includedUnits[u]) rows.push(windows.unitWindows.subarray(u * (maxLag + 1), (u + 1) * (maxLag + 1)));
      }
    }
    const all = new Float64Array(rows.length * (maxLag + 1));
    rows.forEach((row, i) => all.set(row, i * (maxLag + 1)));
    return { model: modelPath, maxLag, count: rows.length, windows: all };
  } finally {
    await model.dispose();
  }
}
