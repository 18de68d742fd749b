import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath, sharedPath } from '../../helpers/shared.js';

/**
 * A family stand-in's reference (../shared/models/families/<name>/reference/hidden-states.json): the float64
 * hidden states of the PyTorch module that mirrors transformers' modeling code, with the weights read back from
 * the ONNX file, in transformers' output_hidden_states convention.
 */
export interface FamilyReference {
  text: string;
  input_ids: number[];
  hidden_states: number[][][];
  logits_last?: number[];
}

/** The stand-ins of ../shared/models/families (README there). */
export const sharedFamilies = sharedPath('models', 'families');
/** The stand-ins shipped with iw (fixtures/models/families/generate.py: Qwen3, Phi, BLOOM, Gemma 3). */
export const fixtureFamilies = fixturePath('models', 'families');

/** The stand-in folders of one families folder, with whether each has a reference. */
export function familyFolders(familiesDir: string): Array<{ name: string; folder: string; hasReference: boolean }> {
  if (!existsSync(familiesDir)) return [];
  return readdirSync(familiesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const folder = join(familiesDir, entry.name);
      return { name: entry.name, folder, hasReference: existsSync(join(folder, 'reference', 'hidden-states.json')) };
    });
}

export function readFamilyReference(folder: string, file = 'hidden-states.json'): FamilyReference {
  return JSON.parse(readFileSync(join(folder, 'reference', file), 'utf8')) as FamilyReference;
}

/**
 * The worst per-token relative difference of one layer: for each token, max |iw − reference| over the units
 * divided by max |reference| over the same token's units; then the largest over the tokens.
 */
export function worstTokenRelativeDifference(actual: ArrayLike<number>, reference: readonly number[][]): number {
  const width = reference[0].length;
  if (actual.length !== reference.length * width) throw new Error(`lengths differ: ${actual.length} and ${reference.length} × ${width}`);
  let worst = 0;
  reference.forEach((row, token) => {
    let difference = 0;
    let scale = 0;
    row.forEach((value, unit) => {
      difference = Math.max(difference, Math.abs(actual[token * width + unit] - value));
      scale = Math.max(scale, Math.abs(value));
    });
    worst = Math.max(worst, difference / (scale || 1));
  });
  return worst;
}
