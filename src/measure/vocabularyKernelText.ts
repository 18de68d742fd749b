import { LN2_PER_STEP, STEPS, STEPS_PER_LN2 } from './logSumExp.js';

/**
 * The WebAssembly text of the vocabulary kernel (vocabularyKernel.ts): the output read-out's passes over a
 * prediction's vocabulary, two predictions at a time in the two float64 lanes of a SIMD vector. Each lane is summed
 * in the vocabulary's order with the same float64 operations as logSumExp.ts and predictionChange.ts, so every number
 * is the same to the bit as theirs, about three times as fast (docs/performance.md). `npm run build:kernel`
 * (bin/vocabulary-kernel.ts) assembles it into vocabularyKernelBinary.ts; a test checks the two agree.
 *
 * Its memory, given by the caller, starts with STEP_POWERS (2^−j/1024, the table logSumExp.ts reads); every other
 * address is the caller's. Exports:
 * - sums(a, b, length, referenceA, referenceB, out): Σ_v e^(z_v − reference) of the float32 rows at a and b, as two
 *   float64 at out; +∞ for a row with an entry outside the range the kernel takes (IN_RANGE), left to JavaScript.
 * - sumsKeepingTerms(a, b, length, referenceA, referenceB, termsA, termsB, out): the same, writing each term as float64.
 * - changes(sa, sb, za, zb, pa, pb, shiftA, shiftB, length, out): Σ_v |c_v| and −Σ_v p_v c_v with
 *   c_v = (s_v − z_v) − shift, for the swapped rows s, the originals z and their scaled probabilities p, as
 *   [Σ|c| of a, of b, −Σ p c of a, of b] at out.
 */
export function vocabularyKernelText(): string {
  return `(module
  (import "kernel" "memory" (memory 1))
${sumsFunction('sums', false)}
${sumsFunction('sumsKeepingTerms', true)}
${changesFunction()}
)
`;
}

/**
 * x = z − reference in which the kernel's e^x is logSumExp.ts's to the bit: there e^x = 2^−n · S_j · P(r) with
 * q = ⌊−x·1024/ln 2⌋ = 1024 n + j; here S_j · P(r) is rounded and then 2^−n put into its exponent bits, the same
 * number while 2^−n · S_j · P(r) is a normal float64 (n ≤ 1020, x > −707.7). A row with a logit above the reference or
 * too far below it goes to JavaScript (judged from its largest and least logit).
 */
const IN_RANGE = { lowest: -706, highest: 0 } as const;

/** Σ e^x of two rows, four entries a step while four are left (the rest one at a time). */
function sumsFunction(name: string, keepTerms: boolean): string {
  const terms = keepTerms ? '(param $ta i32) (param $tb i32) ' : '';
  const quad = [0, 1, 2, 3].map((i) => addTerm(laneShuffle(i), keepTerms, 8 * i)).join('\n');
  const single = addTerm('(v128.load32_lane 1 (local.get $b) (v128.load32_zero (local.get $a)))', keepTerms, 0);
  return `  (func (export "${name}") (param $a i32) (param $b i32) (param $length i32) (param $refA f64) (param $refB f64) ${terms}(param $out i32)
    (local $ref v128) (local $sum v128) (local $x v128) (local $q v128) (local $r v128) (local $term v128)
    (local $la v128) (local $lb v128) (local $end i32)
    (local $lowA v128) (local $lowB v128) (local $highA v128) (local $highB v128)
    (local.set $ref (f64x2.replace_lane 1 (f64x2.splat (local.get $refA)) (local.get $refB)))
    (local.set $lowA ${f32x4(Infinity)}) (local.set $lowB ${f32x4(Infinity)})
    (local.set $highA ${f32x4(-Infinity)}) (local.set $highB ${f32x4(-Infinity)})
    (local.set $end (i32.add (local.get $a) (i32.shl (i32.and (local.get $length) (i32.const -4)) (i32.const 2))))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
      (local.set $la (v128.load (local.get $a)))
      (local.set $lb (v128.load (local.get $b)))
${bounds('(local.get $la)', '(local.get $lb)')}
${quad}
${advance(16, keepTerms ? 32 : 0)}
      (br $four)))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $length) (i32.const 3)) (i32.const 2))))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
${bounds('(f32x4.splat (f32.load (local.get $a)))', '(f32x4.splat (f32.load (local.get $b)))')}
${single}
${advance(4, keepTerms ? 8 : 0)}
      (br $one)))
    ${outside()})`;
}

