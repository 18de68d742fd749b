import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReportJson, type Report } from '../../src/report/index.js';
import { runIw } from '../helpers/runIw.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

/** A model, its step-400 checkpoint and its untrained twin, each in its own run folder. */
function threeRuns(): { dir: string; paths: string[]; reports: Report[] } {
  const dir = mkdtempSync(join(tmpdir(), 'iw-compare-'));
  const trained = syntheticReport({ yoking: true, bootstrap: true, modelId: 'models/gutenberg-gpt2-small' });
  const step400 = syntheticReport({ yoking: true, bootstrap: true, noiseSeed: 2, modelId: 'models/gutenberg-gpt2-small-step400' });
  step400.layers.forEach((l) => { l.fit.population.c = Math.round(l.fit.population.c * 50) / 100; });
  const untrained = syntheticReport({ yoking: true, bootstrap: true, noiseSeed: 3, modelId: 'models/gutenberg-gpt2-small' });
  untrained.settings.untrained = true;
  const reports = [trained, step400, untrained];
  const paths = reports.map((report, i) => {
    const path = join(dir, `run${i}`, 'report.json');
    writeReportJson(report, path);
    return path;
  });
  return { dir, paths, reports };
}

/** The report with an output read-out (--readout output) whose two windows are copies of its last layer's. */
function withOutput(report: Report): Report {
  const last = report.layers[report.layers.length - 1];
  const { a, b, c, halfDecayLag, lag75 } = last.intervals!;
  const side = () => structuredClone({ window: last.window, fit: last.fit.population, identified: true, summary: last.summary, intervals: { a, b, c, halfDecayLag, lag75 } });
  report.settings.readout = 'output';
  report.output = { ...side(), divergence: side() };
  return report;
}

