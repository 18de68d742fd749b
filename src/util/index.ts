/** util/: its public face; other folders import it through this file. */
export { escapeControlCharacters } from './controlCharacters.js';
export { isUserError, shown, UserError } from './errors.js';
export { parseJsonText, readJsonFile, readTextFile } from './readJsonFile.js';
export { packageFile, packageVersion } from './packageFile.js';
export { fsyncFolder, unpredictableTempPath, writeFileAtomic } from './atomicWrite.js';
export { cleanUpForExit, keepOnInterrupt, removeOnInterrupt } from './cleanup.js';
export { Progress } from './progress.js';
export { concatenate } from './concatenate.js';
export { fileInsideFolder } from './modelFolderFiles.js';
export { lstatOrNull } from './lstatOrNull.js';
export { createRandom, deriveSeed, randomInt, type RandomSource, shuffled } from './random.js';
export { fileInside, folderInside, safePathSegment } from './safePath.js';
export { createTaskRunner, type TaskRunner } from './workerPool.js';
export { textTable } from './textTable.js';
export { measureFirstTouch } from './firstTouch.js';
