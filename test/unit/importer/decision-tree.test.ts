// ASCII decision trees: the question, one option per top-level branch, the step each names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDecisionTree } from '../../../src/core/importer/decision-tree';

test('box-drawing trees give a question and options naming their steps', () => {
  const tree = parseDecisionTree('Has commits AND changes look correct?\n├─ YES → Proceed to Step 3 (manual merge)\n└─ NO  → Proceed to Step 4 (mark as failed)\n');
  assert.deepEqual(tree, {
    question: 'Has commits AND changes look correct?',
    options: [
      { answer: 'YES', target: 'Proceed to Step 3 (manual merge)', step: 3 },
      { answer: 'NO', target: 'Proceed to Step 4 (mark as failed)', step: 4 },
    ],
  });
});

test('ASCII stand-ins and targets without a step number are read too', () => {
  const tree = parseDecisionTree('Pods scheduled?\n|-- YES -> read the logs\n`-- NO  => Step 7\n');
  assert.deepEqual(tree?.options, [
    { answer: 'YES', target: 'read the logs' },
    { answer: 'NO', target: 'Step 7', step: 7 },
  ]);
});

test('deeper branches stay out of the options', () => {
  const tree = parseDecisionTree('Q?\n├─ A → Step 1\n│  ├─ A1 → Step 5\n│  └─ A2 → Step 6\n└─ B → Step 2\n');
  assert.deepEqual(tree?.options.map((o) => o.answer), ['A', 'B']);
});

test('sentences with arrows, a single branch or no question are no tree', () => {
  assert.equal(parseDecisionTree('1. If still failing → repeat steps 2-4\n2. Done → go on\n'), undefined);
  assert.equal(parseDecisionTree('Q?\n└─ YES → Step 2\n'), undefined);
  assert.equal(parseDecisionTree('├─ YES → Step 2\n└─ NO → Step 3\n'), undefined);
});
