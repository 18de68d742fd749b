import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModel, encodeModel, type OnnxNode } from '../../src/model/onnx/onnxProto.js';
import { copyFolder, tempDir } from '../model/modelTestKit.js';

/**
 * A copy of a model folder whose every MatMul with a stored weight takes its activation through
 * DynamicQuantizeLinear → DequantizeLinear, as quantize_dynamic's int8 files do before MatMulInteger: one scale and
 * zero point computed at run time over the whole activation tensor (every position and batch row). The weights and
 * everything else stay as they were, so the copy's taps are the original's.
 */
export function withDynamicQuantization(folder: string): string {
  const target = join(tempDir('dql'), 'model');
  copyFolder(folder, target);
  const file = join(target, 'onnx', 'model.onnx');
  const model = decodeModel(readFileSync(file));
  const weights = new Set(model.graph.initializer.map((t) => t.name));
  const nodes: OnnxNode[] = [];
  model.graph.node.forEach((node, i) => {
    if (node.op_type === 'MatMul' && weights.has(node.input[1])) {
      const [q, scale, zero, restored] = ['q', 'scale', 'zero', 'restored'].map((part) => `iw.test.dql.${i}.${part}`);
      nodes.push(plainNode('DynamicQuantizeLinear', [node.input[0]], [q, scale, zero]));
      nodes.push(plainNode('DequantizeLinear', [q, scale, zero], [restored]));
      node.input[0] = restored;
    }
    nodes.push(node);
  });
  model.graph.node = nodes;
  writeFileSync(file, encodeModel(model));
  return target;
}

function plainNode(op: string, inputs: string[], outputs: string[]): OnnxNode {
  return { op_type: op, domain: '', name: outputs[0], input: inputs, output: outputs, attribute: [] };
}
