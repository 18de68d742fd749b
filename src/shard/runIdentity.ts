import { estimateOptionsWith } from '../config/index.js';
import type { PartialHeader } from './partialFile.js';

/**
 * What makes results parts of one run: the model's and the stimuli's sha256, iw's version, and every setting that
 * changes numbers (options declared with effect `result`), and the engine, whose kinds agree only to float32
 * precision. Paths are left out (a model or stimuli file may sit elsewhere on another machine: their sha256 says
 * whether they are the same), as are options that only say where output goes, how the work is split, ONNX
 * Runtime's thread count and the hub cache.
 */
export type RunIdentity = PartialHeader['identity'];

const IDENTITY = new Set([...estimateOptionsWith('result'), 'engine']);
IDENTITY.delete('corpus');

export function runIdentity(facts: { iw: string; modelSha256: string; stimuliSha256: string; settings: Record<string, unknown> }): RunIdentity {
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(facts.settings).sort()) if (IDENTITY.has(key)) settings[key] = facts.settings[key];
  return { iw: facts.iw, modelSha256: facts.modelSha256, stimuliSha256: facts.stimuliSha256, settings };
}

/** How identity `other` differs from `reference`, one phrase per difference, e.g. `--max-lag (20 there, 10 here)`. */
export function identityDifferences(reference: RunIdentity, other: RunIdentity, there = 'there', here = 'here'): string[] {
  const differences: string[] = [];
  const show = (value: unknown) => (value === undefined ? 'unset' : typeof value === 'string' && /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}…` : JSON.stringify(value));
  const compare = (label: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${label} (${show(a)} ${there}, ${show(b)} ${here})`);
  };
  compare('the model (sha256)', reference.modelSha256, other.modelSha256);
  compare('the stimuli (sha256)', reference.stimuliSha256, other.stimuliSha256);
  compare('iw version', reference.iw, other.iw);
  const keys = [...new Set([...Object.keys(reference.settings), ...Object.keys(other.settings)])].sort();
  for (const key of keys) compare(flagOf(key), reference.settings[key], other.settings[key]);
  return differences;
}

/** A setting's flag: maxLag → --max-lag. */
function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
