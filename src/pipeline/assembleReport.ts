import type { YokingDesign } from '../analysis/index.js';
import { onnxPathAsGiven } from '../model/index.js';
import type { FirstWordRule, InexactPastReason, LanguageModel } from '../model/index.js';
import { rowLayout } from '../engine/index.js';
import { REPORT_FORMAT, type LayerUnitFitRows, type ReportInput } from '../report/index.js';
import { TokenCounter, tokenCountChangedShare } from '../stimuli/index.js';
import type { Stimuli, StimuliMeta } from '../stimuli/index.js';
import { packageVersion } from '../util/index.js';
import type { LayerFindings, LayerYokingFindings } from './analyzeLayers.js';
import { recordedSettings, type EstimateOptions } from '../config/index.js';
import type { Measurement } from './measureStimuli.js';
import { reportFutureSide, reportLayer, unitFitRows, unreportableReason } from './reportLayer.js';
import { reportOutput } from './reportOutput.js';

/** What the report says of the model: known while it is loaded, and carried in partial results for a merge. */
export interface ModelFacts {
  /** The ONNX file that was run, as the user named the model (onnxPathAsGiven). */
  path: string;
  architecture: string;
  layerCount: number;
  sha256: string;
  /** Whether the tokenizer put a space before the first word (byte-level BPE, as the authors' add_prefix_space). */
  prefixSpace: boolean;
  /** How the first word got its mid-text form (WordTokenizer.firstWord). */
  firstWord?: FirstWordRule;
  /** A hub id's revision as asked for, and the commit the hub resolved it to (absent for local folders). */
  revision?: string;
  commit?: string;
  /** Share of swaps whose replacement has another token count than the original (under the model's tokenizer). */
  tokenCountChangedShare: number;
  /** Why the fast engine's stacked pasts are not exact for the model (src/model/pastExactness.ts); absent when they are. */
  inexactPast?: InexactPastReason[];
}

export async function modelFactsOf(model: LanguageModel, stimuli: Stimuli): Promise<ModelFacts> {
  return {
    path: onnxPathAsGiven(model.resolved),
    architecture: model.resolved.architecture,
    layerCount: model.taps.length,
    sha256: await model.resolved.sha256(),
    prefixSpace: model.tokenizer.prefixSpace ?? false,
    firstWord: model.tokenizer.firstWord,
    ...(model.resolved.revision ? { revision: model.resolved.revision } : {}),
    ...(model.resolved.commit ? { commit: model.resolved.commit } : {}),
    tokenCountChangedShare: tokenCountChangedShare(stimuli, new TokenCounter(model.tokenizer)),
    ...(model.inexactPast && model.inexactPast.length > 0 ? { inexactPast: [...model.inexactPast] } : {}),
  };
}

/** A shard that a merged report was assembled from (provenance.shards). */
export interface ShardRecord {
  shard: string;
  sequences: [number, number];
  startedAt: string;
  durationSeconds: number;
  forwardPasses: number;
}

export interface RunRecord {
  options: EstimateOptions;
  modelName: string;
  model: ModelFacts;
  stimuli: Stimuli;
  stimuliSha256: string;
  measurement: Measurement;
  findings: LayerFindings[];
  /** Bidirectional models: the future side's findings, layer by layer as `findings`. */
  future?: LayerFindings[];
  yoking?: LayerYokingFindings[];
  /** With --readout output: the findings of the output window and the prediction divergence (reportOutput). */
  readout?: LayerFindings[];
  design?: YokingDesign;
  startedAt: Date;
  confidence: number;
  /** The shards a merged run was measured in. */
  shards?: ShardRecord[];
}

