import { UserError } from '../util/index.js';
import type {
  ForwardInput,
  ForwardOutput,
  ForwardRequest,
  InexactPastReason,
  LanguageModel,
  LayerTap,
  LoadModelOptions,
  PastLayout,
  ResolvedModel,
  WordTokenizer,
} from './types.js';
import { resolveModel } from './hub/resolve.js';
import { untrainedTwin } from './randomize/index.js';
import { loadWordTokenizer } from './tokenizer/tokenizer.js';
import { openTappedSession, type TappedSession, type TappedSessionOptions } from './session/tappedSession.js';
import { runForward } from './session/forwardPass.js';
import { checkWithinContext } from './session/contextCheck.js';
import { blockCount, headDim, hiddenSize, keyValueHeads } from './hub/modelConfig.js';
import { attendsToLaterTokens, directionFromConfig } from './attentionDirection.js';
import { loadEncoderWordTokenizer } from './tokenizer/encoderWords.js';
import { configInexactReasons } from './pastExactness.js';
import { checkTapWidths } from './taps/userTaps.js';

/**
 * A model ready to run: resolved, tokenizer loaded, ONNX session(s) open with every layer tapped.
 * One session per ONNX file, reused for every pass. The decoder_model / decoder_with_past_model pair opens
 * its with-past file on the first pass that brings a past; the other layouts run both kinds of pass in one file.
 */
export async function loadModel(options: LoadModelOptions): Promise<LanguageModel> {
  const trained = await resolveModel(options);
  const resolved = options.untrained
    ? await untrainedTwin(trained, options.untrained.seed, { cacheDir: options.cacheDir, quiet: options.quiet })
    : trained;
  const tokenizer = await loadWordTokenizer(resolved, { prefixSpace: options.prefixSpace });
  const sessionOptions: TappedSessionOptions = {
    width: hiddenSize(resolved.config),
    expectedBlocks: blockCount(resolved.config),
    taps: options.taps,
    logits: options.logits ?? 'none',
    threads: options.threads,
    device: options.device,
  };
  const main = await openTappedSession(resolved.onnxPath, sessionOptions);
  const model = new OnnxLanguageModel(resolved, tokenizer, main, sessionOptions);
  try {
    if (options.taps) await checkTapWidths(model.taps, model.acceptsPositionIds, (input, request) => model.forward(input, request));
    const direction = directionFromConfig(trained.config);
    model.bidirectional = direction ? direction === 'bidirectional' : await attendsToLaterTokens({
      vocabularySize: tokenizer.vocabularySize,
      acceptsPositionIds: model.acceptsPositionIds,
      layers: model.taps.map((t) => t.layer),
      forward: (input, request) => model.forward(input, request),
    });
    // An encoder reads words in its own input form: with the special tokens that close a text too (</s>, [SEP]).
    if (model.bidirectional) model.tokenizer = await loadEncoderWordTokenizer(resolved, { prefixSpace: options.prefixSpace });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  return model;
}

class OnnxLanguageModel implements LanguageModel {
  readonly taps: LayerTap[];
  readonly acceptsPast: boolean;
  readonly acceptsPositionIds: boolean;
  readonly pastLayout: PastLayout;
  readonly inexactPast: readonly InexactPastReason[];
  bidirectional = false;
  private withPast?: Promise<TappedSession>;
  private disposed = false;

  constructor(
    readonly resolved: ResolvedModel,
    public tokenizer: WordTokenizer,
    private readonly main: TappedSession,
    private readonly sessionOptions: TappedSessionOptions,
  ) {
    this.taps = main.plan.taps;
    this.acceptsPast = main.signature.pastInputs.length > 0 || resolved.withPastPath !== undefined;
    this.acceptsPositionIds = main.signature.positionIds !== undefined;
    this.pastLayout = pastLayoutOf(resolved, main, this.taps.length - 1);
    this.inexactPast = [...main.inexactPast, ...configInexactReasons(resolved.config, resolved.contextLength)];
  }

  async forward(input: ForwardInput, request: ForwardRequest): Promise<ForwardOutput> {
    if (this.disposed) throw new Error('forward on a disposed model');
    checkWithinContext((input.past?.length ?? 0) + input.sequenceLength, this.resolved.contextLength, 'the input', this.resolved.id);
    const session = await this.sessionFor(input);
    return runForward(session, input, request, this.pastLayout);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.main.session.release();
    if (this.withPast) await (await this.withPast).session.release();
  }

  /** The pair layout's with-past file for passes that bring a past; the main file otherwise. */
  private sessionFor(input: ForwardInput): Promise<TappedSession> | TappedSession {
    const hasPast = (input.past?.length ?? 0) > 0;
    if (!hasPast || this.main.signature.pastInputs.length > 0) return this.main;
    if (!this.resolved.withPastPath) throw new Error(`${this.resolved.id} takes no past keys/values (check acceptsPast)`);
    this.withPast ??= openTappedSession(this.resolved.withPastPath, this.sessionOptions).then((session) => {
      if (session.plan.taps.length !== this.taps.length) {
        throw new UserError(`${this.resolved.withPastPath} holds ${session.plan.taps.length} layers, but ${this.resolved.onnxPath} holds ${this.taps.length}`);
      }
      return session;
    });
    return this.withPast;
  }
}

/** Blocks and key/value shapes: from the file's past inputs when it declares them, else from the config. */
function pastLayoutOf(resolved: ResolvedModel, main: TappedSession, blocks: number): PastLayout {
  const kvHeads = main.signature.pastHeads ?? keyValueHeads(resolved.config);
  const dim = main.signature.pastHeadDim ?? headDim(resolved.config);
  if (!kvHeads || !dim) throw new UserError(`${resolved.localPath}/config.json gives no attention head count`);
  return { blocks: main.signature.pastInputs.length || main.signature.presentOutputs.length || blocks, kvHeads, headDim: dim };
}