describe('iw compare', () => {
  it('prints each parameter per layer side by side, one column per report', async () => {
    const { paths } = threeRuns();
    const result = await runIw(['compare', ...paths]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(`  gutenberg-gpt2-small: ${paths[0]}`);
    const block = result.stdout.split('\n\n').find((b) => b.startsWith('c: weight of the power law'))!;
    const lines = block.split('\n');
    expect(lines[1].trim().split(/\s{2,}/)).toEqual(['layer', 'gutenberg-gpt2-small', 'gutenberg-gpt2-small-step400', 'gutenberg-gpt2-small (untrained)']);
    // Layer 8 of 9: planted c = 0.9; the step-400 copy was given half of it.
    expect(lines.find((l) => /^\s+8\s/.test(l))!.trim().split(/\s+/)).toEqual(['8', '0.9', '0.45', '0.9']);
    expect(result.stdout).toContain('Y: structure yoking (median over units)');
  });

  it('says where a report differs from the first beyond the bootstrap intervals (a quantized model and its original)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-compare-intervals-'));
    const original = withOutput(syntheticReport({ bootstrap: true, modelId: 'models/gpt2' }));
    const quantized = withOutput(syntheticReport({ bootstrap: true, modelId: 'models/gpt2' }));
    // Layer 3's lag75 moved by 5 words, its interval with it: [l − 1, l + 1] + 5 does not overlap [l − 1, l + 1].
    const layer3 = quantized.layers.find((l) => l.layer === 3)!;
    layer3.summary.lag75 += 5;
    layer3.intervals!.lag75 = [layer3.intervals!.lag75[0] + 5, layer3.intervals!.lag75[1] + 5];
    // Layer 5's c moved by less than its interval's half-width: still overlapping, not listed.
    const layer5 = quantized.layers.find((l) => l.layer === 5)!;
    layer5.intervals!.c = [layer5.intervals!.c![0] + 0.04, layer5.intervals!.c![1] + 0.04];
    // The prediction divergence's b moved beyond its interval; the output window's did not move.
    const divergence = quantized.output!.divergence;
    divergence.fit.b += 2;
    divergence.intervals!.b = [divergence.intervals!.b![0] + 2, divergence.intervals!.b![1] + 2];
    const paths = [original, quantized].map((report, i) => {
      const path = join(dir, i === 0 ? 'fp32' : 'q8', 'report.json');
      writeReportJson(report, path);
      return path;
    });
    const result = await runIw(['compare', ...paths, '--labels', 'fp32,q8']);
    expect(result.code).toBe(0);
    const section = result.stdout.slice(result.stdout.indexOf('differences beyond the bootstrap intervals'));
    const lines = section.trim().split('\n');
    expect(lines[0]).toBe('differences beyond the bootstrap intervals, against fp32 (intervals that do not overlap):');
    expect(lines.slice(1)).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}layer 3, lag75: q8 [\d.]+ \[[\d.]+, [\d.]+\], fp32 [\d.]+ \[[\d.]+, [\d.]+\]$/);
    expect(lines[2]).toMatch(/^ {2}divergence, b: q8 [\d.]+ \[[\d.]+, [\d.]+\], fp32 [\d.]+ \[[\d.]+, [\d.]+\]$/);
    const asJson = JSON.parse((await runIw(['compare', ...paths, '--labels', 'fp32,q8', '--json'])).stdout) as { beyondIntervals: Array<{ layer: number | string; quantity: string }> };
    expect(asJson.beyondIntervals.map((d) => [d.layer, d.quantity])).toEqual([[3, 'lag75'], ['divergence', 'b']]);
    const withoutBootstrap = join(dir, 'plain', 'report.json');
    writeReportJson(syntheticReport({ modelId: 'models/gpt2' }), withoutBootstrap);
    expect((await runIw(['compare', paths[0], withoutBootstrap])).stdout).toContain('none can be shown: every report needs bootstrap intervals (iw estimate --bootstrap N)');
  });

  it('writes the figures with one line per report, compare.csv and compare.html with --out', async () => {
    const { dir, paths, reports } = threeRuns();
    const out = join(dir, 'comparison');
    const result = await runIw(['compare', ...paths, '--out', out, '--labels', 'trained,step 400,untrained']);
    expect(result.code).toBe(0);
    for (const file of ['parameters.svg', 'yoking-index.svg', 'compare.csv', 'compare.html']) expect(existsSync(join(out, file)), file).toBe(true);
    const svg = readFileSync(join(out, 'parameters.svg'), 'utf8');
    expect(svg.match(/class="series"/g)).toHaveLength(4 * 3);
    expect(svg).toContain('data-label="step 400"');
    const csv = readFileSync(join(out, 'compare.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('label,report,layer,layer_count,max_lag,quantity,value,low,high');
    // 3 reports × 9 layers × 10 quantities (a, b, c, halfDecayLag, lag75, 3 unit medians, Y, Y control).
    expect(csv).toHaveLength(1 + 3 * 9 * 10);
    const [low, high] = reports[1].layers[8].intervals!.c!;
    expect(csv).toContain(`step 400,${paths[1]},8,9,20,c,0.45,${low},${high}`);
    expect(readFileSync(join(out, 'compare.html'), 'utf8').match(/<svg /g)).toHaveLength(2);
  });

  it('refuses one report, and labels that do not match the reports', async () => {
    const { paths } = threeRuns();
    expect(await runIw(['compare', paths[0]])).toMatchObject({ code: 2, stderr: 'iw: iw compare needs two or more reports (for one report, use iw plot)\n' });
    expect(await runIw(['compare', ...paths, '--labels', 'a,b'])).toMatchObject({ code: 2, stderr: 'iw: --labels gives 2 label(s) for 3 report(s); give one per report, in order\n' });
  });

  it('gives machines JSON with --json', async () => {
    const { paths, reports } = threeRuns();
    const [low, high] = reports[1].layers[8].intervals!.c!;
    const json = JSON.parse((await runIw(['compare', ...paths, '--json'])).stdout);
    expect(json.reports.map((r: { label: string }) => r.label)).toEqual(['gutenberg-gpt2-small', 'gutenberg-gpt2-small-step400', 'gutenberg-gpt2-small (untrained)']);
    expect(json.rows).toContainEqual({ label: 'gutenberg-gpt2-small-step400', layer: 8, quantity: 'c', value: 0.45, low, high });
  });
});
