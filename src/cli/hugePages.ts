import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { measureFirstTouch } from '../util/index.js';

/**
 * The glibc tunable (glibc ≥ 2.35) that makes malloc mark the memory it maps for transparent huge pages. iw's
 * large buffers (ONNX Runtime's arena, the layer outputs, the kept differences) are touched once each; on the
 * virtual machines first measured, a first touch cost 13–16 µs per 4 KiB page, about 4 s per GiB, and a 2 MiB huge
 * page takes one fault instead of 512 (docs/performance.md#huge-pages). The numbers computed are the same either way.
 */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * IW_HUGE_PAGES=0 runs without relaunching (and so without huge pages unless the kernel gives them anyway);
 * IW_HUGE_PAGES=1 relaunches wherever asking gives them, however cheap a first touch is.
 */
const HUGE_PAGES_SWITCH = 'IW_HUGE_PAGES';

/**
 * The cost of a first touch of a 4 KiB page from which huge pages pay. Measured (docs/performance.md#huge-pages):
 * where it cost 13–16.5 µs, whole runs were 1.17–1.24× as fast with them; where it cost 2.2–3.3 µs, 0.85–0.96× (the
 * faults they save are cheap there, and their differences stage took longer). Between the two, a judgement.
 */
export const COSTLY_FIRST_TOUCH_MICROSECONDS = 8;

/** What decides whether a relaunch gains anything. */
export interface HugePageFacts {
  platform: NodeJS.Platform;
  /** The C library's version when it is glibc (process.report's glibcVersionRuntime), else undefined. */
  glibcVersion: string | undefined;
  /** The kernel's transparent-huge-page mode ('always', 'madvise', 'never'), or null where it cannot be read. */
  transparentHugePages: string | null;
  env: NodeJS.ProcessEnv;
  /** The command line after `iw`. */
  argv: readonly string[];
  /** What a first touch of a 4 KiB page costs here, in µs: measured (a few milliseconds) only when asked. */
  firstTouchMicroseconds: () => number;
}

/**
 * The commands that run a model or analyse its differences, whose large buffers gain from huge pages. The others
 * (help, check, compare, plot, stimuli) run as they are: a relaunch costs about 0.1 s, more than they would gain.
 */
const RELAUNCHED_COMMANDS = new Set(['estimate', 'yoking', 'merge', 'activations', 'layers', 'randomize']);

/** The command named on a command line: its first word that is not an option. */
function commandOf(argv: readonly string[]): string {
  return argv.find((word) => !word.startsWith('-')) ?? '';
}

/**
 * The environment to relaunch iw with so that malloc asks for huge pages, or null when that gains nothing: not
 * Linux with glibc ≥ 2.35; the kernel gives huge pages to every process ('always') or to none ('never'); the
 * tunable is already set (by the user, or this is the relaunched process); a light command; IW_HUGE_PAGES=0; or
 * a first touch of a page costs less than COSTLY_FIRST_TOUCH_MICROSECONDS here (unless IW_HUGE_PAGES=1).
 */
export function hugePagesEnvironment(facts: HugePageFacts): NodeJS.ProcessEnv | null {
  const choice = facts.env[HUGE_PAGES_SWITCH];
  if (choice === '0' || !RELAUNCHED_COMMANDS.has(commandOf(facts.argv))) return null;
  const tunables = tunableEntries(facts.env);
  if (!askingGivesHugePages(facts) || tunables.some(isHugetlbEntry)) return null;
  if (choice !== '1' && facts.firstTouchMicroseconds() < COSTLY_FIRST_TOUCH_MICROSECONDS) return null;
  return { ...facts.env, GLIBC_TUNABLES: [...tunables, HUGE_PAGES_TUNABLE].join(':') };
}

/** The environment as IW_HUGE_PAGES=0 leaves it, with no glibc.malloc.hugetlb entry either (whoever set one). */
export function environmentWithoutHugePages(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, [HUGE_PAGES_SWITCH]: '0', GLIBC_TUNABLES: tunableEntries(env).filter((entry) => !isHugetlbEntry(entry)).join(':') };
}

/** Whether a process with these facts gets huge pages for malloc's large buffers: the kernel gives them to all, or asked for. */
export function hugePagesInUse(facts: HugePageFacts): boolean {
  if (facts.platform === 'linux' && facts.transparentHugePages === 'always') return true;
  return askingGivesHugePages(facts) && tunableEntries(facts.env).includes(HUGE_PAGES_TUNABLE);
}

