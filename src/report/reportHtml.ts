import { definitionTable, escapeHtml, htmlFigure, htmlPage, htmlTable } from './html.js';
import { layerSummaryColumns, layerWarnings, modelNames, readoutRows, reportHeadline, type SummaryColumn } from './layerSummary.js';
import { formatNumber } from './numberFormat.js';
import type { Figure } from './plot/reportFigures.js';
import { hasComparison } from './reportParts.js';
import { comparedModels, type Report } from './schema.js';

/** report.html: the summary table, every figure inline, model comparison, diagnostics and the run's metadata. */
export function reportHtml(report: Report, figures: readonly Figure[]): string {
  // Two narrower tables rather than one too wide for the page: the fitted window, then yoking and the model
  // comparison. Per-layer warnings go to the Diagnostics list.
  const columns = layerSummaryColumns(report, 'all').filter((c) => c.header !== 'notes');
  const fitted = columns.slice(0, 6);
  const more = columns.slice(6);
  const summary = summaryTable(report, fitted) + (more.length > 0 ? `\n${summaryTable(report, [columns[0], ...more])}` : '');
  const body = [
    `<h1>Integration windows: ${escapeHtml(report.model.id)}${report.settings.untrained === true ? ' (untrained twin)' : ''}</h1>`,
    `<p class="headline">${escapeHtml(reportHeadline(report))}</p>`,
    '<h2>Per layer</h2>',
    summary,
    intervalNote(report),
    ...warnings(report),
    '<h2>Figures</h2>',
    ...figures.map((f) => htmlFigure(f.svg, f.caption)),
    ...comparisonSection(report),
    '<h2>Run</h2>',
    definitionTable(runEntries(report)),
    ...report.notes.map((note) => `<p>${escapeHtml(note)}</p>`),
  ];
  return htmlPage(`iw report: ${report.model.id}`, body);
}

function summaryTable(report: Report, columns: readonly SummaryColumn[]): string {
  const numeric = new Set(columns.map((c, i) => (c.align === 'right' ? i : -1)));
  const rows = [...report.layers.map((l) => columns.map((c) => c.cell(l))), ...readoutRows(report, columns)];
  return `<div class="wide">${htmlTable(columns.map((c) => c.header), rows, numeric)}</div>`;
}

function intervalNote(report: Report): string {
  const half = `Half-decay lag: where the fitted population curve falls to 0.5 (>${report.settings.maxLag}: it stays above 0.5 up to maxLag). lag75: the lag by which 75 % of the area under the fitted curve over lags 0–${report.settings.maxLag} is reached.`;
  const intervals = report.bootstrap ? ` Brackets: ${formatNumber(report.bootstrap.level * 100)} % bootstrap intervals over sequences, ${report.bootstrap.replicates} replicates.` : '';
  return `<p>${escapeHtml(half + intervals)}</p>`;
}

function warnings(report: Report): string[] {
  const lines = report.layers.flatMap((l) => layerWarnings(l).map((w) => `layer ${l.layer}: ${w}`));
  if (lines.length === 0) return [];
  return ['<h2>Diagnostics</h2>', `<ul class="warning">${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    '<p>"Split not identified": the fit has two minima (a power-law tail with an exponential spike, and an exponential tail with a power-law spike) whose errors are within a few percent, so how the window divides between exponential and power law is not determined by the data; read a, b and c of those layers with care.</p>'];
}

function comparisonSection(report: Report): string[] {
  const layers = report.layers.filter(hasComparison);
  if (layers.length === 0) return [];
  const headers = ['layer', ...comparedModels.flatMap((m) => [`${modelNames[m]}: held-out error`, 'BIC']), 'best by BIC (ΔBIC)', 'best held out (error ratio)'];
  const rows = layers.map((l) => {
    const c = l.comparison;
    return [
      String(l.layer),
      ...comparedModels.flatMap((m) => [formatNumber(c.models[m].heldOutError), formatNumber(c.models[m].bic, 4)]),
      `${modelNames[c.winner.bic.model]} (${formatNumber(c.winner.bic.delta)})`,
      `${modelNames[c.winner.heldOutError.model]} (×${c.winner.heldOutError.ratio === null ? '∞' : formatNumber(c.winner.heldOutError.ratio)})`,
    ];
  });
  return [
    '<h2>Exponential, power law or mixture?</h2>',
    '<p>Each layer\'s population window fitted by an exponential alone (c = 0), a power law alone (c = 1) and the mixture. Held-out error: fit on one half of the sequences, score on the other, both ways. BIC: lower is better; a difference above 10 is strong evidence.</p>',
    `<div class="wide">${htmlTable(headers, rows, new Set(headers.map((_, i) => (i > 0 && i < headers.length - 2 ? i : -1))))}</div>`,
  ];
}

/** What report.model.firstWord means, for a reader of the page (docs/tokenization.md). */
const FIRST_WORD_TEXT: Record<NonNullable<Report['model']['firstWord']>, string> = {
  'leading space': 'mid-text form, by a space put before the text',
  tokenizer: 'mid-text form, as the tokenizer gives it by itself',
  none: 'start-of-text form',
};
/** Which exact path ran instead of the fast engine, and why, when the model needed one (report.model.exactPath). */
function exactPathEntry(report: Report): [string, string][] {
  const path = report.model.exactPath;
  if (!path) return [];
  const how = path.rowsAlone ? 'every pass a whole sequence alone in its batch, unpadded' : `${path.engine} passes`;
  return [['exact path', `${how}: ${path.reasons.map((r) => r.detail).join('; ')}`]];
}

function runEntries(report: Report): [string, string][] {
  const p = report.provenance;
  return [
    ['model', report.model.id],
    ['ONNX file', report.model.path],
    ['architecture', `${report.model.architecture}, ${report.model.layerCount} layers`],
    ['model sha256', report.model.sha256],
    ...(report.model.firstWord ? [['first word', FIRST_WORD_TEXT[report.model.firstWord]] as [string, string]] : []),
    ...exactPathEntry(report),
    ['stimuli', `${report.stimuli.sequences} sequences × ${report.stimuli.wordsPerSequence} words, ${report.stimuli.swaps} swaps, ${formatNumber(report.stimuli.tokenCountChangedShare * 100)} % changed the token count`],
    ['stimuli sha256', p.stimuliSha256],
    ...(report.yoking ? [['yoking stimuli', `${report.yoking.sequences} sequences of ${report.yoking.sentencesPerSequence} sentences × ${report.yoking.sentenceLength} words; sha256 ${report.yoking.stimuliSha256}`] as [string, string]] : []),
    ['settings', Object.entries(report.settings).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')],
    ['software', `iw ${p.iw}, onnxruntime-node ${p.onnxruntime}, Node ${p.node}`],
    ['started', `${p.startedAt} (took ${formatNumber(p.durationSeconds)} s)`],
  ];
}
