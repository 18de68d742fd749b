/**
 * The stimuli a run measures on (METHOD.md §1), in memory. On disk this is the iw-stimuli/1 JSON format:
 * {"format": "iw-stimuli/1", "sequences": [{"words": [...], "swaps": [word or null per position], "sentenceStarts": [...]}]}
 */
export interface StimulusSequence {
  words: string[];
  /** One replacement per word position; null where no swap is made at that position. */
  swaps: Array<string | null>;
  /** Word indices where sentences start (yoking stimuli). */
  sentenceStarts?: number[];
}

export interface Stimuli {
  format: 'iw-stimuli/1';
  sequences: StimulusSequence[];
  /** How the stimuli were made (corpus, cleaning steps, swap rule, seed, counts); free-form but JSON. */
  meta?: Record<string, unknown>;
}
