import { z } from 'zod';
import { defineOption } from '../option.js';

/** Options of the commands that work on finished reports: iw check, iw compare, iw plot (src/report). */
export const baseline = defineOption({
  name: 'baseline',
  flag: '--baseline <report>',
  description: 'the stored report.json to compare with (e.g. one committed to the repository)',
  effect: 'runtime',
  schema: z.string().min(1, { error: 'must name a report.json' }),
});

export const tolerance = defineOption({
  name: 'tolerance',
  flag: '--tolerance <file>',
  description: 'JSON file of tolerances per quantity, e.g. {"a": {"abs": 0.05}, "halfDecayLag": {"rel": 0.1}} (default: the baseline\'s bootstrap intervals when both reports have them, else exact agreement)',
  effect: 'runtime',
  schema: z.string().min(1, { error: 'must name a JSON file' }),
});

export const ignoreSettings = defineOption({
  name: 'ignoreSettings',
  flag: '--ignore-settings <keys>',
  description: 'settings allowed to differ between the report and the baseline, comma-separated (e.g. dtype); settings that never change results (threads, out, cacheDir, ...) are always ignored',
  effect: 'runtime',
  schema: z.array(z.string().min(1), { error: 'must be setting names separated by commas, e.g. dtype,batchSize' }),
  parseFlag: parseList,
});

export const figuresOut = defineOption({
  name: 'out',
  flag: '--out <dir>',
  description: 'folder to write the figures and pages into (created if missing)',
  effect: 'output',
  schema: z.string().min(1, { error: 'must name a folder' }),
});

export const labels = defineOption({
  name: 'labels',
  flag: '--labels <list>',
  description: 'names for the reports in tables and legends, comma-separated, one per report in order (default: model names)',
  effect: 'output',
  schema: z.array(z.string().min(1), { error: 'must be names separated by commas, one per report' }).min(1),
  parseFlag: parseList,
});

/** "a, b,c" → ["a", "b", "c"]; empty items are dropped. */
function parseList(text: string): unknown {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}
