import { basename, dirname, resolve } from 'node:path';
import { UserError } from '../../util/index.js';
import type { Report } from '../schema.js';

/** A report in a comparison, with the label its line and column carry. */
export interface ComparedReport {
  label: string;
  path: string;
  report: Report;
}

/**
 * Labels for reports compared side by side: the given ones, or each model's name (its id's last part, marked
 * "untrained" for an untrained twin); where two would be the same, the report's folder name instead, and where
 * those are the same too, a number.
 */
export function labelReports(reports: readonly { path: string; report: Report }[], given?: readonly string[]): ComparedReport[] {
  if (given) {
    if (given.length !== reports.length) throw new UserError(`--labels gives ${given.length} label(s) for ${reports.length} report(s); give one per report, in order`);
    return reports.map((r, i) => ({ ...r, label: given[i] }));
  }
  const count = (labels: readonly string[], label: string) => labels.filter((l) => l === label).length;
  const modelLabels = reports.map((r) => modelLabel(r.report));
  const labels = modelLabels.map((label, i) => (count(modelLabels, label) > 1 ? basename(dirname(resolve(reports[i].path))) : label));
  return reports.map((r, i) => ({ ...r, label: count(labels, labels[i]) > 1 ? `${labels[i]} #${i + 1}` : labels[i] }));
}

function modelLabel(report: Report): string {
  const base = report.model.id.replace(/[/\\]+$/, '').split(/[/\\]/).pop() || report.model.id;
  // Checkpoints of one repo differ only by revision (a sweep over step1000, step2000, …).
  const revision = report.model.revision;
  const name = revision && revision !== 'main' ? `${base}@${revision}` : base;
  return report.settings.untrained === true ? `${name} (untrained)` : name;
}
