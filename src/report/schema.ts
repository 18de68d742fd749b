import { z } from 'zod';
import { recordedSettingsSchema } from '../config/index.js';
import { STAGES, type StageName } from './stages.js';

/**
 * The iw-report/1 format: everything `iw estimate` found, in one JSON file (report.json). This schema is the
 * contract between the pipeline that fills it and everything that reads it (tables, CSVs, plots, `iw check`,
 * `iw compare`); docs/formats.md describes the same fields.
 *
 * Rules that hold everywhere:
 * - Every number is finite. Where a quantity may not exist, the field is `null` and the field's comment says
 *   when (JSON cannot hold NaN or Infinity, and zod refuses them).
 * - Objects are strict: an unknown or misspelt key is refused, so nothing is dropped silently on writing.
 * - Timing and time-of-day fields live only in `provenance`; two runs with the same inputs differ nowhere else.
 * - Optional parts (`bootstrap` + `layers[i].intervals`, `yoking` + `layers[i].yoking`, `layers[i].comparison`)
 *   come together or not at all; see `checkConsistency`. `layers[i].future` is there for bidirectional models only.
 */
export const REPORT_FORMAT = 'iw-report/1';

const message = (text: string) => ({ error: text });
const finite = z.number(message('must be a finite number'));
const nullableFinite = finite.nullable();
const count = z.number(message('must be a whole number ≥ 0')).int(message('must be a whole number ≥ 0')).min(0, message('must be a whole number ≥ 0'));
const positiveCount = count.min(1, message('must be a whole number ≥ 1'));
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, message('must be a sha256 digest: 64 lowercase hex digits'));
const rate = finite.min(0, message('must be from 0 to 1')).max(1, message('must be from 0 to 1'));

/** A confidence interval [lo, hi] with lo ≤ hi. */
export const intervalSchema = z.tuple([finite, finite]).refine(([lo, hi]) => lo <= hi, message('must be [lo, hi] with lo ≤ hi'));

/**
 * An interval of a lag that may lie beyond maxLag: null stands for "beyond maxLag" (above every finite value),
 * so [3.2, null] means "from 3.2 to beyond maxLag" and [null, null] means "beyond maxLag" throughout.
 */
export const lagIntervalSchema = z.tuple([nullableFinite, nullableFinite])
  .refine(([lo, hi]) => lo === null ? hi === null : hi === null || lo <= hi, message('must be [lo, hi] with lo ≤ hi (null = beyond maxLag)'));

/** The three parameters of f(Δ) = c·(Δ+1)^(−a) + (1−c)·exp(−bΔ). */
export const curveParametersSchema = z.strictObject({
  a: finite.min(0, message('must be ≥ 0')),
  b: finite.min(0, message('must be ≥ 0')),
  c: rate,
});

/**
 * A quantile over units of a, b, c. a is summarised only over units whose fit gives the power law weight (c > 0)
 * and b only over units whose fit gives the exponential weight (c < 1): elsewhere the parameter does not shape the
 * curve and its value is arbitrary. null when no unit of the layer qualifies.
 */
const unitParametersSchema = z.strictObject({
  a: finite.min(0, message('must be ≥ 0')).nullable(),
  b: finite.min(0, message('must be ≥ 0')).nullable(),
  c: rate,
});

const fittedCurveSchema = z.strictObject({
  ...curveParametersSchema.shape,
  /** Sum of squared errors over lags 0..maxLag. */
  sse: finite.min(0, message('must be ≥ 0')),
});

const quartilesSchema = z.strictObject({ median: finite, q25: finite, q75: finite });

/**
 * Present when the fast engine's batches (pasts stacked with masked empty slots, new tokens padded) would not compute
 * what the model computes on each text alone, as iw found when it loaded the model: why, and the exact path that ran
 * instead (docs/models.md, "The exact path"). Absent when the fast engine is exact for the model.
 */
