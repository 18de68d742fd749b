import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { serializeReport } from '../../src/report/index.js';
import { publishedSchemaText, publishedSchemas } from '../../src/report/publishedSchemas.js';
import { repoRoot } from '../helpers/shared.js';
import { syntheticReport } from './helpers/syntheticReport.js';

describe('published JSON Schemas (schemas/)', () => {
  for (const schema of publishedSchemas()) {
    it(`${schema.path} is what the zod schema generates (npm run docs:schemas)`, () => {
      expect(readFileSync(join(repoRoot, schema.path), 'utf8')).toBe(publishedSchemaText(schema));
    });
  }

  it('names every field the zod report schema has, and refuses unknown ones', () => {
    const report = publishedSchemas()[0].schema as { properties: Record<string, { properties?: Record<string, unknown>; additionalProperties?: unknown }>; additionalProperties: unknown };
    expect(Object.keys(report.properties)).toEqual(expect.arrayContaining(['format', 'model', 'settings', 'provenance', 'stimuli', 'notes', 'layers']));
    expect(report.additionalProperties).toBe(false);
    expect(report.properties.settings.additionalProperties).toBe(false);
    expect(Object.keys(report.properties.settings.properties!)).toEqual(expect.arrayContaining(['seed', 'maxLag', 'minSwap', 'dtype']));
  });

  it('validates a report iw writes, and refuses one with an unknown setting, in an independent validator (Ajv)', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(publishedSchemas()[0].schema);
    const written = JSON.parse(serializeReport(syntheticReport({ yoking: true })));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...written, settings: { ...written.settings, zeta: 1 } })).toBe(false);
    expect(validate({ ...written, format: 'iw-report/0' })).toBe(false);
    const stageSeconds = { openModel: 2, stimuli: 0.5, forward: 30, differences: 1, fits: 4, bootstrap: 0, report: 0.25 };
    expect(validate({ ...written, provenance: { ...written.provenance, stageSeconds } }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...written, provenance: { ...written.provenance, stageSeconds: { ...stageSeconds, warmUp: 1 } } })).toBe(false);
  });
});
