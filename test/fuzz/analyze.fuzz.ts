/**
 * npm run fuzz — a time-boxed, property-based fuzz run of the header analyzer.
 *
 * Inputs: random strings and bytes, and real header sections (../shared/corpus, our samples and
 * fixtures) mutated by flips, insertions of header syntax, deletions, duplications and splices.
 * Properties: analyzeHeaders never throws and its output keeps the invariants (see
 * analysis-invariants.ts), for text and for bytes; the same message gets the same answer again,
 * as bytes, with LF line ends and with a body after it; and time grows linearly with input size
 * (four times the input may take at most ten times as long, best of five runs each).
 *
 *   FUZZ_SECONDS  total time (default 45); FUZZ_SEED  replay a run
 *
 * A failure prints the (shrunk) input and writes it to test-output/fuzz/; copy it into
 * test/fixtures/fuzz/ and test/core/fuzz-regressions.test.ts keeps it from coming back.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { analyzeHeaders, TLS_RULES } from '../../src/core';
import {
  AGREEMENT_VARIANTS,
  agreementViolation,
  invariantViolations,
} from '../support/analysis-invariants';

const ROOT = path.join(__dirname, '../..');
const OUTPUT = path.join(ROOT, 'test-output/fuzz');
const totalMs = Number(process.env.FUZZ_SECONDS ?? 45) * 1000;
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

function textFiles(directory: string, pattern: RegExp): string[] {
  return readdirSync(directory)
    .filter((name) => pattern.test(name))
    .map((name) => readFileSync(path.join(directory, name), 'utf8'));
}

const seeds = [
  ...textFiles(path.join(ROOT, '../shared/corpus/headers'), /\.txt$/),
  ...textFiles(path.join(ROOT, 'assets/samples'), /\.eml$/),
  ...textFiles(path.join(ROOT, 'test/fixtures/headers'), /\.eml$/),
  ...TLS_RULES.map((rule) => `Received: ${rule.example.field}\r\n`),
];

/** Pieces of header syntax that parsers trip on, for insertion at random places. */
const FRAGMENTS = [
  'Received: ',
  'from ',
  ' by ',
  ' with ESMTPS',
  ' with SMTP',
  ' id ',
  '; ',
  '(',
  ')',
  '((((((((',
  '[',
  ']',
  '<',
  '>',
  '"',
  '\\',
  '\r\n',
  '\r\n\t',
  '\n ',
  '\r',
  '\0',
  '=?utf-8?B?',
  '=?iso-8859-1?Q?=E9?=',
  '?=',
  '(version=TLS1_2 cipher=ECDHE-RSA-AES256-GCM-SHA384 bits=256/256)',
  '(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))',
  'Authentication-Results: ',
  'X-MS-Exchange-Organization-AuthAs: Anonymous\r\n',
  'Tue, 29 Nov 2026 06:00:00 +0000',
  '+9999',
  '[IPv6:::ffff:1.2.3.4]',
  '\u{1F4E7}',
  '\uFFFD',
  '\u00e9',
];

type Mutation =
  | { kind: 'flip'; at: number; code: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'splice'; at: number; other: number; from: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), code: fc.nat(0x2ff) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 40 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.nat(400) }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 200 }),
    times: fc.integer({ min: 2, max: 60 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    other: fc.nat(seeds.length - 1),
    from: fc.nat(),
  }),
);

function mutate(text: string, step: Mutation): string {
  const at = step.at % (text.length + 1);
  switch (step.kind) {
    case 'flip':
      return `${text.slice(0, at)}${String.fromCharCode(step.code)}${text.slice(at + 1)}`;
    case 'insert':
      return `${text.slice(0, at)}${step.text}${text.slice(at)}`;
    case 'delete':
      return `${text.slice(0, at)}${text.slice(at + step.length)}`;
    case 'repeat':
      return `${text.slice(0, at)}${text.slice(at, at + step.length).repeat(step.times)}${text.slice(at)}`;
    case 'splice': {
      const other = seeds[step.other] ?? '';
      return `${text.slice(0, at)}${other.slice(step.from % (other.length + 1))}`;
    }
  }
}