const exactPathSchema = z.strictObject({
  /**
   * The engine that ran: truncated (full passes cut after each band: GroupQueryAttention, sliding windows), naive
   * (whole sequences: ops that mix positions, or as asked), or bidirectional (an encoder's full passes).
   */
  engine: z.enum(['naive', 'truncated', 'bidirectional']),
  /** Every pass ran alone in its batch and unpadded (ops whose one value is computed over all positions and rows). */
  rowsAlone: z.boolean(),
  /** What was found: group-query-attention, sliding-window or position-mixing, and the op or config key. */
  reasons: z.array(z.strictObject({
    kind: z.enum(['group-query-attention', 'sliding-window', 'position-mixing']),
    detail: z.string().min(1),
  })).min(1, message('must hold at least one reason')),
});

const modelSchema = z.strictObject({
  /** What the user named: a hub id (Xenova/gpt2) or a folder. */
  id: z.string().min(1),
  /**
   * The ONNX file that was run, as the user named the model: a relative folder stays relative, a hub id stays an
   * id (Xenova/gpt2/onnx/model.onnx); never resolved to an absolute path. model.sha256 identifies the file.
   */
  path: z.string().min(1),
  /** config.json's model_type, e.g. "gpt2", "llama". */
  architecture: z.string().min(1),
  /** Readable layers in the Hugging Face hidden_states convention (embedding output + one per block). */
  layerCount: positiveCount,
  /** sha256 of the ONNX file. */
  sha256,
  /**
   * Whether the first word of every sequence was tokenized after a space, as the authors do (byte-level BPE and
   * Gemma's SentencePiece unless settings.prefixSpace is false; never Llama's or WordPiece). Absent in reports of older iw.
   */
  prefixSpace: z.boolean().optional(),
  /**
   * How the first word got its mid-text form (docs/tokenization.md): "leading space" (byte-level BPE; SentencePiece
   * without a dummy prefix, as Gemma's), "tokenizer" (it gives that form itself: Llama's dummy prefix, WordPiece),
   * or "none" (start-of-text form: --no-prefix-space, or a tokenizer for which neither works). Absent in reports
   * of older iw.
   */
  firstWord: z.enum(['leading space', 'tokenizer', 'none']).optional(),
  exactPath: exactPathSchema.optional(),
  /** A hub id's revision (branch, tag or commit) as asked for with --revision (default main); absent for a local folder and in reports of older iw. */
  revision: z.string().min(1).optional(),
  /** The commit the hub resolved the revision to (X-Repo-Commit), where it said so. */
  commit: z.string().regex(/^[0-9a-f]{40}$/, message('must be a 40-hex git commit')).optional(),
});

/**
 * The run's settings: every option of iw estimate that shapes the measurement or how it ran, by option name (the
 * config-file key, not the flag), resolved (flags > config file > defaults); which options those are is declared
 * on the options themselves (OptionSpec.effect, src/config/options/estimateRun.ts). Each value is checked by its
 * option's own schema and unknown keys are refused. seed and maxLag are required because readers depend on them.
 * Keys are written in sorted order.
 */
const settingsSchema = recordedSettingsSchema.extend({ seed: count, maxLag: positiveCount }).transform(sortedKeys);

/** Seconds of each stage of an `iw estimate` run, in the order the stages run (timing fields). */
const stageSecondsSchema = z.strictObject(
  Object.fromEntries(STAGES.map((stage) => [stage, finite.min(0, message('must be ≥ 0'))])) as Record<StageName, z.ZodNumber>,
);

const provenanceSchema = z.strictObject({
  /** iw's version. */
  iw: z.string().min(1),
  /** onnxruntime-node's version. */
  onnxruntime: z.string().min(1),
  /** Where ONNX Runtime ran the model (--device; absent in reports of iw before it had the option: cpu). */
  device: z.enum(['cpu', 'cuda']).optional(),
  /** process.version, e.g. "v20.19.0". */
  node: z.string().min(1),
  /** When the run started, ISO 8601 UTC (timing field). */
  startedAt: z.iso.datetime(message('must be an ISO 8601 UTC time such as 2025-01-31T12:00:00.000Z')),
  /** Wall-clock seconds the run took (timing field). */
  durationSeconds: finite.min(0, message('must be ≥ 0')),
  /** sha256 of the window stimuli as an iw-stimuli/1 file (canonical JSON as written beside the report). */
  stimuliSha256: sha256,
  /** A report merged from shards (iw merge): each shard, its sequences [from, to) and its timing (timing fields). */
  shards: z.array(z.strictObject({
    /** "K/N". */
    shard: z.string().regex(/^\d+\/\d+$/, message('must be K/N')),
    sequences: z.tuple([count, count]),
    startedAt: z.iso.datetime(message('must be an ISO 8601 UTC time such as 2025-01-31T12:00:00.000Z')),
    durationSeconds: finite.min(0, message('must be ≥ 0')),
    forwardPasses: count,
  })).optional(),
  /** Wall seconds of each stage of the run (timing fields; src/report/stages.ts says what each stage holds). */
  stageSeconds: stageSecondsSchema.optional(),
});

