import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: ONNX sessions use both; running test files in parallel only thrashes.
    fileParallelism: false,
    reporters: ['default', './test/helpers/closingLineReporter.ts'],
  },
});