/**
 * Each row's least and largest logit so far, lane by lane (a NaN leaves them as they were: its row's sum is NaN
 * either way).
 */
function bounds(a: string, b: string): string {
  const bound = (name: string, op: string, value: string) => `      (local.set ${name} (f32x4.${op} (local.get ${name}) ${value}))`;
  return [bound('$lowA', 'pmin', a), bound('$lowB', 'pmin', b), bound('$highA', 'pmax', a), bound('$highB', 'pmax', b)].join('\n');
}

/**
 * The lanes whose row has an x outside IN_RANGE: its least and largest logit less the reference, in float64 (rounding
 * keeps order, so every x of the row lies between these two): each bound taken across its four lanes, then stored
 * with the sums, +∞ for those lanes.
 */
function outside(): string {
  const across = (op: string, name: string) => `(local.set $la (f32x4.${op} (local.get ${name})
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get ${name}) (local.get ${name}))))
    (local.set ${name} (f32x4.${op} (local.get $la) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $la) (local.get $la))))`;
  const pair = (a: string, b: string) =>
    `(f64x2.sub (f64x2.promote_low_f32x4 (f32x4.replace_lane 1 (local.get ${a}) (f32x4.extract_lane 0 (local.get ${b})))) (local.get $ref))`;
  return `${['$highA', '$highB'].map((n) => across('pmax', n)).join('\n    ')}
    ${['$lowA', '$lowB'].map((n) => across('pmin', n)).join('\n    ')}
    (v128.store (local.get $out) (v128.bitselect ${f64x2(Infinity)} (local.get $sum) (v128.or
      (f64x2.gt ${pair('$highA', '$highB')} ${f64x2(IN_RANGE.highest)})
      (f64x2.lt ${pair('$lowA', '$lowB')} ${f64x2(IN_RANGE.lowest)}))))`;
}

/** Row a's entry i and row b's, from the four of each loaded in $la and $lb, as the low two float32 lanes. */
function laneShuffle(i: number): string {
  const bytes = (row: number) => [0, 1, 2, 3].map((byte) => 16 * row + 4 * i + byte);
  return `(i8x16.shuffle ${[...bytes(0), ...bytes(1), ...new Array<number>(8).fill(0)].join(' ')} (local.get $la) (local.get $lb))`;
}

/** One entry of each row: x, the range test, e^x (exponentialOfNonPositive), its sum, and (keepTerms) its store. */
function addTerm(pair: string, keepTerms: boolean, offset: number): string {
  const lookup = (lane: number) => `(i32.shl (i32.and (i32x4.extract_lane ${lane} (local.get $q)) (i32.const ${STEPS - 1})) (i32.const 3))`;
  const taylor = `(f64x2.add ${f64x2(1)} (f64x2.mul (local.get $r) (f64x2.add ${f64x2(1)} (f64x2.mul (local.get $r)
          (f64x2.add ${f64x2(1 / 2)} (f64x2.mul (local.get $r) (f64x2.add ${f64x2(1 / 6)} (f64x2.mul (local.get $r) ${f64x2(1 / 24)}))))))))`;
  const store = keepTerms
    ? `
      (v128.store64_lane offset=${offset} 0 (local.get $ta) (local.get $term))
      (v128.store64_lane offset=${offset} 1 (local.get $tb) (local.get $term))`
    : '';
  return `      (local.set $x (f64x2.sub (f64x2.promote_low_f32x4 ${pair}) (local.get $ref)))
      (local.set $q (f64x2.floor (f64x2.mul (local.get $x) ${f64x2(-STEPS_PER_LN2)})))
      (local.set $r (f64x2.add (local.get $x) (f64x2.mul (local.get $q) ${f64x2(LN2_PER_STEP)})))
      (local.set $q (f64x2.add (local.get $q) ${f64x2(2 ** 52)}))
      (local.set $term (i64x2.sub
        (f64x2.mul (v128.load64_lane 1 ${lookup(2)} (v128.load64_zero ${lookup(0)}))
          ${taylor})
        (i64x2.shl (i64x2.shr_u (local.get $q) (i32.const ${Math.log2(STEPS)})) (i32.const 52))))${store}
      (local.set $sum (f64x2.add (local.get $sum) (local.get $term)))`;
}

