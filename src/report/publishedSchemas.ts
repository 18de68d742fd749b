import { z } from 'zod';
import { stimuliSchema } from '../stimuli/index.js';
import { REPORT_FORMAT, reportSchema } from './schema.js';

/** A JSON Schema file iw publishes, and the path in the package where it lives. */
export interface PublishedSchema {
  path: string;
  schema: Record<string, unknown>;
}

/**
 * JSON Schemas (draft 2020-12) of the files iw writes and reads, generated from the zod schemas that validate them,
 * so that Python and R users can validate report.json and stimuli files with any JSON Schema validator. They
 * describe the input side of each schema (what a file may hold); rules that tie fields together (lengths that
 * follow maxLag, parts that come as a whole) are zod refinements that JSON Schema cannot express, so `iw check`
 * and `readReport` remain the full test. `npm run docs:schemas` writes them; a test keeps them in step.
 */
export function publishedSchemas(): PublishedSchema[] {
  return [
    published('schemas/iw-report-1.schema.json', reportSchema, REPORT_FORMAT, 'report.json written by iw estimate and iw yoking'),
    published('schemas/iw-stimuli-1.schema.json', stimuliSchema, 'iw-stimuli/1', 'word-swap stimuli written by iw stimuli and beside every report'),
  ];
}

function published(path: string, schema: z.ZodType, format: string, what: string): PublishedSchema {
  const generated = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { path, schema: { $schema, title: format, description: `The ${format} format: ${what}.`, ...rest } };
}

/** The file text of a published schema: two-space JSON with a final newline. */
export function publishedSchemaText(published: PublishedSchema): string {
  return `${JSON.stringify(published.schema, null, 2)}\n`;
}
