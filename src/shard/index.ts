/** shard/: runs split across machines and runs that survive a kill (docs/sharding.md, docs/partial-format.md). */
export { parseShard, resolveShard, shardFromEnvironment, shardShare, SCHEDULER_VARIABLES, type Shard, type ShardShare } from './shardSpec.js';
export { entryOf, PARTIAL_EXTENSION, PARTIAL_FORMAT, PartialWriter, readPartial, readPartialHeader, type PartialContents, type PartialEnd, type PartialHeader, type StoredSwap } from './partialFile.js';
export { Checkpoint, checkpointPath, describeAccumulator, partialPath } from './checkpoint.js';
export { identityDifferences, runIdentity, type RunIdentity } from './runIdentity.js';
