#!/usr/bin/env node
// Writes the JSON Schemas of iw's file formats into schemas/ (npm run docs:schemas).
import { join } from 'node:path';
import { publishedSchemaText, publishedSchemas } from '../src/report/publishedSchemas.js';
import { writeFileAtomic } from '../src/util/atomicWrite.js';
import { packageFile } from '../src/util/packageFile.js';

const root = packageFile('package.json').replace(/package\.json$/, '');
for (const schema of publishedSchemas()) {
  writeFileAtomic(join(root, schema.path), publishedSchemaText(schema));
  process.stdout.write(`wrote ${schema.path}\n`);
}