const mutatedHeaders = fc
  .tuple(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 8 }))
  .map(([index, steps]) => steps.reduce(mutate, seeds[index] ?? ''));

const anyInput = fc.oneof(
  { weight: 6, arbitrary: mutatedHeaders },
  { weight: 1, arbitrary: fc.string({ maxLength: 4000 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4000 }) },
);

/** Never throws; the invariants hold for the text and for its UTF-8 bytes. */
const holds = fc.property(anyInput, (input) => {
  for (const form of [input, new TextEncoder().encode(input)]) {
    const broken = invariantViolations(analyzeHeaders(form));
    if (broken.length > 0) throw new Error(broken.join('; '));
  }
});

/** The same message must get the same answer however it arrives (see analysis-invariants.ts). */
const agrees = fc.property(
  mutatedHeaders.filter((input) => !/[\uD800-\uDFFF]/.test(input)),
  fc.constantFrom(...AGREEMENT_VARIANTS),
  (input, variant) => {
    const broken = agreementViolation(input, variant);
    if (broken !== null) throw new Error(broken);
  },
);

function bestOf(runs: number, input: string): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    analyzeHeaders(input);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
}

/**
 * Four times the input takes at most ten times as long (quadratic work would take sixteen):
 * the input is grown as whole copies, or by growing its longest line in place, up to 1 MiB.
 */
const linear = fc.property(mutatedHeaders, fc.boolean(), (input, inLine) => {
  const grow = (factor: number) => {
    if (!inLine) return input.repeat(factor);
    const lines = input.split('\n');
    const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
    return input.replace(longest, longest.repeat(factor));
  };
  const unit = Math.max(1, Math.floor(64_000 / Math.max(1, input.length)));
  const small = grow(unit);
  const large = grow(unit * 4);
  if (large.length > 1024 * 1024) return;
  bestOf(2, large);
  const smallMs = bestOf(5, small);
  const largeMs = bestOf(5, large);
  if (largeMs > 10 * smallMs + 5) {
    throw new Error(
      `${small.length} chars took ${smallMs.toFixed(2)} ms, ${large.length} took ${largeMs.toFixed(2)} ms`,
    );
  }
});

interface Outcome {
  name: string;
  runs: number;
  failure: string | null;
}

function run<T extends [string, ...unknown[]]>(
  name: string,
  property: fc.IProperty<T>,
  share: number,
  shrink = true,
): Outcome {
  const details = fc.check(property, {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: Math.round(totalMs * share),
    endOnFailure: !shrink,
  });
  if (!details.failed) return { name, runs: details.numRuns, failure: null };
  const input = details.counterexample?.[0] ?? '';
  mkdirSync(OUTPUT, { recursive: true });
  const file = path.join(OUTPUT, `${name}-${seed}.txt`);
  writeFileSync(file, input);
  return {
    name,
    runs: details.numRuns,
    failure: `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.error)}\n  input (${input.length} chars) written to ${path.relative(ROOT, file)}: ${JSON.stringify(input.slice(0, 300))}`,
  };
}

const outcomes = [
  run('invariants', holds, 0.45),
  run('agreement', agrees, 0.25),
  // Timings do not shrink meaningfully: the first slow input is reported as found.
  run('linear-time', linear, 0.3, false),
];
console.log(`Fuzzed the header analyzer for ${totalMs / 1000} s (seed ${seed}):`);
for (const outcome of outcomes) {
  console.log(
    `  ${outcome.name.padEnd(12)} ${String(outcome.runs).padStart(7)} inputs  ${outcome.failure ? `FAILED: ${outcome.failure}` : 'ok'}`,
  );
}
if (outcomes.some((outcome) => outcome.failure)) {
  console.log('Replay with FUZZ_SEED; copy found inputs into test/fixtures/fuzz/ as regressions.');
  process.exit(1);
}