/** Steps the rows' addresses (and the terms'). */
function advance(rowBytes: number, termBytes: number): string {
  const step = (name: string, bytes: number) => `      (local.set ${name} (i32.add (local.get ${name}) (i32.const ${bytes})))`;
  return [step('$a', rowBytes), step('$b', rowBytes), ...(termBytes ? [step('$ta', termBytes), step('$tb', termBytes)] : [])].join('\n');
}

/** predictionChange's pass for two rows, two entries a step (an odd last one alone). */
function changesFunction(): string {
  const pairOf = (load: string, a: string, b: string) =>
    `(i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (${load} (local.get ${a})) (${load} (local.get ${b})))`;
  const upper = (v: string) => `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 0 0 0 0 0 0 0 (local.get ${v}) (local.get ${v})))`;
  const probabilities = (high: boolean) => high
    ? '(i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ta) (local.get $tb))'
    : '(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ta) (local.get $tb))';
  const accumulate = (swapped: string, original: string, p: string) => `      (local.set $c (f64x2.sub (f64x2.sub ${swapped} ${original}) (local.get $shift)))
      (local.set $abs (f64x2.add (local.get $abs) (f64x2.abs (local.get $c))))
      (local.set $div (f64x2.sub (local.get $div) (f64x2.mul ${p} (local.get $c))))`;
  const step = (names: string[], bytes: number) => names.map((n) => `      (local.set ${n} (i32.add (local.get ${n}) (i32.const ${bytes})))`).join('\n');
  const lone = (a: string, b: string) => `(f64x2.promote_low_f32x4 (f32x4.replace_lane 1 (f32x4.splat (f32.load (local.get ${a}))) (f32.load (local.get ${b}))))`;
  return `  (func (export "changes") (param $sa i32) (param $sb i32) (param $za i32) (param $zb i32) (param $pa i32) (param $pb i32)
        (param $shiftA f64) (param $shiftB f64) (param $length i32) (param $out i32)
    (local $shift v128) (local $abs v128) (local $div v128) (local $c v128) (local $end i32)
    (local $s v128) (local $z v128) (local $ta v128) (local $tb v128)
    (local.set $shift (f64x2.replace_lane 1 (f64x2.splat (local.get $shiftA)) (local.get $shiftB)))
    (local.set $end (i32.add (local.get $sa) (i32.shl (i32.and (local.get $length) (i32.const -2)) (i32.const 2))))
    (block $done (loop $two
      (br_if $done (i32.ge_u (local.get $sa) (local.get $end)))
      (local.set $s ${pairOf('v128.load64_zero', '$sa', '$sb')})
      (local.set $z ${pairOf('v128.load64_zero', '$za', '$zb')})
      (local.set $ta (v128.load (local.get $pa)))
      (local.set $tb (v128.load (local.get $pb)))
${accumulate('(f64x2.promote_low_f32x4 (local.get $s))', '(f64x2.promote_low_f32x4 (local.get $z))', probabilities(false))}
${accumulate(upper('$s'), upper('$z'), probabilities(true))}
${step(['$sa', '$sb', '$za', '$zb'], 8)}
${step(['$pa', '$pb'], 16)}
      (br $two)))
    (if (i32.and (local.get $length) (i32.const 1)) (then
${accumulate(lone('$sa', '$sb'), lone('$za', '$zb'), '(f64x2.replace_lane 1 (f64x2.splat (f64.load (local.get $pa))) (f64.load (local.get $pb)))')}))
    (v128.store (local.get $out) (local.get $abs))
    (v128.store offset=16 (local.get $out) (local.get $div)))`;
}

/** A float32 constant in all four lanes. */
function f32x4(value: number): string {
  const text = Number.isFinite(value) ? Math.fround(value).toPrecision(9) : value > 0 ? 'inf' : '-inf';
  return `(v128.const f32x4 ${text} ${text} ${text} ${text})`;
}

/** A float64 constant in both lanes; 17 significant digits name a float64 exactly. */
function f64x2(value: number): string {
  const text = Number.isFinite(value) ? value.toPrecision(17) : value > 0 ? 'inf' : '-inf';
  return `(v128.const f64x2 ${text} ${text})`;
}