/** The iw-report/1 object of a run (validated by the caller), and the rows of fits.csv. */
export function assembleReport(run: RunRecord): { report: ReportInput; unitFits: LayerUnitFitRows[] } {
  const notes = runNotes(run);
  const reportable = run.findings.filter((findings) => {
    const reason = unreportableReason(findings);
    if (reason) notes.push(`layer ${findings.layer} is left out of the report: ${reason}`);
    return reason === null;
  });
  const yokingOf = (layer: number) => run.yoking?.find((y) => y.layer === layer);
  const report: ReportInput = {
    format: REPORT_FORMAT,
    model: {
      id: run.modelName,
      path: run.model.path,
      architecture: run.model.architecture,
      layerCount: run.model.layerCount,
      sha256: run.model.sha256,
      prefixSpace: run.model.prefixSpace,
      ...(run.model.firstWord ? { firstWord: run.model.firstWord } : {}),
      ...exactPathOf(run),
      ...(run.model.revision ? { revision: run.model.revision } : {}),
      ...(run.model.commit ? { commit: run.model.commit } : {}),
    },
    settings: settingsOf(run.options, run.modelName),
    provenance: {
      iw: packageVersion(),
      onnxruntime: packageVersion('onnxruntime-node'),
      device: run.options.device,
      node: process.version,
      startedAt: run.startedAt.toISOString(),
      durationSeconds: (Date.now() - run.startedAt.getTime()) / 1000,
      stimuliSha256: run.stimuliSha256,
      ...(run.shards ? { shards: run.shards } : {}),
    },
    stimuli: {
      sequences: run.stimuli.sequences.length,
      wordsPerSequence: run.stimuli.sequences[0].words.length,
      swaps: run.stimuli.sequences.reduce((sum, s) => sum + s.swaps.filter((w) => w !== null).length, 0),
      tokenCountChangedShare: run.model.tokenCountChangedShare,
      ...probableSwaps(run.stimuli),
    },
    notes,
    layers: reportable.map((findings) => withFutureSide(reportLayer(findings, yokingOf(findings.layer)), run, notes)),
  };
  if (run.options.bootstrap > 0) report.bootstrap = { replicates: run.options.bootstrap, level: run.confidence };
  if (run.design) report.yoking = yokingBlock(run, run.design);
  if (run.readout) withOutput(report, run.readout);
  return { report, unitFits: reportable.map(unitFitRows) };
}

/** The output read-out into the report, or (when it cannot be reported) the setting taken back with a note saying why. */
function withOutput(report: ReportInput, findings: LayerFindings[]): void {
  const output = reportOutput(findings);
  if (typeof output !== 'string') {
    report.output = output;
    report.notes.push('output: the next-token prediction after each word\'s last token (--readout output); its window sums |Δ log p| over the vocabulary before normalising (docs/method.md §9); fits.csv has no unit rows for it');
    return;
  }
  report.notes.push(`the output read-out is left out of the report: ${output}`);
  delete (report.settings as { readout?: string }).readout;
}

/** The settings a report records: every option that shapes the measurement or how it ran, and the model as named. */
export function settingsOf(options: EstimateOptions, modelName: string) {
  return { ...recordedSettings(options), model: modelName };
}

/** What the stimuli's meta says of probable swaps (the fill-mask model, ranks, fallbacks), when they are such swaps. */
function probableSwaps(stimuli: Stimuli): Pick<ReportInput['stimuli'], 'probable'> {
  const swap = (stimuli.meta as Partial<StimuliMeta> | undefined)?.swap;
  if (swap?.rule !== 'probable' || typeof swap.fallbackShare !== 'number') return {};
  const { probable, fallbackShare } = swap;
  if (!probable || typeof probable.model !== 'string' || !Array.isArray(probable.ranks)) return {};
  return { probable: { model: probable.model, sha256: probable.sha256, ranks: [probable.ranks[0], probable.ranks[1]], fallbackShare } };
}

/** A layer with its future side (bidirectional models), or a note saying why that side is missing. */
function withFutureSide(layer: ReportInput['layers'][number], run: RunRecord, notes: string[]): ReportInput['layers'][number] {
  const findings = run.future?.find((f) => f.layer === layer.layer);
  if (!findings) return layer;
  const future = reportFutureSide(findings);
  if (future) layer.future = future;
  else notes.push(`layer ${layer.layer}: its future side is left out of the report: ${unreportableReason(findings)}`);
  return layer;
}

