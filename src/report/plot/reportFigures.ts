import { formatNumber } from '../numberFormat.js';
import { yokingResults, type YokingResults } from '../reportParts.js';
import type { Report } from '../schema.js';
import { seriesColor } from './colors.js';
import type { DepthSeries } from './depthPanel.js';
import { fitsFigure } from './fitsFigure.js';
import { layerAxis, parametersFigure } from './parametersFigure.js';
import { windowsFigure } from './windowsFigure.js';
import { yokingIndexFigure, yokingProfileFigure } from './yokingFigures.js';

/** One finished figure: its file name, a caption for report.html, and the SVG text. */
export interface Figure {
  file: string;
  title: string;
  caption: string;
  svg: string;
}

/** Every figure one report supports: windows, parameters, fits, and the two yoking figures when it has yoking. */
export function reportFigures(report: Report): Figure[] {
  const subtitle = figureSubtitle(report);
  const interval = report.bootstrap ? `${formatNumber(report.bootstrap.level * 100)} % bootstrap interval` : undefined;
  const twoSided = report.layers.some((l) => l.future);
  const figures: Figure[] = [
    {
      file: 'windows.svg',
      title: 'Population integration windows',
      caption: 'Each line is one layer\'s population window: the median over measured words of the mean over units of the swap effect at lag Δ, divided by the effect at lag 0.' +
        (twoSided ? ' The model is bidirectional: negative lags are its future side, where the swapped word comes Δ words after the measured word.' : ''),
      svg: windowsFigure(report, subtitle),
    },
    {
      file: 'parameters.svg',
      title: 'Fitted parameters against depth',
      caption: `Parameters of f(Δ) = c·(Δ+1)^−a + (1−c)·e^(−bΔ) per layer: the fit to the population window${interval ? ` (bars: ${interval})` : ''} and the median of the unit fits (bars: quartiles over units). The half-decay lag is where the fitted population curve falls to 0.5; △ marks layers where it stays above 0.5 up to maxLag.`,
      svg: parametersFigure('Fitted parameters against depth', subtitle, [
        { label: interval ? `population fit (bars: ${interval})` : 'population fit', style: { color: seriesColor(0), marker: 'circle' }, layers: report.layers, depthOf: (l) => l, maxLag: report.settings.maxLag, source: 'population' },
        { label: 'median over units (bars: quartiles)', style: { color: seriesColor(1), marker: 'square', hollow: true, dashed: true }, layers: report.layers, depthOf: (l) => l, maxLag: report.settings.maxLag, source: 'unitMedian' },
        ...(twoSided ? [{ label: 'future side: population fit', style: { color: seriesColor(2), marker: 'diamond' as const }, layers: report.layers, depthOf: (l: number) => l, maxLag: report.settings.maxLag, source: 'future' as const }] : []),
      ], layerAxis(report)),
    },
    {
      file: 'fits.svg',
      title: 'Fitted windows against the measured windows',
      caption: 'Per layer: the measured population window (points), the fitted curve (line), and the quartiles of the unit windows (band)' +
        (twoSided ? ', on both sides of the swapped word (negative lags: the future side)' : '') +
        (report.layers.some((l) => l.comparison) ? '; dashed: the best exponential-only and power-law-only fits (usual side).' : '.'),
      svg: fitsFigure(report, subtitle),
    },
  ];
  const yoking = yokingResults(report);
  if (yoking) figures.push(...yokingFigures(report, yoking, subtitle, interval));
  return figures;
}

function yokingFigures(report: Report, { stimuli: yoking, layers }: YokingResults, subtitle: string, interval: string | undefined): Figure[] {
  const lastLag = yoking.sentenceLength - 2;
  const bars = interval ? `bars: ${interval}` : 'bars: quartiles over units';
  const series: DepthSeries[] = [
    {
      label: `Y, lags 0–${lastLag}: median over units (${bars})`,
      style: { color: seriesColor(0), marker: 'circle' },
      points: layers.map(({ layer, yoking: y }) => ({ x: layer, y: y.median, low: y.ci?.[0] ?? y.q25, high: y.ci?.[1] ?? y.q75 })),
    },
    {
      label: `control: lags 1–${lastLag} only`,
      style: { color: seriesColor(1), marker: 'square', hollow: true, dashed: true },
      points: layers.map(({ layer, yoking: { controlLagsFrom1: control } }) => (
        { x: layer, y: control.median, low: control.ci?.[0] ?? control.q25, high: control.ci?.[1] ?? control.q75 }
      )),
    },
  ];
  const layer0 = layers.find((l) => l.layer === 0)?.yoking.median;
  const profileSubtitle = `${subtitle}; ${yoking.sentencesPerSequence} sentences of ${yoking.sentenceLength} words per sequence, ${yoking.sequences} sequences`;
  return [
    {
      file: 'yoking-index.svg',
      title: 'Structure yoking against depth',
      caption: `Y per layer: the mean of F(k) at sentence onsets after the first, where F(k) compares a swap at k with a swap at k − 1 over lags 0–${lastLag}, relative to the unit's median lag-0 effect. Y > 0: the effect of a swap is cut off at sentence boundaries. The control leaves out lag 0; layer 0 integrates nothing and is the baseline.`,
      svg: yokingIndexFigure('Structure yoking against depth', subtitle, series, { label: 'layer (0 = embedding output)', min: report.layers[0].layer, max: report.layers[report.layers.length - 1].layer, integer: true }, layer0),
    },
    {
      file: 'yoking-profile.svg',
      title: 'Structure yoking: F(k) at every swap position',
      caption: 'Population F(k) per layer (mean over units) at every swap position k; dashed lines mark sentence onsets. If windows depended on distance alone, F would be flat at 0.',
      svg: yokingProfileFigure(report, profileSubtitle),
    },
  ];
}

/** Model, lags and stimuli in one line under every figure title. */
export function figureSubtitle(report: Report): string {
  const model = `${report.model.id}${report.settings.untrained === true ? ' (untrained twin)' : ''}`;
  return `${model} · ${report.model.layerCount} layers · lags 0–${report.settings.maxLag} · ${report.stimuli.sequences} sequences × ${report.stimuli.wordsPerSequence} words · seed ${report.settings.seed}`;
}
