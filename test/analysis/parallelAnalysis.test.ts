import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  analyzeLayersInParallel,
  analyzeLayerWindows,
  bootstrapWindowFits,
  bootstrapWindowFitsInParallel,
  createAnalysisRunner,
  defaultWindowAnalysisOptions,
  replicateWeights,
} from '../../src/analysis/index.js';
import { chunks } from '../../src/analysis/parallel/parallelAnalysis.js';
import { resampleWeights } from '../../src/measure/index.js';
import { createRandom, deriveSeed } from '../../src/util/random.js';
import { repoRoot } from '../helpers/shared.js';
import { plantedRun } from './synthetic.js';

/**
 * The analysis on worker threads must give exactly what it gives in this thread. Under vitest the sources are
 * TypeScript, which a worker cannot load, so the two-worker runs use the compiled worker in dist/ (npm test
 * compiles before it runs the tests); the one-worker runner runs in this thread.
 */
const compiledWorker = join(repoRoot, 'dist', 'src', 'analysis', 'parallel', 'analysisWorker.js');
const haveCompiledWorker = existsSync(compiledWorker);
const twoWorkers = createAnalysisRunner(2, pathToFileURL(compiledWorker));
const oneWorker = createAnalysisRunner(1);
afterAll(() => twoWorkers.close());

/** A planted run with per-unit windows that differ (so unit fits differ), 20 sequences kept apart. */
function run(seed: number) {
  return plantedRun({
    wordCount: 30, maxLag: 8, width: 12, sequences: 20, layers: [1, 4], noise: 0.3, random: createRandom(seed), keep: 'sequences',
    window: (unit, lag) => (0.3 + 0.05 * unit) * Math.pow(lag + 1, -(0.5 + 0.1 * unit)) + (0.7 - 0.05 * unit) * Math.exp(-(0.2 + 0.15 * unit) * lag),
  });
}

describe('analysis on worker threads', () => {
  it.skipIf(!haveCompiledWorker)(`runs on 2 workers when the compiled worker exists${haveCompiledWorker ? '' : ' [skipped: run npm run build first]'}`, () => {
    expect(twoWorkers.workers).toBe(2);
    expect(oneWorker.workers).toBe(1);
  });

  it.skipIf(!haveCompiledWorker)('gives the same windows and unit fits with 1 worker, 2 workers and no pool', async () => {
    const kept = run(3);
    const layers = kept.layers.map((layer) => kept.differences(layer));
    const alone = layers.map((differences) => analyzeLayerWindows(differences, defaultWindowAnalysisOptions));
    const one = await analyzeLayersInParallel(oneWorker, layers);
    const two = await analyzeLayersInParallel(twoWorkers, layers);
    expect(one).toEqual(alone);
    expect(two).toEqual(alone);
    expect(alone[0].unitFits!.fitted).toBe(12);
  });

  it.skipIf(!haveCompiledWorker)('gives the same bootstrap intervals with 1 worker, 2 workers and no pool', async () => {
    const kept = run(4);
    const options = { replicates: 23, confidence: 0.9, seed: 99, unitSubset: 5 };
    const alone = bootstrapWindowFits(kept, options);
    expect(await bootstrapWindowFitsInParallel(oneWorker, kept, options)).toEqual(alone);
    expect(await bootstrapWindowFitsInParallel(twoWorkers, kept, options)).toEqual(alone);
    expect(alone[1].unitMedians!.units).toHaveLength(5);
  });

  it('draws each replicate from its own stream, derived from the seed and the replicate index', () => {
    expect(Array.from(replicateWeights(20, 99, 7))).toEqual(Array.from(resampleWeights(20, createRandom(deriveSeed(99, 7)))));
    expect(Array.from(replicateWeights(20, 99, 7))).not.toEqual(Array.from(replicateWeights(20, 99, 8)));
    expect(Array.from(replicateWeights(20, 99, 7))).not.toEqual(Array.from(replicateWeights(20, 100, 7)));
  });

  it('splits work into contiguous ranges covering every item once, in order', () => {
    expect(chunks(10, 4)).toEqual([[0, 2], [2, 5], [5, 7], [7, 10]]);
    expect(chunks(2, 8)).toEqual([[0, 1], [1, 2]]);
    expect(chunks(0, 8)).toEqual([[0, 0]]);
  });
});