/** The window stimuli the windows and fits were measured on. */
const stimuliSchema = z.strictObject({
  sequences: positiveCount,
  wordsPerSequence: positiveCount,
  /** Swaps measured (positions with a replacement, over all sequences). */
  swaps: count,
  /** Share of swaps whose replacement has a different token count from the original (docs/method.md §1). */
  tokenCountChangedShare: rate,
  /**
   * Probable swaps only (--swap probable): the fill-mask model that ranked the replacements (as named, and its ONNX
   * file's sha256), the ranks [low, high) drawn from, and the share of positions that fell back to a random word.
   */
  probable: z.strictObject({
    model: z.string().min(1),
    sha256,
    ranks: z.tuple([count, positiveCount]),
    fallbackShare: rate,
  }).optional(),
});

/** Bootstrap over sequences: recorded once; each layer's `intervals` (and yoking `ci`) come from it. */
const bootstrapSchema = z.strictObject({
  replicates: positiveCount,
  /** Confidence level of every interval, e.g. 0.95. */
  level: finite.gt(0, message('must be between 0 and 1')).lt(1, message('must be between 0 and 1')),
});

/** Yoking stimuli: sequences of sentences of exactly sentenceLength words, so onsets are the same in every sequence. */
const yokingStimuliSchema = z.strictObject({
  sentenceLength: z.number().int().min(2, message('must be a whole number ≥ 2')),
  sentencesPerSequence: positiveCount,
  wordsPerSequence: positiveCount,
  /** Word indices where sentences start, ascending (e.g. [0, 12, 24, 36, 48]). */
  sentenceStarts: z.array(count).min(1),
  sequences: positiveCount,
  /** sha256 of the yoking stimuli file. */
  stimuliSha256: sha256,
});

const fitDiagnosticsSchema = z.strictObject({
  /** False when the best fit and the best fit from the other basin are within the identification tolerance. */
  identified: z.boolean(),
  /** (rival sse − best sse) / best sse; null when every start ended in one basin. */
  minimaGap: nullableFinite.refine((v) => v === null || v >= 0, message('must be ≥ 0 or null')),
  /** The lowest minimum of the other basin (power-law tail vs exponential tail); null when none was found. */
  rival: fittedCurveSchema.nullable(),
  /** Population-fit parameters that ended at a bound of their range. */
  atBound: z.array(z.enum(['a', 'b', 'c'])),
  /** Units whose fit converged. */
  unitsFitted: count,
  /** Unit fits with a parameter at a bound. */
  unitsAtBound: count,
  /** Unit fits whose two minima were within the identification tolerance. */
  unitsUnidentified: count,
  /** Unit fits that failed (not counted in the quartiles). */
  failedFits: count,
  /** Units left out because their lag-0 effect D(t, t) was zero (no window can be formed). */
  excludedUnits: count,
});

const yokingIndexSchema = z.strictObject({
  /** Median, quartiles over units of Y_u. */
  ...quartilesSchema.shape,
  /** Bootstrap interval of the median (present with `bootstrap`). */
  ci: intervalSchema.optional(),
});

const layerYokingSchema = z.strictObject({
  ...yokingIndexSchema.shape,
  /** Population F(k) (mean over units) for every swap position k = 0..wordsPerSequence−1; null where F is undefined (k = 0, or too near the end). */
  profile: z.array(nullableFinite),
  /** Y over lags 1..L−2 only (without the direct effect at lag 0). */
  controlLagsFrom1: yokingIndexSchema,
});

export const comparedModels = ['exponential', 'powerLaw', 'mixture'] as const;
export type ComparedModel = (typeof comparedModels)[number];
const comparedModelSchema = z.enum(comparedModels);

