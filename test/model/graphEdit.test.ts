import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, decodeNode, encodeNode, type OnnxNode } from '../../src/model/onnx/onnxProto.js';
import { fieldBytes, joinPieces, scanFields } from '../../src/model/onnx/protoSplice.js';
import { planTaps } from '../../src/model/taps/tapPlan.js';
import { editModelForTaps } from '../../src/model/onnx/graphEdit.js';
import { describeWithShared, sharedPath } from '../helpers/shared.js';
import { tinyGpt2 } from './modelTestKit.js';

const tinyBytes = readFileSync(join(tinyGpt2, 'onnx', 'model.onnx'));

describe('protobuf field splicing', () => {
  it('reassembles a model byte for byte from its fields', () => {
    const fields = scanFields(tinyBytes);
    expect(fields.map((f) => f.fieldNumber)).toContain(7); // ModelProto.graph
    expect(Buffer.from(joinPieces(fields.map((f) => fieldBytes(tinyBytes, f)))).equals(tinyBytes)).toBe(true);
  });
});

describe('editing a model for taps', () => {
  const model = decodeModel(tinyBytes);
  const plan = planTaps(model, { fileLabel: 'tiny' });

  it('adds the taps as outputs and drops the logits and the projection that only fed them, leaving weights untouched', () => {
    const edited = decodeModel(editModelForTaps(tinyBytes, model, plan, { logits: 'none' }));
    expect(edited.graph.output.map((o) => o.name)).toEqual(plan.taps.map((t) => t.tensor));
    // GPT-2's logits are one MatMul of the final norm's output by the (tied) embedding: that node alone goes.
    const logitsNode = model.graph.node.find((n) => n.output.includes('logits'));
    expect(logitsNode?.op_type).toBe('MatMul');
    expect(edited.graph.node.map((n) => n.name)).toEqual(model.graph.node.filter((n) => n !== logitsNode).map((n) => n.name));
    edited.graph.initializer.forEach((tensor, i) => {
      expect(tensor.name).toBe(model.graph.initializer[i].name);
      expect(Buffer.from(tensor.raw_data!).equals(Buffer.from(model.graph.initializer[i].raw_data!))).toBe(true);
    });
  });

  it('keeps the logits, and every node, when asked', () => {
    const edited = decodeModel(editModelForTaps(tinyBytes, model, plan, { logits: 'all' }));
    expect(edited.graph.output.map((o) => o.name)).toEqual(['logits', ...plan.taps.map((t) => t.tensor)]);
    expect(edited.graph.node.length).toBe(model.graph.node.length);
  });

  it('copies fields it does not know verbatim', () => {
    // Field 99 (varint 42) is not in any ONNX version: a re-encoding schema would drop it.
    const unknownField = Uint8Array.of(0x98, 0x06, 42);
    const withUnknown = Buffer.concat([tinyBytes, unknownField]);
    const edited = editModelForTaps(withUnknown, decodeModel(withUnknown), plan, { logits: 'none' });
    const last = scanFields(edited).find((f) => f.fieldNumber === 99);
    expect(last && Array.from(fieldBytes(edited, last))).toEqual(Array.from(unknownField));
  });

  it('keeps unknown fields of a node it re-encodes (an If node of a merged decoder)', () => {
    const node = { op_type: 'Relu', input: ['a'], output: ['b'], attribute: [] };
    const known = encodeNode(node as never);
    const withUnknown = Buffer.concat([known, Uint8Array.of(0x98, 0x06, 42)]);
    const reencoded = encodeNode(decodeNode(withUnknown));
    expect(Buffer.from(reencoded).equals(withUnknown)).toBe(true);
  });
});

describeWithShared('editing a merged decoder (decoder_model_merged.onnx)', () => {
  it('routes every tap out of both If branches', () => {
    const bytes = readFileSync(sharedPath('models', 'gutenberg-gpt2-tiny-legacy', 'onnx', 'decoder_model_merged.onnx'));
    const model = decodeModel(bytes);
    const plan = planTaps(model, { fileLabel: 'merged' });
    const edited = decodeModel(editModelForTaps(bytes, model, plan, { logits: 'none' }));
    const ifNode = edited.graph.node.find((n) => n.op_type === 'If')!;
    const tapNames = plan.taps.map((t) => `iw.layer.${t.layer}`);
    expect(edited.graph.output.map((o) => o.name)).toEqual([...model.graph.output.map((o) => o.name).filter((n) => n !== 'logits'), ...tapNames]);
    expect(ifNode.output.slice(-tapNames.length)).toEqual(tapNames);
    const originalIf = model.graph.node.find((n) => n.op_type === 'If')!;
    for (const branch of ifNode.attribute.filter((a) => a.g)) {
      expect(branch.g!.output.length).toBe(ifNode.output.length);
      expect(branch.g!.output.map((o) => o.name)).not.toContain('logits');
      // The branch's vocabulary projection (the node that made its logits) is gone, the rest kept.
      const before = originalIf.attribute.find((a) => a.name === branch.name)!.g!.node;
      const logitsNode = before.find((n) => n.output.includes(originalBranchLogits(originalIf, branch.name)));
      expect(logitsNode?.op_type).toBe('MatMul');
      expect(branch.g!.node.map((n) => n.name)).toEqual(before.filter((n) => n !== logitsNode).map((n) => n.name));
    }
  });
});

/** The tensor a branch of the original If node returned as the node's `logits` output. */
function originalBranchLogits(ifNode: OnnxNode, branch: string): string {
  const position = ifNode.output.indexOf('logits');
  return ifNode.attribute.find((a) => a.name === branch)!.g!.output[position].name;
}
