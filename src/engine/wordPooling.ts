// The engine's word pooling is the model layer's (one implementation: src/model/wordPooling.ts); this file only
// keeps runEngine.ts's import path until that file is next edited.
export { poolWords } from '../model/wordPooling.js';