/** Linux in madvise mode with glibc ≥ 2.35: huge pages for malloc's memory come when, and only when, asked for. */
function askingGivesHugePages(facts: HugePageFacts): boolean {
  return facts.platform === 'linux' && facts.transparentHugePages === 'madvise' && glibcAtLeast(facts.glibcVersion, 2, 35);
}

/** GLIBC_TUNABLES' entries (name=value, colon-separated). */
function tunableEntries(env: NodeJS.ProcessEnv): string[] {
  return (env.GLIBC_TUNABLES ?? '').split(':').filter((entry) => entry !== '');
}

/** A glibc.malloc.hugetlb entry, whatever its value (a user's own choice stands). */
function isHugetlbEntry(entry: string): boolean {
  return entry.startsWith('glibc.malloc.hugetlb=');
}

/** This process's facts. */
export function currentHugePageFacts(): HugePageFacts {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return {
    platform: process.platform, glibcVersion: report?.header?.glibcVersionRuntime, transparentHugePages: transparentHugePageMode(),
    env: process.env, argv: process.argv.slice(2), firstTouchMicroseconds: () => measureFirstTouch(FIRST_TOUCH_PROBE_MEBIBYTES).microsecondsPerFault,
  };
}

/** Memory touched to measure a first touch's cost at start: 1,024 faults, 2–17 ms on the machines measured. */
const FIRST_TOUCH_PROBE_MEBIBYTES = 4;

/** The bracketed mode of /sys/kernel/mm/transparent_hugepage/enabled ("always [madvise] never"), or null. */
export function transparentHugePageMode(path = '/sys/kernel/mm/transparent_hugepage/enabled'): string | null {
  try {
    return /\[(\w+)\]/.exec(readFileSync(path, 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Set (to "1") in the relaunched process's environment: with the IPC channel it is started with, it tells that
 * process to stop, keeping its checkpoint, when the channel closes because the process that relaunched it ended
 * (src/cli/interrupt.ts), so that `kill -9` of the PID a user or a scheduler sees leaves no orphan running.
 */
export const RELAUNCHED_CHILD = 'IW_RELAUNCHED_CHILD';

/**
 * The signals that stop iw cleanly (src/cli/interrupt.ts), which a relaunching process passes on: Ctrl-C, how
 * schedulers and containers stop a job, and a closed terminal or SSH session.
 */
export const STOPPING_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs this same command again (same Node, flags, arguments, working directory, standard streams) in a child
 * process with the huge-page tunable set, since glibc reads tunables only when a process starts; this process
 * then only waits, passing on SIGINT, SIGTERM and SIGHUP, and gives back the child's exit code (or dies of the
 * child's signal). The child has an IPC channel to this process, which closes when this process ends, even by
 * SIGKILL: the child then stops too (RELAUNCHED_CHILD). Returns null, having started nothing, when a relaunch gains nothing (hugePagesEnvironment) or
 * the child cannot be started: then the caller runs the command itself. Costs one more Node start, about 0.1 s here.
 */
export async function relaunchWithHugePages(facts: HugePageFacts = currentHugePageFacts()): Promise<number | null> {
  const env = hugePagesEnvironment(facts);
  if (!env) return null;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...env, [RELAUNCHED_CHILD]: '1' },
  });
  const passOn = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of STOPPING_SIGNALS) process.on(signal, passOn);
  const stopPassing = () => STOPPING_SIGNALS.forEach((signal) => process.off(signal, passOn));
  return new Promise((resolve) => {
    child.on('error', () => {
      // 'error' also reports a signal that could not be passed on; only a child that never started means run here
      if (child.pid !== undefined) return;
      stopPassing();
      resolve(null);
    });
    child.once('exit', (code, signal) => {
      stopPassing();
      if (signal) {
        process.kill(process.pid, signal); // die as the child did, so that a caller sees the same signal
        resolve(128 + (constants.signals[signal] ?? 0)); // where the signal does not end this process
      } else resolve(code ?? 1);
    });
  });
}

function glibcAtLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const [found, foundMinor] = [Number(match[1]), Number(match[2])];
  return found > major || (found === major && foundMinor >= minor);
}
