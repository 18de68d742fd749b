import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPartial, readPartialHeader } from '../../src/shard/partialFile.js';
import { fixturePath, repoRoot } from '../helpers/shared.js';

/**
 * Shards, merges and restarts as a cluster runs them: every iw below is its own process (dist/bin/iw.js, built by
 * npm test before vitest runs). stories260K runs the fast engine, whose numbers would depend on batch padding, so
 * these tests see whether canonical padding keeps every row's bits whatever the split.
 */
const iwScript = join(repoRoot, 'dist', 'bin', 'iw.js');
// kill tests add --checkpoint-every 0: a checkpoint after every batch, so that a kill lands mid-way
const run = ['--model', fixturePath('models', 'stories260K'), '--sequences', '24', '--words', '16', '--max-lag', '5', '--bootstrap', '4', '--no-plots'];

interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function iwProcess(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [iwScript, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * Starts iw and stops it from outside once its checkpoint holds at least `swaps` swaps: SIGKILL goes to its whole
 * process group (iw and the process it may have relaunched for huge pages die at once, as on a lost node), other
 * signals to the process started, as a user or a scheduler sends them.
 */
function iwStoppedAt(args: string[], checkpoint: string, swaps: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit & { swapsSeen: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [iwScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '', stderr = '', swapsSeen = 0;
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('error', reject);
    const watch = setInterval(() => {
      swapsSeen = swapsIn(checkpoint);
      if (swapsSeen < swaps) return;
      clearInterval(watch);
      if (signal === 'SIGKILL') process.kill(-child.pid!, 'SIGKILL');
      else child.kill(signal);
    }, 5);
    child.on('close', (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal, stdout, stderr, swapsSeen });
    });
  });
}

/** Swaps in a checkpoint as a reader sees it now (0 while it does not exist or its header is being written). */
function swapsIn(checkpoint: string): number {
  try {
    return readPartial(checkpoint).swaps;
  } catch {
    return 0;
  }
}

async function ok(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  const exit = await iwProcess(args, env);
  expect(exit.code, `iw ${args.join(' ')}\n${exit.stderr}`).toBe(0);
  return exit;
}

/** report.json without its timing fields (stage times included) and the shard list, the only parts that may differ from one machine's. */
function comparable(dir: string): Record<string, unknown> {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  delete report.provenance.startedAt;
  delete report.provenance.durationSeconds;
  delete report.provenance.stageSeconds;
  delete report.provenance.shards;
  return report;
}

/** Largest relative difference over every number of two reports (and any non-number that differs). */
function largestDifference(a: unknown, b: unknown, path = ''): number {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(b as object).sort(), path).toEqual(Object.keys(a as object).sort());
    return Math.max(0, ...Object.keys(a as object).map((key) => largestDifference((a as never)[key], (b as never)[key], `${path}.${key}`)));
  }
  expect(b, path).toEqual(a);
  return 0;
}

function forwardPasses(dir: string): number {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  const note = (report.notes as string[]).find((n) => /forward passes/.test(n))!;
  return Number(/(\d+) forward passes/.exec(note)![1]);
}

