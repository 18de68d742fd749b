import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentHugePageFacts, hugePagesInUse } from '../src/cli/hugePages.js';
import { runCli } from '../src/cli/program.js';
import { readReport } from '../src/report/index.js';
import type { StageSeconds } from '../src/report/index.js';
import type { EngineKind } from '../src/engine/index.js';

/** What the parent asks a whole-run child to run. */
export interface WholeRunSpec {
  label: string;
  model: string;
  stimuliPath: string;
  engine: EngineKind;
  /** Also --readout output. */
  readout?: boolean;
}

export interface WholeRunResult {
  spec: WholeRunSpec;
  /** Wall seconds from the child process's start to the report written (Node's start and module loading included). */
  wallSeconds: number;
  /** The report's provenance.stageSeconds. */
  stageSeconds: StageSeconds;
  /** The kernel's peak resident set of the child in KiB: every thread (ONNX Runtime's, the fit workers') counts. */
  maxRssKiB: number;
  /** CPU seconds of the child, user and system, over every thread: what the run costs the machine. */
  cpuSeconds: number;
  /** Minor page faults of the child: pages of memory it touched for the first time (see firstTouch.ts). */
  minorPageFaults: number;
  /** Whether the child had huge pages for its large buffers (src/cli/hugePages.ts). */
  hugePages: boolean;
  forwardPasses: number;
  /** Each reported layer's population window (to check the PyTorch reference computed the same). */
  windows: Array<{ layer: number; window: number[] }>;
}

/** The line a whole-run child prints its result on. */
export const WHOLE_RUN_PREFIX = 'iw-bench-whole-run ';

/**
 * Child side: `iw estimate --stimuli ... --engine ... --quiet` through the CLI's own entry, in this process so
 * that its peak resident set is the run's, with the CLI's table and messages dropped. The parent starts it with
 * the environment the CLI would relaunch itself with (childResult.ts' cliEnvironment), since the CLI's relaunch happens in
 * bin/iw, before runCli.
 */
export async function runWholeRunFromArgument(specJson: string): Promise<void> {
  const spec = JSON.parse(specJson) as WholeRunSpec;
  const out = mkdtempSync(join(tmpdir(), 'iw-bench-run-'));
  try {
    const messages: string[] = [];
    const code = await runCli(
      ['estimate', '--model', spec.model, '--stimuli', spec.stimuliPath, '--engine', spec.engine, '--out', out, '--quiet', ...(spec.readout ? ['--readout', 'output'] : [])],
      { stdout: () => {}, stderr: (text) => messages.push(text), stderrIsTTY: false },
    );
    if (code !== 0) throw new Error(`iw estimate exited with ${code}: ${messages.join('')}`);
    const wallSeconds = performance.now() / 1000;
    const usage = process.resourceUsage();
    const report = readReport(join(out, 'report.json'));
    const passes = /(\d+) forward passes/.exec(report.notes.find((note) => /forward passes/.test(note)) ?? '');
    const result: WholeRunResult = {
      spec, wallSeconds, stageSeconds: report.provenance.stageSeconds!, maxRssKiB: usage.maxRSS,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, minorPageFaults: usage.minorPageFault,
      hugePages: hugePagesInUse(currentHugePageFacts()),
      forwardPasses: passes ? Number(passes[1]) : 0,
      windows: report.layers.map((layer) => ({ layer: layer.layer, window: layer.window })),
    };
    process.stdout.write(`${WHOLE_RUN_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
