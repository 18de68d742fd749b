import { describe, expect, it } from 'vitest';
import { StageTimer } from '../../src/pipeline/stageTimer.js';
import { STAGES } from '../../src/report/index.js';

/** A clock that stands still until the test moves it (milliseconds, as performance.now gives). */
function manualClock() {
  let now = 1000;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

describe('StageTimer', () => {
  it('adds the wall time of every piece of a stage, and gives 0 for a stage never timed', async () => {
    const clock = manualClock();
    const timer = new StageTimer(clock.now);
    expect(timer.time('fits', () => { clock.advance(1500); return 'done'; })).toBe('done');
    await timer.timeAsync('fits', async () => { clock.advance(250); });
    timer.add('forward', 3);
    expect(timer.seconds()).toEqual({ openModel: 0, stimuli: 0, forward: 3, differences: 0, fits: 1.75, bootstrap: 0, report: 0 });
    expect(Object.keys(timer.seconds())).toEqual([...STAGES]);
  });

  it('counts the time of work that fails, and lets the failure through', async () => {
    const clock = manualClock();
    const timer = new StageTimer(clock.now);
    expect(() => timer.time('stimuli', () => { clock.advance(100); throw new Error('bad stimuli'); })).toThrow('bad stimuli');
    await expect(timer.timeAsync('openModel', async () => { clock.advance(2000); throw new Error('no model'); })).rejects.toThrow('no model');
    expect(timer.secondsOf('stimuli')).toBe(0.1);
    expect(timer.secondsOf('openModel')).toBe(2);
  });

  it('times with the real clock by default', async () => {
    const timer = new StageTimer();
    await timer.timeAsync('report', () => new Promise((resolve) => setTimeout(resolve, 30)));
    // setTimeout may fire a little early or late; the timer must see about 30 ms, not 0 and not seconds.
    expect(timer.secondsOf('report')).toBeGreaterThan(0.02);
    expect(timer.secondsOf('report')).toBeLessThan(1);
  });
});
