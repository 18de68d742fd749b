/** shard/: runs split across machines and runs that survive a kill (docs/sharding.md, docs/partial-format.md). */
export { parseShard, resolveShard, shardFromEnvironment, shardShare, SCHEDULER_VARIABLES, type Shard, type ShardShare } from './shardSpec.js';
export { PARTIAL_FORMAT, PartialWriter, readPartial, readPartialHeader, type PartialContents, type PartialEnd, type PartialHeader, type StoredSwap } from './partialFile.js';
export { Checkpoint, checkpointPath, partialPath } from './checkpoint.js';
export { identityDifferences, runIdentity, type RunIdentity } from './runIdentity.js';
export { checkParts, mergeParts, partFiles } from './merge.js';
