import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimate, type EstimateOptions } from '../../src/pipeline/index.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { estimateOptionSpecs } from '../../src/config/options/estimateRun.js';
import { reportSchema, serializeReport } from '../../src/report/index.js';
import { STAGES } from '../../src/report/index.js';
import { iw } from '../helpers/runIw.js';

/** Small runs of the shipped tiny model on the shipped corpus: seconds, not minutes. */
const small = ['--sequences', '6', '--words', '24', '--max-lag', '8', '--quiet'];

function optionsFrom(flags: Record<string, unknown>): EstimateOptions {
  return resolveOptions(estimateOptionSpecs, flags);
}

/** The report without its timing fields (the only fields allowed to differ between identical runs). */
function withoutTiming(json: string): string {
  const report = JSON.parse(json);
  delete report.provenance.startedAt;
  delete report.provenance.durationSeconds;
  delete report.provenance.stageSeconds;
  return JSON.stringify(report);
}

describe('iw estimate on the shipped default model and corpus', () => {
  it('same seed, same inputs: the same report.json bytes but for the timing fields; another seed, other stimuli', async () => {
    const flags = { sequences: 5, words: 24, maxLag: 8, quiet: true, bootstrap: 8 };
    const first = await estimate(optionsFrom({ ...flags, seed: 3 }));
    const second = await estimate(optionsFrom({ ...flags, seed: 3 }));
    const other = await estimate(optionsFrom({ ...flags, seed: 4 }));
    expect(withoutTiming(serializeReport(second.report))).toBe(withoutTiming(serializeReport(first.report)));
    expect(other.report.provenance.stimuliSha256).not.toBe(first.report.provenance.stimuliSha256);
    // The bootstrap ran and gave intervals around the estimates.
    const layer = first.report.layers[1];
    expect(layer.intervals).toBeDefined();
    expect(first.report.bootstrap).toEqual({ replicates: 8, level: 0.95 });
  });

  it('records every stage\'s seconds in provenance, adding up to most of the run\'s wall time and no more', async () => {
    const startedAt = performance.now();
    const run = await estimate(optionsFrom({ sequences: 4, words: 24, maxLag: 8, quiet: true, bootstrap: 4, seed: 2 }));
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const stages = run.report.provenance.stageSeconds!;
    expect(Object.keys(stages)).toEqual([...STAGES]);
    for (const stage of ['openModel', 'forward', 'differences', 'fits', 'bootstrap'] as const) expect(stages[stage], stage).toBeGreaterThan(0);
    const total = Object.values(stages).reduce((sum, seconds) => sum + seconds, 0);
    expect(total).toBeLessThanOrEqual(wallSeconds);
    // What falls between stages is bookkeeping (choosing layers, starting the worker pool): a small share.
    expect(total).toBeGreaterThan(0.5 * wallSeconds);
  });

  it('writes report.json, CSVs, stimuli.json and plots, and the stimuli rerun gives the same windows', async () => {
    const out = mkdtempSync(join(tmpdir(), 'iw-estimate-'));
    const run = await iw('estimate', ...small, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/half-decay lag/);
    for (const file of ['report.json', 'windows.csv', 'fits.csv', 'stimuli.json', 'report.html']) expect(existsSync(join(out, file)), file).toBe(true);
    const report = reportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.layers.map((l) => l.layer)).toEqual([0, 1, 2]);
    // report.json is written last, with the writing's time added to the report stage.
    expect(report.provenance.stageSeconds!.report).toBeGreaterThan(0);
    expect(report.layers[0].window).toHaveLength(9);

    const again = mkdtempSync(join(tmpdir(), 'iw-estimate-'));
    const rerun = await iw('estimate', '--stimuli', join(out, 'stimuli.json'), '--max-lag', '8', '--quiet', '--no-plots', '--out', again);
    expect(rerun.code).toBe(0);
    const rerunReport = reportSchema.parse(JSON.parse(readFileSync(join(again, 'report.json'), 'utf8')));
    expect(rerunReport.provenance.stimuliSha256).toBe(report.provenance.stimuliSha256);
    expect(rerunReport.layers.map((l) => l.window)).toEqual(report.layers.map((l) => l.window));
    expect(existsSync(join(again, 'report.html'))).toBe(false);
  });

  it('prints the report itself with --json, and takes options from --config with flags winning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iw-config-'));
    const config = join(dir, 'base.json');
    writeFileSync(config, JSON.stringify({ maxLag: 6, sequences: 4, words: 20, layers: [0, 2] }));
    const run = await iw('estimate', '--config', config, '--max-lag', '5', '--json', '--quiet', '--no-plots', '--out', join(dir, 'out'));
    expect(run.code).toBe(0);
    const report = reportSchema.parse(JSON.parse(run.stdout));
    expect(report.settings.maxLag).toBe(5);
    expect(report.settings.sequences).toBe(4);
    expect(report.layers.map((l) => l.layer)).toEqual([0, 2]);
  });

  it('refuses bad input with one line naming the option, exit 2, no stack', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--max-lag', 'x'], /^iw: --max-lag must be a whole number from 1 to 200 \(got "x"\)\n$/],
      [['--layers', '7'], /^iw: --layers: the model has no layer 7; its layers are 0 to 2/],
      [['--words', '12', '--max-lag', '20'], /^iw: --max-lag 20 with --min-swap 2 needs sequences of at least 23 words .* --words is 12/],
      [['--stimuli', '/nonexistent/stimuli.json'], /\/nonexistent\/stimuli\.json/],
      [['--model', '/nonexistent/model'], /\/nonexistent\/model/],
    ];
    for (const [flags, message] of cases) {
      const run = await iw('estimate', '--quiet', '--no-plots', '--out', mkdtempSync(join(tmpdir(), 'iw-bad-')), ...flags);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr, flags.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