const comparedFitSchema = z.strictObject({
  /** null where the model has no such parameter (a for exponential, b for power law). */
  a: nullableFinite,
  b: nullableFinite,
  /** 0 for exponential, 1 for power law. */
  c: rate,
  parameterCount: positiveCount,
  sse: finite.min(0),
  /** Mean squared error on the held-out half of the sequences, averaged over both directions. */
  heldOutError: finite.min(0),
  bic: finite,
});

const comparisonSchema = z.strictObject({
  models: z.strictObject({ exponential: comparedFitSchema, powerLaw: comparedFitSchema, mixture: comparedFitSchema }),
  winner: z.strictObject({
    /** ratio = runner-up's held-out error ÷ the winner's (≥ 1; null when the winner's error is 0). */
    heldOutError: z.strictObject({ model: comparedModelSchema, runnerUp: comparedModelSchema, ratio: nullableFinite }),
    /** delta = runner-up's BIC − the winner's (≥ 0; > 10 is conventionally strong evidence). */
    bic: z.strictObject({ model: comparedModelSchema, runnerUp: comparedModelSchema, delta: finite.min(0) }),
  }),
});

/**
 * Intervals of a, b, c; null where the parameter was undefined in the replicates (a when the fits put no weight on
 * the power law, b when they put none on the exponential: there the parameter does not shape the curve).
 */
const parameterIntervalsSchema = z.strictObject({ a: intervalSchema.nullable(), b: intervalSchema.nullable(), c: intervalSchema.nullable() });

const layerIntervalsSchema = z.strictObject({
  /** Population fit's a, b, c. */
  ...parameterIntervalsSchema.shape,
  halfDecayLag: lagIntervalSchema,
  lag75: intervalSchema,
  /** The median over units of a, b, c. */
  unitMedian: parameterIntervalsSchema,
});

/**
 * One side of a layer's window: the usual side (the swapped word Δ words before the measured word t), or the future
 * side of a bidirectional model (an encoder: the swapped word Δ words after t, measured at the words t ≥ minSwap with
 * t + maxLag ≤ N − 1). Both sides are over Δ = 0..maxLag (1 at Δ = 0); intervals are there with `bootstrap`.
 */
const windowSideSchema = z.strictObject({
  /** Population window: median over t of (mean over units of W_u(Δ; t)), for Δ = 0..maxLag. */
  window: z.array(finite),
  /** Median and quartiles over units of the unit windows w_u(Δ), for Δ = 0..maxLag. */
  unitWindow: z.strictObject({ median: z.array(finite), q25: z.array(finite), q75: z.array(finite) }),
  fit: z.strictObject({
    population: fittedCurveSchema,
    units: z.strictObject({ median: unitParametersSchema, q25: unitParametersSchema, q75: unitParametersSchema }),
    diagnostics: fitDiagnosticsSchema,
  }),
  summary: z.strictObject({
    /** Lag where the fitted population curve falls to 0.5; null when it stays above 0.5 up to maxLag. */
    halfDecayLag: nullableFinite,
    /** Lag by which 75 % of the area under the fitted population curve over 0..maxLag is reached. */
    lag75: finite.min(0),
  }),
  intervals: layerIntervalsSchema.optional(),
});

const layerSchema = z.strictObject({
  /** Index in the hidden_states convention (0 = embedding output). */
  layer: count,
  /** Units (hidden size) of the layer. */
  units: positiveCount,
  /** The usual side: window, unitWindow, fit, summary, intervals. */
  ...windowSideSchema.shape,
  yoking: layerYokingSchema.optional(),
  comparison: comparisonSchema.optional(),
  /** Bidirectional models only: the future side of the window (absent for causal models). */
  future: windowSideSchema.optional(),
});

/**
 * One read-out window of the output (docs/method.md §9): the window over Δ = 0..maxLag (1 at Δ = 0), its fit, the
 * window size read from the fit, and intervals (with `bootstrap`). A single quantity per (k, t), so no unit fits.
 */
const readoutWindowSchema = z.strictObject({
  window: z.array(finite),
  fit: fittedCurveSchema,
  /** False when the two minima of the fit are within the identification tolerance (as diagnostics.identified of a layer). */
  identified: z.boolean(),
  summary: z.strictObject({ halfDecayLag: nullableFinite, lag75: finite.min(0) }),
  intervals: z.strictObject({ ...parameterIntervalsSchema.shape, halfDecayLag: lagIntervalSchema, lag75: intervalSchema }).optional(),
});

