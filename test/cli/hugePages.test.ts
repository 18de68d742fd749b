import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  COSTLY_FIRST_TOUCH_MICROSECONDS, currentHugePageFacts, environmentWithoutHugePages, HUGE_PAGES_TUNABLE, hugePagesEnvironment, hugePagesInUse, transparentHugePageMode, type HugePageFacts,
} from '../../src/cli/hugePages.js';
import { repoRoot } from '../helpers/shared.js';

/** A machine like the virtual machines iw was first measured on: a first touch costs 15 µs. */
const linux: HugePageFacts = {
  platform: 'linux', glibcVersion: '2.36', transparentHugePages: 'madvise', env: { PATH: '/bin' }, argv: ['estimate', '--model', 'm'], firstTouchMicroseconds: () => 15,
};

describe('huge pages: when iw relaunches itself with them', () => {
  it('relaunches a model command on Linux with glibc ≥ 2.35 and madvise mode, adding the tunable to any the user set', () => {
    expect(hugePagesEnvironment(linux)).toEqual({ PATH: '/bin', GLIBC_TUNABLES: HUGE_PAGES_TUNABLE });
    expect(hugePagesEnvironment({ ...linux, env: { GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=0' } })?.GLIBC_TUNABLES)
      .toBe(`glibc.malloc.trim_threshold=0:${HUGE_PAGES_TUNABLE}`);
    expect(hugePagesEnvironment({ ...linux, glibcVersion: '2.40' })).not.toBeNull();
    expect(hugePagesEnvironment({ ...linux, argv: ['--quiet', 'yoking'] })).not.toBeNull();
  });

  it('does not where it gains nothing, or once the tunable is set (the relaunched process), or with IW_HUGE_PAGES=0', () => {
    for (const facts of [
      { ...linux, platform: 'darwin' as const },
      { ...linux, glibcVersion: undefined }, // musl
      { ...linux, glibcVersion: '2.34' },
      { ...linux, transparentHugePages: 'always' },
      { ...linux, transparentHugePages: 'never' },
      { ...linux, transparentHugePages: null },
      { ...linux, env: { GLIBC_TUNABLES: HUGE_PAGES_TUNABLE } },
      { ...linux, env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' } }, // the user's choice stands
      { ...linux, env: { IW_HUGE_PAGES: '0' } },
      { ...linux, argv: ['check', 'report.json'] },
      { ...linux, argv: ['--help'] },
      { ...linux, firstTouchMicroseconds: () => 2.2 }, // faults are cheap: huge pages made runs slower there
    ]) expect(hugePagesEnvironment(facts), JSON.stringify(facts)).toBeNull();
  });

  it('measures a first touch only when everything else says relaunch; IW_HUGE_PAGES=1 relaunches where it is cheap', () => {
    const unmeasured = () => { throw new Error('measured'); };
    expect(hugePagesEnvironment({ ...linux, argv: ['check'], firstTouchMicroseconds: unmeasured })).toBeNull();
    expect(hugePagesEnvironment({ ...linux, env: { IW_HUGE_PAGES: '1' }, firstTouchMicroseconds: unmeasured })?.GLIBC_TUNABLES).toBe(HUGE_PAGES_TUNABLE);
    expect(hugePagesEnvironment({ ...linux, firstTouchMicroseconds: () => COSTLY_FIRST_TOUCH_MICROSECONDS })).not.toBeNull();
  });

  it('removes them as IW_HUGE_PAGES=0 would, keeping the other tunables', () => {
    const env = environmentWithoutHugePages({ PATH: '/bin', GLIBC_TUNABLES: `glibc.malloc.trim_threshold=0:${HUGE_PAGES_TUNABLE}` });
    expect(env).toEqual({ PATH: '/bin', IW_HUGE_PAGES: '0', GLIBC_TUNABLES: 'glibc.malloc.trim_threshold=0' });
    expect(hugePagesEnvironment({ ...linux, env })).toBeNull();
    expect(hugePagesInUse({ ...linux, env })).toBe(false);
  });

  it('says whether a process has them', () => {
    expect(hugePagesInUse(linux)).toBe(false);
    expect(hugePagesInUse({ ...linux, env: hugePagesEnvironment(linux)! })).toBe(true);
    expect(hugePagesInUse({ ...linux, transparentHugePages: 'always' })).toBe(true);
    expect(hugePagesInUse({ ...linux, transparentHugePages: 'never', env: { GLIBC_TUNABLES: HUGE_PAGES_TUNABLE } })).toBe(false);
  });

  it('reads the bracketed mode of the kernel file, and null where there is none', () => {
    const folder = mkdtempSync(join(tmpdir(), 'iw-thp-'));
    writeFileSync(join(folder, 'enabled'), 'always [madvise] never\n');
    expect(transparentHugePageMode(join(folder, 'enabled'))).toBe('madvise');
    expect(transparentHugePageMode(join(folder, 'missing'))).toBeNull();
  });
});

/** A script that relaunches itself as bin/iw does, then, as the relaunched process, does what `behaviour` says. */
function relaunchingScript(behaviour: string, folder = mkdtempSync(join(tmpdir(), 'iw-relaunch-'))): string {
  const script = join(folder, 'script.mjs');
  const dist = (...path: string[]) => JSON.stringify(join(repoRoot, 'dist', 'src', ...path));
  writeFileSync(script, `import { relaunchWithHugePages } from ${dist('cli', 'hugePages.js')};
import { exitCleanlyOnInterrupt } from ${dist('cli', 'interrupt.js')};
import { keepOnInterrupt } from ${dist('util', 'cleanup.js')};
import { writeFileSync } from 'node:fs';
const facts = { platform: 'linux', glibcVersion: '2.36', transparentHugePages: 'madvise', env: process.env, argv: ['estimate'], firstTouchMicroseconds: () => 15 };
const code = await relaunchWithHugePages(facts);
if (code !== null) process.exit(code);
process.stdout.write('child ' + process.pid + ' ' + process.env.GLIBC_TUNABLES + '\\n');
${behaviour}
`);
  return script;
}

function run(script: string, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, GLIBC_TUNABLES: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
  });
}

// The relaunch itself runs wherever Node does: the facts are given, and glibc ignores the tunable where it has none.
describe('huge pages: the relaunch (needs dist/: npm test builds it first)', () => {
  it('runs the command once, in a child with the tunable, and exits with its code', async () => {
    const result = await run(relaunchingScript('process.exit(3);'));
    expect(result.code).toBe(3);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^child \\d+ ${HUGE_PAGES_TUNABLE}$`));
  }, 30_000);

  it('passes SIGTERM on to the child, which ends as it chooses; dies of the signal the child died of', async () => {
    const handled = relaunchingScript("process.on('SIGTERM', () => process.exit(130)); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);");
    const stopped = await run(handled, (text, child) => { if (text.includes('ready')) child.kill('SIGTERM'); });
    expect(stopped.code).toBe(130);
    const killed = await run(relaunchingScript("process.kill(process.pid, 'SIGKILL');"));
    expect(killed.signal).toBe('SIGKILL');
  }, 30_000);

  it('kill -9 of the PID that $! gives (the relaunching process) stops the child too, which runs the cleanup registry', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'iw-orphan-'));
    const kept = join(folder, 'kept');
    const script = relaunchingScript(`exitCleanlyOnInterrupt();
keepOnInterrupt(() => { writeFileSync(${JSON.stringify(kept)}, 'kept'); return 'kept'; });
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`, folder);
    const shell = spawn('bash', ['-c', `"${process.execPath}" "${script}" & echo "started $!"; wait`], { env: { ...process.env, GLIBC_TUNABLES: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    shell.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    const ready = new Promise<void>((resolve) => shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready')) resolve();
    }));
    const closed = new Promise<void>((resolve) => shell.on('close', () => resolve()));
    await ready;
    const parent = Number(/started (\d+)/.exec(stdout)![1]);
    const child = Number(/child (\d+)/.exec(stdout)![1]);
    expect(child).not.toBe(parent);
    process.kill(parent, 'SIGKILL');
    await closed; // the child held the shell's stdout open: it has ended
    expect(alive(child)).toBe(false);
    expect(existsSync(kept) && readFileSync(kept, 'utf8')).toBe('kept');
    expect(stderr).toMatch(/interrupted \(the iw process that relaunched this one ended\); .*kept/);
  }, 30_000);

  it('this machine: the facts are read without error', () => {
    const facts = currentHugePageFacts();
    expect(['linux', 'darwin', 'win32', 'freebsd']).toContain(facts.platform);
    if (facts.platform === 'linux' && facts.transparentHugePages === null) console.warn('no /sys/kernel/mm/transparent_hugepage/enabled here: iw relaunches for nothing');
    expect(facts.firstTouchMicroseconds()).toBeGreaterThan(0);
  });
});

/** Whether a process runs (an ended one nobody has reaped yet, a zombie, counts as ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/\) Z /.test(stat);
}
