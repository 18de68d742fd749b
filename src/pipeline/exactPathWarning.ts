import { rowLayout, type EngineKind } from '../engine/index.js';
import type { InexactPastReason } from '../model/index.js';

/**
 * The one warning (stderr) of a run on a model whose fast-engine batches would not be exact: what was found (the op
 * or the config key), and which path runs instead. The report records the same in model.exactPath.
 */
export function exactPathWarning(modelName: string, reasons: readonly InexactPastReason[], engine: EngineKind): string {
  const layout = rowLayout({ inexactPast: reasons });
  const path = layout.rowsAlone
    ? 'every swap runs as a full pass of its whole sequence, alone in its batch and unpadded (what --engine naive computes)'
    : engine === 'truncated'
      ? 'swaps run as full passes cut after each band, which are exact for it'
      : `the ${engine} engine runs, as asked`;
  const meaning = layout.rowsAlone ? '; its windows also measure the quantization\'s mixing of positions (docs/models.md)' : '';
  return `iw: warning: ${modelName}: ${reasons.map((r) => r.detail).join('; ')}: stacked pasts would not be exact, so ${path}${meaning}; recorded in report.json (model.exactPath)\n`;
}
