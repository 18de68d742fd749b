import { rmSync } from 'node:fs';

/**
 * The one registry of what an interrupted iw must tidy before it exits: paths to remove (temp files and folders
 * being written, downloads not yet complete) and keepers, which save what is worth keeping (a checkpoint appends
 * what was measured since its last record) and say so in one sentence. Whoever creates such a thing registers it
 * here and calls the returned function once it is renamed into place, removed or closed; the CLI's signal handlers
 * (src/cli/interrupt.ts) run the registry once, and a library user who installs their own handlers can too.
 */
const removals = new Set<string>();
const keepers = new Set<Keeper>();

/** Saves something on the way out; returns what to tell the user (or nothing). It must not throw. */
export type Keeper = () => string | undefined;

/** Registers a file or folder to remove if iw is stopped before it is done with it; returns the function that forgets it. */
export function removeOnInterrupt(path: string): () => void {
  removals.add(path);
  return () => removals.delete(path);
}

/** Registers a keeper to run if iw is stopped; returns the function that forgets it. */
export function keepOnInterrupt(keeper: Keeper): () => void {
  keepers.add(keeper);
  return () => keepers.delete(keeper);
}

/**
 * Removes every registered path, then runs every keeper (newest first), and empties the registry, so that a second
 * call does nothing. Returns the keepers' messages.
 */
export function cleanUpForExit(): string[] {
  for (const path of removals) rmSync(path, { recursive: true, force: true });
  removals.clear();
  const messages = [...keepers].reverse().map((keeper) => keeper()).filter((message): message is string => message !== undefined);
  keepers.clear();
  return messages;
}
