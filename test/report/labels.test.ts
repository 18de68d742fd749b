import { describe, expect, it } from 'vitest';
import { labelReports } from '../../src/report/index.js';
import { syntheticReport } from './helpers/syntheticReport.js';

describe('labels of compared reports', () => {
  const untrained = () => {
    const report = syntheticReport({ modelId: 'Xenova/gpt2' });
    report.settings.untrained = true;
    return report;
  };

  it('are model names, marked for an untrained twin', () => {
    const labels = labelReports([
      { path: 'a/report.json', report: syntheticReport({ modelId: 'Xenova/gpt2' }) },
      { path: 'b/report.json', report: untrained() },
      { path: 'c/report.json', report: syntheticReport({ modelId: '/models/gutenberg-gpt2-small/' }) },
    ]).map((r) => r.label);
    expect(labels).toEqual(['gpt2', 'gpt2 (untrained)', 'gutenberg-gpt2-small']);
  });

  it('fall back to the folder name, then to a number, where names repeat', () => {
    const labels = labelReports([
      { path: 'runs/seed1/report.json', report: syntheticReport({ modelId: 'Xenova/gpt2' }) },
      { path: 'runs/seed2/report.json', report: syntheticReport({ modelId: 'Xenova/gpt2' }) },
      { path: 'other/seed2/report.json', report: syntheticReport({ modelId: 'Xenova/gpt2' }) },
      { path: 'x/report.json', report: untrained() },
    ]).map((r) => r.label);
    expect(labels).toEqual(['seed1', 'seed2 #2', 'seed2 #3', 'gpt2 (untrained)']);
  });

  it('name the revision of a hub checkpoint other than main', () => {
    const at = (revision: string) => {
      const report = syntheticReport({ modelId: 'EleutherAI/pythia-70m' });
      report.model.revision = revision;
      return report;
    };
    const labels = labelReports([
      { path: 'a/report.json', report: at('step1000') },
      { path: 'b/report.json', report: at('step143000') },
      { path: 'c/report.json', report: at('main') },
    ]).map((r) => r.label);
    expect(labels).toEqual(['pythia-70m@step1000', 'pythia-70m@step143000', 'pythia-70m']);
  });
});
