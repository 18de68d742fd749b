import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared.js';

const read = (...parts: string[]) => readFileSync(join(repoRoot, ...parts), 'utf8');

describe('docs/sharding.md and the cluster scripts it documents', () => {
  it('is linked from the README, and every file it links to exists', () => {
    expect(read('README.md')).toContain('(docs/sharding.md)');
    const doc = read('docs', 'sharding.md');
    const links = [...doc.matchAll(/\]\((\.\.\/examples\/[^)#]+|[a-z-]+\.md)(#[^)]*)?\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const link of links) expect(existsSync(join(repoRoot, 'docs', link)), link).toBe(true);
  });

  it('the Slurm scripts are valid bash, queue the merge behind the shards with afterok, and use --shard auto', () => {
    const dir = join(repoRoot, 'examples', 'slurm');
    for (const name of readdirSync(dir).filter((n) => /\.(sh|sbatch|env)$/.test(n))) {
      const check = spawnSync('bash', ['-n', join(dir, name)], { encoding: 'utf8' });
      expect(check.status, `${name}: ${check.stderr}`).toBe(0);
    }
    expect(read('examples', 'slurm', 'submit-sharded.sh')).toMatch(/sbatch --parsable --dependency="afterok:\$array"/);
    expect(read('examples', 'slurm', 'shards.sbatch')).toMatch(/--shard auto --out "\$IW_WORK\/parts\/\$SLURM_ARRAY_TASK_ID"/);
    expect(read('examples', 'slurm', 'compare.sbatch')).toMatch(/\$IW compare /);
  });

  it('the Kubernetes Job is Indexed, and IW_SHARDS equals its completions', () => {
    const job = read('examples', 'kubernetes', 'shards-job.yaml');
    expect(job).toMatch(/completionMode: Indexed/);
    const completions = /completions: (\d+)/.exec(job)![1];
    expect(job).toContain(`- name: IW_SHARDS\n              value: "${completions}"`);
    expect(job).toMatch(/--shard auto --out \/data\/parts\/\$\(JOB_COMPLETION_INDEX\)/);
  });
});
