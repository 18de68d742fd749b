import type { AnyOptionSpec } from './option.js';

/**
 * The README's option table, made from the same declarations as the flags and the config-file schema, so the
 * three cannot disagree (a test checks that the README holds this exact table).
 */
export function optionsMarkdownTable(specs: readonly AnyOptionSpec[]): string {
  const rows = specs.map((spec) => {
    const shown = spec.defaultDescription ?? (spec.defaultValue === undefined ? '' : JSON.stringify(spec.defaultValue));
    return `| \`${spec.flag.replace(/\|/g, '\\|')}\` | \`${spec.name}\` | ${shown ? `\`${shown}\`` : ''} | ${spec.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| flag | config key | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
