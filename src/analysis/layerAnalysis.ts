import type { LayerDifferences } from '../measure/index.js';
import { fitLayerUnits, type LayerUnitFits } from './unitFits.js';
import { defaultWindowFitOptions, fitWindow, type WindowFit, type WindowFitOptions } from './windowFit.js';
import { computeLayerWindows, defaultWindowOptions, type LayerWindows, type WindowOptions } from './windows.js';

/** Windows and fits of one layer: what a report needs from the differences of a run. */
export interface LayerWindowAnalysis {
  layer: number;
  windows: LayerWindows;
  /** The population window's fit; null when every unit is excluded or the fit failed. */
  populationFit: WindowFit | null;
  /** Every unit's fit; null when unit fitting was turned off. */
  unitFits: LayerUnitFits | null;
}

export interface WindowAnalysisOptions {
  window: WindowOptions;
  fit: WindowFitOptions;
  /** Fit every unit window (the slow part: see fitLayerUnits). Default true. */
  fitUnits: boolean;
}

export const defaultWindowAnalysisOptions: WindowAnalysisOptions = {
  window: defaultWindowOptions,
  fit: defaultWindowFitOptions,
  fitUnits: true,
};

export function analyzeLayerWindows(differences: LayerDifferences, options: WindowAnalysisOptions = defaultWindowAnalysisOptions): LayerWindowAnalysis {
  const windows = computeLayerWindows(differences, options.window);
  return {
    layer: differences.layer,
    windows,
    populationFit: windows.populationWindow ? fitWindow(windows.populationWindow, options.fit) : null,
    unitFits: options.fitUnits ? fitLayerUnits(windows, options.fit) : null,
  };
}
