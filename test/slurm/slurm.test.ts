import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

/**
 * The documented Slurm scripts on a real single-node Slurm (test/slurm/slurm-test.sh): 3 shards as an array job,
 * the merge job after them, the merged report against the one-machine run. CI installs slurm-wlm and munge and
 * runs as root; elsewhere the script says why Slurm cannot start and the test is skipped.
 */
describe('Slurm: the documented sharded run on a real single-node cluster', () => {
  it('submits examples/slurm/submit-sharded.sh and the merged report equals the one-machine run', (context) => {
    const result = spawnSync('bash', [join(repoRoot, 'test', 'slurm', 'slurm-test.sh')], { encoding: 'utf8', timeout: 900_000 });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.status === 77) {
      const reason = /SKIPPED: (.*)/.exec(output)?.[1] ?? 'Slurm cannot start here';
      console.log(`slurm test skipped: ${reason}`);
      context.skip(reason);
    }
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/slurm-test: PASSED/);
  }, 900_000);
});