function yokingBlock(run: RunRecord, design: YokingDesign): NonNullable<ReportInput['yoking']> {
  return {
    sentenceLength: design.sentenceLength,
    sentencesPerSequence: design.sentenceStarts.length,
    wordsPerSequence: run.stimuli.sequences[0].words.length,
    sentenceStarts: [...design.sentenceStarts],
    sequences: run.stimuli.sequences.length,
    stimuliSha256: run.stimuliSha256,
  };
}

/** report.model.exactPath: why the fast engine is not exact for the model and which path ran, when that is so. */
function exactPathOf(run: RunRecord): Pick<ReportInput['model'], 'exactPath'> {
  const reasons = run.model.inexactPast;
  if (!reasons || reasons.length === 0) return {};
  const engine = run.measurement.statistics.engine;
  if (engine === 'fast') throw new Error('the fast engine ran on a model whose stacked pasts are not exact');
  return { exactPath: { engine, rowsAlone: rowLayout({ inexactPast: reasons }).rowsAlone, reasons } };
}

/** Why the engine that ran is not the one asked for, when it is not. */
function engineNote(ran: string, asked: string, inexactPast: readonly InexactPastReason[] | undefined): string {
  if (ran === asked) return '';
  if (ran === 'bidirectional') return ` (asked for ${asked}; the model is bidirectional, so every swap is a full pass)`;
  if (inexactPast && inexactPast.length > 0) {
    return ` (asked for ${asked}; its stacked pasts would not be exact: ${inexactPast.map((r) => r.detail).join('; ')}; see model.exactPath)`;
  }
  return ` (asked for ${asked}; the model's export has no past inputs or position ids, so full passes are cut after each band instead)`;
}

/** What a reader should know to interpret the numbers. */
function runNotes(run: RunRecord): string[] {
  const { statistics, keep } = run.measurement;
  const notes = [
    'layer 0 is the embedding output in the Hugging Face hidden_states convention: with learned positions (GPT-2) it includes the position embeddings, which the paper\'s layer 0 leaves out',
    `engine: ${statistics.engine}${engineNote(statistics.engine, run.options.engine, run.model.inexactPast)}; ${statistics.forwardPasses} forward passes, ${statistics.tokensComputed} token positions`,
  ];
  if (run.future) {
    const words = run.stimuli.sequences[0].words.length;
    notes.push(
      `bidirectional model: every swap ran as a full pass, read on both sides of the swapped word; layers[i].future is the future side ` +
      `(the swapped word Δ words after the measured word t), measured at t = ${run.options.minSwap}..${words - 1 - run.options.maxLag} (t ≥ minSwap, t + maxLag ≤ N − 1); ` +
      'structure yoking, the model comparison and fits.csv are of the usual side',
    );
  }
  if (run.options.untrained) {
    notes.push(`untrained control: a random-weight twin of ${run.modelName} drawn with seed ${run.options.seed} (iw randomize: every parameter re-drawn as the architecture initializes it); stimuli were built with the trained model's tokenizer and embeddings`);
  }
  if (run.options.taps) {
    notes.push(`layers read from the tensors given with --taps (settings.taps), not found by structure: ${run.options.taps.map((tensor, layer) => `${layer} = ${tensor}`).join(', ')}`);
  }
  if (typeof keep === 'object') {
    notes.push(`per-sequence differences did not fit in memory: sequences were dealt into ${keep.groups} seeded groups, and the held-out split and bootstrap resample groups`);
  }
  const meta = run.stimuli.meta as { notes?: unknown } | undefined;
  if (meta && Array.isArray(meta.notes)) notes.push(...meta.notes.filter((n): n is string => typeof n === 'string').map((n) => `stimuli: ${n}`));
  if (run.design) {
    notes.push('windows and yoking were measured on the same yoking stimuli (sentences of exactly L single-token words); read layer 0\'s Y as the baseline for later layers (layer 0 integrates nothing)');
  }
  return notes;
}
