import { describe, expect, it } from 'vitest';
import { effectiveEngine, rowLayout } from '../../src/engine/index.js';
import { configInexactReasons, graphInexactReasons } from '../../src/model/pastExactness.js';
import type { OnnxGraph } from '../../src/model/onnx/onnxProto.js';
import type { InexactPastReason } from '../../src/model/types.js';

/** What iw finds at load that makes the fast engine's stacked pasts inexact, and the engine and layout it then picks. */
describe('config.json sliding windows', () => {
  it('Gemma 2 and Mistral windows shorter than the context count; Qwen2 with use_sliding_window false does not', () => {
    expect(configInexactReasons({ model_type: 'gemma2', sliding_window: 4096 }, 8192).map((r) => r.kind)).toEqual(['sliding-window']);
    expect(configInexactReasons({ model_type: 'mistral', sliding_window: 4096 }, 32768)).toHaveLength(1);
    expect(configInexactReasons({ model_type: 'qwen2', use_sliding_window: false, sliding_window: 4096 }, 32768)).toEqual([]);
    expect(configInexactReasons({ model_type: 'qwen2', use_sliding_window: true, sliding_window: 4096 }, 32768)).toHaveLength(1);
    expect(configInexactReasons({ model_type: 'mistral', sliding_window: null }, 32768)).toEqual([]);
    expect(configInexactReasons({ model_type: 'mistral', sliding_window: 32768 }, 32768)).toEqual([]); // never reached
  });
});

describe('graph ops', () => {
  const node = (op_type: string, input: string[], output: string[], attribute: OnnxGraph['node'][number]['attribute'] = []) => ({ op_type, input, output, attribute });
  const graph = (nodes: OnnxGraph['node']): OnnxGraph => ({ node: nodes, initializer: [], input: [{ name: 'input_ids' }], output: [] });

  it('a reduction over every axis of a tensor computed from the tokens mixes positions; over the mask or one axis it does not', () => {
    const reasons = graphInexactReasons(graph([
      node('Gather', ['E', 'input_ids'], ['x']),
      node('ReduceMax', ['x'], ['m']), // no axes: one value over every position and row
      node('ReduceMean', ['x'], ['mean'], [{ name: 'axes', ints: [-1], graphs: [] }]), // a LayerNorm's mean: per position
      node('ReduceSum', ['attention_mask'], ['lengths']), // not computed from the tokens
    ]), 'input_ids');
    expect(reasons).toEqual([{ kind: 'position-mixing', detail: 'ReduceMax (1 node) computes one value over all positions and rows' }]);
  });

  it('GroupQueryAttention, with local_window_size a sliding window too; DynamicQuantizeLinear inside an If branch', () => {
    const gqa = node('GroupQueryAttention', ['q'], ['o'], [{ name: 'local_window_size', i: 4096, ints: [], graphs: [] }]);
    const branch = graph([node('DynamicQuantizeLinear', ['x'], ['q', 's', 'z'])]);
    const reasons = graphInexactReasons(graph([gqa, node('If', ['c'], ['y'], [{ name: 'then_branch', g: branch, ints: [], graphs: [] }])]), 'input_ids');
    expect(reasons.map((r) => r.kind)).toEqual(['group-query-attention', 'sliding-window', 'position-mixing']);
    expect(reasons[1].detail).toBe('GroupQueryAttention local_window_size 4096');
  });
});

describe('the engine and row layout chosen', () => {
  const model = (kinds: InexactPastReason['kind'][], acceptsPositionIds = true) => ({
    acceptsPast: true, acceptsPositionIds, bidirectional: false, inexactPast: kinds.map((kind) => ({ kind, detail: kind })),
  });
  it.each([
    [[], true, 'fast', false],
    [[], false, 'truncated', false],
    [['sliding-window'], true, 'truncated', false],
    [['group-query-attention'], true, 'truncated', false],
    [['group-query-attention', 'sliding-window'], true, 'truncated', false],
    [['position-mixing'], true, 'naive', true],
    [['group-query-attention', 'position-mixing'], true, 'naive', true],
  ] as const)('%j (position ids %s): %s, rows alone %s', (kinds, positions, engine, rowsAlone) => {
    expect(effectiveEngine('fast', model([...kinds], positions))).toBe(engine);
    expect(rowLayout(model([...kinds]))).toEqual({ rowsAlone });
  });
  it('--engine naive stays naive, and truncated turns naive only for ops that mix positions', () => {
    expect(effectiveEngine('naive', model(['group-query-attention']))).toBe('naive');
    expect(effectiveEngine('truncated', model(['sliding-window']))).toBe('truncated');
    expect(effectiveEngine('truncated', model(['position-mixing']))).toBe('naive');
  });
});