describe('shards as separate processes, merged', () => {
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'iw-shards-'));
    await ok(['estimate', ...run, '--quiet', '--out', join(work, 'single')]);
    // shards run in another order than their numbers, as a scheduler may start them; shard 2 learns which it is from
    // the variables of a Slurm array task (--shard auto)
    for (const k of [3, 1]) await ok(['estimate', ...run, '--quiet', '--shard', `${k}/3`, '--out', join(work, 'parts', String(k))]);
    const slurm = await ok(['estimate', ...run, '--quiet', '--shard', 'auto', '--out', join(work, 'parts', '2')],
      { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_MAX: '7', SLURM_ARRAY_TASK_COUNT: '3' });
    expect(slurm.stdout).toMatch(/shard 2\/3: sequences 9–16; wrote .*iw-partial-2-of-3\.iwp/);
  }, 180_000);

  it('equal the one-machine run: the same windows, bit for bit, and every number, merged in any order', async () => {
    const single = comparable(join(work, 'single'));
    for (const [name, order] of [['merged', ['1', '2', '3']], ['reordered', ['3', '1', '2']]] as const) {
      const exit = await ok(['merge', ...order.map((k) => join(work, 'parts', k)), '--quiet', '--no-plots', '--out', join(work, name)]);
      expect(exit.stdout).toMatch(/merged 3 shards \(24 sequences\)/);
      const merged = comparable(join(work, name));
      expect(largestDifference(single, merged)).toBeLessThanOrEqual(1e-9);
      expect(merged).toEqual(single);
      expect(readFileSync(join(work, name, 'windows.csv'), 'utf8')).toBe(readFileSync(join(work, 'single', 'windows.csv'), 'utf8'));
      expect(readFileSync(join(work, name, 'stimuli.json'), 'utf8')).toBe(readFileSync(join(work, 'single', 'stimuli.json'), 'utf8'));
    }
    const report = JSON.parse(readFileSync(join(work, 'merged', 'report.json'), 'utf8'));
    expect(report.provenance.shards.map((s: { shard: string; sequences: number[] }) => [s.shard, s.sequences]))
      .toEqual([['1/3', [0, 8]], ['2/3', [8, 16]], ['3/3', [16, 24]]]);
    // shards keep no checkpoint once their partial is written
    expect(readdirSync(join(work, 'parts', '1'))).toEqual(['iw-partial-1-of-3.iwp']);
  }, 180_000);

  it('refuses a missing, a duplicated and a foreign part, naming it', async () => {
    const parts = (...ks: string[]) => ks.map((k) => join(work, 'parts', k));
    const missing = await iwProcess(['merge', ...parts('1', '3'), '--out', join(work, 'bad')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing shard 2\/3/);

    const twice = join(work, 'twice');
    mkdirSync(twice);
    copyFileSync(join(work, 'parts', '2', 'iw-partial-2-of-3.iwp'), join(twice, 'copy-of-2.iwp'));
    const duplicated = await iwProcess(['merge', ...parts('1', '2', '3'), join(twice, 'copy-of-2.iwp'), '--out', join(work, 'bad')]);
    expect(duplicated.code).toBe(2);
    expect(duplicated.stderr).toMatch(/shard 2\/3 is given twice: .*parts\/2\/iw-partial-2-of-3\.iwp and .*copy-of-2\.iwp/);

    await ok(['estimate', ...run, '--seed', '2', '--quiet', '--shard', '2/3', '--out', join(work, 'foreign')]);
    const foreign = await iwProcess(['merge', ...parts('1', '3'), join(work, 'foreign'), '--out', join(work, 'bad')]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/foreign\/iw-partial-2-of-3\.iwp is from another run than .*parts\/1\/iw-partial-1-of-3\.iwp: .*--seed \(1 in .*, 2 in .*\)/);
    expect(existsSync(join(work, 'bad'))).toBe(false);
  }, 180_000);

  it('a run killed by SIGKILL mid-way continues from its checkpoint: fewer forward passes, the same report', async () => {
    const out = join(work, 'killed');
    const killed = await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 60);
    expect(killed.signal).toBe('SIGKILL');
    expect(readdirSync(out)).toEqual(['iw-checkpoint.iwp']);

    // other settings: refused, saying what differs; the checkpoint stays
    const other = await iwProcess(['estimate', ...run, '--max-lag', '4', '--quiet', '--out', out]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/iw-checkpoint\.iwp is the checkpoint of another run; it differs in --max-lag \(5 in the checkpoint, 4 now\).*--restart/);

    const resumed = await ok(['estimate', ...run, '--out', out]);
    const resumedLine = /resuming from .*iw-checkpoint\.iwp: (\d+) of 24 sequences already done/.exec(resumed.stderr);
    expect(resumedLine, resumed.stderr).not.toBeNull();
    expect(Number(/\((\d+) of \d+ swaps\)/.exec(resumed.stderr)?.[1])).toBeGreaterThan(0);
    const counted = /this run computed (\d+) of the run's (\d+) forward passes/.exec(resumed.stderr)!;
    const [ranNow, total] = [Number(counted[1]), Number(counted[2])];
    expect(total).toBe(forwardPasses(join(work, 'single')));
    expect(ranNow).toBeLessThan(total);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));
    expect(existsSync(join(out, 'iw-checkpoint.iwp'))).toBe(false);
  }, 180_000);

  it('writes no swaps to the checkpoint of a run shorter than --checkpoint-every (watched as it runs, the checkpoint never holds one)', async () => {
    const out = join(work, 'short');
    const finished = await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '3600', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 1);
    expect(finished.code).toBe(0);
    expect(finished.swapsSeen).toBe(0);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));
    expect(existsSync(join(out, 'iw-checkpoint.iwp'))).toBe(false);
  }, 180_000);

  it('stopped by SIGTERM (as a scheduler stops a job), it says it is resuming even with --quiet; --restart starts over', async () => {
    const out = join(work, 'quiet');
    const stopped = await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 40, 'SIGTERM');
    expect(stopped.code).toBe(143);
    expect(stopped.stderr).toMatch(/interrupted \(SIGTERM\); .*iw-checkpoint\.iwp keeps what was measured: run the same command again to continue/);
    const resumed = await ok(['estimate', ...run, '--quiet', '--out', out]);
    expect(resumed.stderr).toMatch(/^iw: resuming from .*: \d+ of 24 sequences already done \(\d+ of \d+ swaps\)\n$/);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));

    const again = join(work, 'restart');
    await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', again], join(again, 'iw-checkpoint.iwp'), 40);
    const restarted = await ok(['estimate', ...run, '--quiet', '--restart', '--out', again]);
    expect(restarted.stderr).toBe('');
    expect(comparable(again)).toEqual(comparable(join(work, 'single')));
  }, 180_000);

  it('SIGTERM from outside, twice (a Slurm step signals every process, and iw may have relaunched itself), stops the run once, keeping its checkpoint', async () => {
    const out = join(work, 'signalled');
    const child = spawn(process.execPath, [iwScript, 'estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const checkpoint = join(out, 'iw-checkpoint.iwp');
    // a checkpoint with a record in it: the run is past its first batch of swaps
    while (!(existsSync(checkpoint) && statSync(checkpoint).size > 100_000)) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(stderr.match(/interrupted \(SIGTERM\)/g)).toHaveLength(1);
    const resumed = await ok(['estimate', ...run, '--quiet', '--out', out]);
    expect(resumed.stderr).toMatch(/^iw: resuming from /);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));
  }, 180_000);

  it('stopped by SIGHUP (a closed terminal or SSH session): exits 129 keeping its checkpoint, which the rerun continues', async () => {
    const out = join(work, 'hangup');
    const stopped = await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 40, 'SIGHUP');
    expect(stopped.code).toBe(129);
    expect(stopped.stderr).toMatch(/interrupted \(SIGHUP\); .*iw-checkpoint\.iwp keeps what was measured/);
    const resumed = await ok(['estimate', ...run, '--quiet', '--out', out]);
    expect(resumed.stderr).toMatch(/^iw: resuming from .*: \d+ of 24 sequences already done/);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));
  }, 180_000);

  it('a checkpoint that is empty or cut inside its header is no checkpoint: the rerun starts over, saying so in one line', async () => {
    for (const [name, bytes] of [['empty', Buffer.alloc(0)], ['cut', Buffer.from('IWPART1\n\x40\x00\x00\x00{"format":"iw-par', 'latin1')]] as const) {
      const out = join(work, `checkpoint-${name}`);
      mkdirSync(out);
      writeFileSync(join(out, 'iw-checkpoint.iwp'), bytes);
      const rerun = await ok(['estimate', ...run, '--quiet', '--out', out]);
      expect(rerun.stderr).toMatch(new RegExp(`^iw: .*checkpoint-${name}/iw-checkpoint\\.iwp holds no complete checkpoint \\((it is empty|its header is cut short)\\); starting over\n$`));
      expect(comparable(out)).toEqual(comparable(join(work, 'single')));
    }
  }, 180_000);

  it('a checkpoint damaged before its last record stops the rerun with a message naming --restart; a planted symlink is refused', async () => {
    const out = join(work, 'damaged');
    await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 60);
    const path = join(out, 'iw-checkpoint.iwp');
    const bytes = readFileSync(path);
    const firstRecord = readPartialHeader(path).validBytes;
    expect(firstRecord + 16 + bytes.readUInt32LE(firstRecord + 8)).toBeLessThan(readPartial(path).validBytes); // a later record follows it
    bytes[firstRecord + 12 + 5] ^= 0xff; // a float in the first record
    writeFileSync(path, bytes);
    const damaged = await iwProcess(['estimate', ...run, '--quiet', '--out', out]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/^iw: .*iw-checkpoint\.iwp is damaged \(the record at byte \d+ fails its CRC, with records after it\); add --restart to discard it and start over\n$/);
    await ok(['estimate', ...run, '--quiet', '--restart', '--out', out]);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));

    const planted = join(work, 'planted');
    mkdirSync(planted);
    const target = join(work, 'not-yours.iwp');
    writeFileSync(target, 'precious');
    symlinkSync(target, join(planted, 'iw-checkpoint.iwp'));
    const refused = await iwProcess(['estimate', ...run, '--quiet', '--out', planted]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/iw-checkpoint\.iwp is a symbolic link; iw never reads or writes a checkpoint through one/);
    expect(readFileSync(target, 'utf8')).toBe('precious');
  }, 180_000);

  it('a killed shard resumes too, and its unfinished part is refused by merge until it finishes', async () => {
    const out = join(work, 'shard-killed');
    const killed = await iwStoppedAt(['estimate', ...run, '--checkpoint-every', '0', '--quiet', '--shard', '3/3', '--out', out], join(out, 'iw-checkpoint-3-of-3.iwp'), 10);
    expect(killed.signal).toBe('SIGKILL');
    const early = await iwProcess(['merge', join(work, 'parts', '1'), join(work, 'parts', '2'), out, '--out', join(work, 'bad')]);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/shard-killed holds only iw-checkpoint-3-of-3\.iwp: that shard has not finished/);
    const resumed = await ok(['estimate', ...run, '--quiet', '--shard', '3/3', '--out', out]);
    expect(resumed.stderr).toMatch(/resuming from/);
    await ok(['merge', join(work, 'parts', '1'), join(work, 'parts', '2'), out, '--quiet', '--no-plots', '--out', join(work, 'after-kill')]);
    expect(comparable(join(work, 'after-kill'))).toEqual(comparable(join(work, 'single')));
  }, 180_000);
});