/**
 * The output read-out (settings.readout = "output"; causal models only): the output window, whose units are the
 * vocabulary's log-probabilities of the next token after each word (window = median over t of
 * Σ_v D_v(t − Δ, t) / Σ_v D_v(t, t)), with the model comparison a layer has, and the prediction divergence
 * (K(k, t) = mean over sequences of KL(p(t) ‖ p(t; swapped at k)); window = median over t of K(t − Δ, t) / K(t, t)).
 */
const outputSchema = z.strictObject({
  ...readoutWindowSchema.shape,
  comparison: comparisonSchema.optional(),
  divergence: readoutWindowSchema,
});

const reportShape = z.strictObject({
  format: z.literal(REPORT_FORMAT, message(`must be "${REPORT_FORMAT}"`)),
  model: modelSchema,
  settings: settingsSchema,
  provenance: provenanceSchema,
  stimuli: stimuliSchema,
  bootstrap: bootstrapSchema.optional(),
  yoking: yokingStimuliSchema.optional(),
  /** Free-text notes a reader should see, e.g. "layer 0 includes position embeddings (the paper's does not)". */
  notes: z.array(z.string()),
  layers: z.array(layerSchema).min(1, message('must hold at least one layer')),
  /** With --readout output only: the output read-out beside the layers. */
  output: outputSchema.optional(),
});

export const reportSchema = reportShape.superRefine(checkConsistency);

export type Report = z.output<typeof reportSchema>;
export type ReportInput = z.input<typeof reportSchema>;
export type ReportLayer = Report['layers'][number];
export type ReportCurveParameters = z.output<typeof curveParametersSchema>;
export type ReportLayerYoking = NonNullable<ReportLayer['yoking']>;
export type ReportLayerComparison = NonNullable<ReportLayer['comparison']>;
export type ReportReadoutWindow = NonNullable<Report['output']>['divergence'];

type ReportShape = z.output<typeof reportShape>;

/** Rules that tie fields together: lengths follow maxLag, optional parts come as a whole. */
function checkConsistency(report: ReportShape, context: z.RefinementCtx): void {
  const issue = (path: (string | number)[], text: string) => context.addIssue({ code: 'custom', path, message: text });
  let previous = -1;
  report.layers.forEach((layer, i) => {
    const at = (...rest: (string | number)[]) => ['layers', i, ...rest];
    if (layer.layer <= previous) issue(at('layer'), 'layers must be in ascending order of layer, each once');
    if (layer.layer >= report.model.layerCount) issue(at('layer'), `must be below model.layerCount (${report.model.layerCount})`);
    previous = layer.layer;
    checkWindowSide(report, layer, at, issue, 'every layer');
    checkLayerYoking(report, layer, at, issue);
    if (layer.future) checkWindowSide(report, layer.future, (...rest) => at('future', ...rest), issue, 'the future side');
  });
  if (report.yoking) checkYokingStimuli(report.yoking, issue);
  checkOutput(report, issue);
}

/** The output read-out is there exactly when settings.readout asks for it, and its windows keep a layer's rules. */
function checkOutput(report: ReportShape, issue: (path: (string | number)[], text: string) => void): void {
  const asked = report.settings.readout === 'output';
  if (asked !== (report.output !== undefined)) {
    issue(['output'], asked ? 'is missing: settings.readout is "output"' : 'needs settings.readout = "output"');
    return;
  }
  if (!report.output) return;
  const sides = [[report.output, ['output']], [report.output.divergence, ['output', 'divergence']]] as const;
  for (const [side, path] of sides) {
    const lagCount = report.settings.maxLag + 1;
    if (side.window.length !== lagCount) issue([...path, 'window'], `must hold maxLag + 1 = ${lagCount} values (lags 0..maxLag), has ${side.window.length}`);
    const { halfDecayLag, lag75 } = side.summary;
    if (halfDecayLag !== null && (halfDecayLag < 0 || halfDecayLag > report.settings.maxLag)) issue([...path, 'summary', 'halfDecayLag'], `must be from 0 to maxLag (${report.settings.maxLag}) or null`);
    if (lag75 > report.settings.maxLag) issue([...path, 'summary', 'lag75'], `must be from 0 to maxLag (${report.settings.maxLag})`);
    if ((side.intervals !== undefined) !== (report.bootstrap !== undefined)) {
      issue([...path, 'intervals'], report.bootstrap ? 'is missing: the report has a bootstrap block' : 'needs the top-level bootstrap block (replicates and level)');
    }
  }
}

