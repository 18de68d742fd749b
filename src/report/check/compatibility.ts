import { UserError } from '../../util/index.js';
import { estimateOptionsWith } from '../../config/index.js';
import type { Report } from '../schema.js';

/**
 * Settings that say where files are or how to run, not what is computed (options declared with effect
 * `runtime`): two runs that differ only in these are still comparable. `model` and `stimuli` hold paths that
 * differ between machines (the model is compared by the sha256 of its ONNX file; different stimuli are noted);
 * `engine` choices give the same numbers by design, so a check between them is a test of that.
 */
const settingsThatDoNotChangeResults: readonly string[] = estimateOptionsWith('runtime');

/**
 * Refuses (UserError, exit 2) a pair of reports whose numbers cannot be compared: different models, layers,
 * settings, or one with yoking and one without. Returns notes on differences that do not prevent a check.
 */
export function checkComparable(report: Report, baseline: Report, names: { report: string; baseline: string }, ignoredSettings: readonly string[] = []): string[] {
  const refuse = (reason: string) => {
    throw new UserError(`cannot check ${names.report} against ${names.baseline}: ${reason}`);
  };
  if (report.model.sha256 !== baseline.model.sha256) {
    refuse(`they are of different models: ${report.model.id} (ONNX sha256 ${report.model.sha256.slice(0, 12)}…) and ${baseline.model.id} (sha256 ${baseline.model.sha256.slice(0, 12)}…)`);
  }
  const layersOf = (r: Report) => r.layers.map((l) => l.layer).join(',');
  if (layersOf(report) !== layersOf(baseline)) refuse(`they measure different layers: ${layersOf(report)} and ${layersOf(baseline)}`);
  const differences = settingDifferences(report, baseline, new Set([...settingsThatDoNotChangeResults, ...ignoredSettings]));
  if (differences.length > 0) {
    refuse(`they were made with different settings: ${differences.join(', ')} (report vs baseline); rerun with the baseline's settings, or name settings that do not matter here with --ignore-settings`);
  }
  if ((report.yoking === undefined) !== (baseline.yoking === undefined)) {
    refuse(report.yoking ? 'the report has yoking results and the baseline has none' : 'the baseline has yoking results and the report has none');
  }
  const notes: string[] = [];
  if (report.provenance.stimuliSha256 !== baseline.provenance.stimuliSha256) notes.push('the stimuli differ (sha256 of the stimuli files)');
  if (report.yoking && baseline.yoking && report.yoking.stimuliSha256 !== baseline.yoking.stimuliSha256) notes.push('the yoking stimuli differ');
  for (const key of ['iw', 'onnxruntime', 'node'] as const) {
    if (report.provenance[key] !== baseline.provenance[key]) notes.push(`${key} ${report.provenance[key]} vs ${baseline.provenance[key]} in the baseline`);
  }
  return notes;
}

function settingDifferences(report: Report, baseline: Report, ignored: ReadonlySet<string>): string[] {
  const keys = [...new Set([...Object.keys(report.settings), ...Object.keys(baseline.settings)])].sort();
  const differences: string[] = [];
  for (const key of keys) {
    if (ignored.has(key)) continue;
    const [mine, theirs] = [report, baseline].map((r) => JSON.stringify((r.settings as Record<string, unknown>)[key]));
    if (mine !== theirs) differences.push(`${key} ${mine ?? '(unset)'} vs ${theirs ?? '(unset)'}`);
  }
  return differences;
}