describe('the output read-out (--readout output) in shards and checkpoints', () => {
  const readoutRun = [...run.map((flag, i) => (run[i - 1] === '--sequences' ? '12' : flag)), '--readout', 'output'];
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'iw-readout-shards-'));
    await ok(['estimate', ...readoutRun, '--quiet', '--out', join(work, 'single')]);
    for (const k of [2, 1]) await ok(['estimate', ...readoutRun, '--quiet', '--shard', `${k}/2`, '--out', join(work, 'parts', String(k))]);
  }, 180_000);

  it('merged shards give the one-machine read-out exactly, intervals included', async () => {
    await ok(['merge', join(work, 'parts', '1'), join(work, 'parts', '2'), '--quiet', '--no-plots', '--out', join(work, 'merged')]);
    const merged = comparable(join(work, 'merged')), single = comparable(join(work, 'single'));
    expect((single as { output?: { intervals?: unknown } }).output?.intervals).toBeDefined();
    expect(merged).toEqual(single);
  }, 180_000);

  it('a run killed mid-way resumes with its read-out: the same report', async () => {
    const out = join(work, 'killed');
    const killed = await iwStoppedAt(['estimate', ...readoutRun, '--checkpoint-every', '0', '--quiet', '--out', out], join(out, 'iw-checkpoint.iwp'), 30);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await ok(['estimate', ...readoutRun, '--out', out]);
    expect(resumed.stderr).toMatch(/resuming from/);
    expect(comparable(out)).toEqual(comparable(join(work, 'single')));
  }, 180_000);
});