/** The lengths and ranges one side of a layer's window must keep: lags 0..maxLag, summaries within them, intervals with a bootstrap block. */
function checkWindowSide(
  report: ReportShape,
  side: Pick<ReportShape['layers'][number], 'window' | 'unitWindow' | 'summary' | 'intervals'>,
  at: (...rest: (string | number)[]) => (string | number)[],
  issue: (path: (string | number)[], text: string) => void,
  whose: string,
): void {
  const lagCount = report.settings.maxLag + 1;
  if (side.window.length !== lagCount) issue(at('window'), `must hold maxLag + 1 = ${lagCount} values (lags 0..maxLag), has ${side.window.length}`);
  for (const key of ['median', 'q25', 'q75'] as const) {
    if (side.unitWindow[key].length !== lagCount) issue(at('unitWindow', key), `must hold maxLag + 1 = ${lagCount} values, has ${side.unitWindow[key].length}`);
  }
  const { halfDecayLag, lag75 } = side.summary;
  if (halfDecayLag !== null && (halfDecayLag < 0 || halfDecayLag > report.settings.maxLag)) issue(at('summary', 'halfDecayLag'), `must be from 0 to maxLag (${report.settings.maxLag}) or null`);
  if (lag75 > report.settings.maxLag) issue(at('summary', 'lag75'), `must be from 0 to maxLag (${report.settings.maxLag})`);
  if ((side.intervals !== undefined) !== (report.bootstrap !== undefined)) {
    issue(at('intervals'), report.bootstrap ? `is missing: the report has a bootstrap block, so ${whose} needs intervals` : 'needs the top-level bootstrap block (replicates and level)');
  }
}

function checkLayerYoking(report: ReportShape, layer: ReportShape['layers'][number], at: (...rest: (string | number)[]) => (string | number)[], issue: (path: (string | number)[], text: string) => void): void {
  if ((layer.yoking !== undefined) !== (report.yoking !== undefined)) {
    issue(at('yoking'), report.yoking ? 'is missing: the report has a yoking block, so every layer needs yoking results' : 'needs the top-level yoking block (sentence length and starts)');
    return;
  }
  if (!layer.yoking || !report.yoking) return;
  if (layer.yoking.profile.length !== report.yoking.wordsPerSequence) {
    issue(at('yoking', 'profile'), `must hold one value per swap position (yoking.wordsPerSequence = ${report.yoking.wordsPerSequence}), has ${layer.yoking.profile.length}`);
  }
  const hasCi = layer.yoking.ci !== undefined || layer.yoking.controlLagsFrom1.ci !== undefined;
  if (hasCi && !report.bootstrap) issue(at('yoking', 'ci'), 'needs the top-level bootstrap block (replicates and level)');
  if (!layer.yoking.ci && report.bootstrap) issue(at('yoking', 'ci'), 'is missing: the report has a bootstrap block');
}

function checkYokingStimuli(yoking: NonNullable<ReportShape['yoking']>, issue: (path: (string | number)[], text: string) => void): void {
  if (yoking.wordsPerSequence !== yoking.sentenceLength * yoking.sentencesPerSequence) {
    issue(['yoking', 'wordsPerSequence'], 'must equal sentenceLength × sentencesPerSequence');
  }
  const starts = yoking.sentenceStarts;
  if (starts.some((start, i) => start >= yoking.wordsPerSequence || (i > 0 && start <= starts[i - 1]))) {
    issue(['yoking', 'sentenceStarts'], `must be ascending word indices below wordsPerSequence (${yoking.wordsPerSequence})`);
  }
}

/** Settings come from option tables and config files in any order; sorted keys (at every depth) keep the JSON byte-stable. */
function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return sorted as T;
}
