import { escapeXml } from './plot/svg.js';

/**
 * Small HTML building blocks for the self-contained pages (report.html, compare.html): everything inline,
 * no scripts, no external files, so a page can be mailed or archived as one file.
 */
export function escapeHtml(text: string): string {
  return escapeXml(text);
}

export function htmlTable(headers: readonly string[], rows: readonly (readonly string[])[], numericColumns: ReadonlySet<number> = new Set()): string {
  const cell = (tag: 'th' | 'td', content: string, i: number) => `<${tag}${numericColumns.has(i) ? ' class="num"' : ''}>${escapeHtml(content)}</${tag}>`;
  const head = `<tr>${headers.map((h, i) => cell('th', h, i)).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((c, i) => cell('td', c, i)).join('')}</tr>`).join('\n');
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** A key–value table for metadata (model, settings, provenance). */
export function definitionTable(entries: readonly (readonly [string, string])[]): string {
  return `<table class="meta">\n${entries.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}\n</table>`;
}

/** A figure with its inline SVG (the XML prolog-free SVG text is valid HTML) and a caption. */
export function htmlFigure(svg: string, caption: string): string {
  return `<figure>\n${svg.trim()}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

export function htmlPage(title: string, body: readonly string[]): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 760px; margin: 0 auto; padding: 24px 20px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 6px; }
h3 { font-size: 14px; margin: 18px 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p, li { font-size: 14px; line-height: 1.45; }
.headline { color: #555; margin-top: 0; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.meta th { font-weight: normal; color: #555; white-space: nowrap; }
table.meta td { word-break: break-all; }
.wide { overflow-x: auto; }
figure { margin: 20px 0; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; color: #444; margin-top: 6px; line-height: 1.4; }
.warning { color: #8a4b00; }
</style>
</head>
<body>
<main>
${body.join('\n')}
</main>
</body>
</html>
`;
}
