// Runbook layouts other than the seeds': "### Issue" with Cause/Solution, "## Issue N" with
// Symptoms/Diagnosis/Solutions, a title with steps only, ASCII trees; CRLF and mojibake input;
// files with nothing to import; defaults; hostile headings; and arbitrary input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { importRunbook, NO_SCENARIOS } from '../../../src/core/importer/import-runbook';
import { ImportError } from '../../../src/core/importer/errors';
import { PlaybookSchema, isTextSymptom } from '../../../src/core/playbooks/model';
import type { Playbook, PlaybookNode } from '../../../src/core/playbooks/model';
import { checkGraph } from '../../../src/core/playbooks/graph';
import { fixtures, mangle } from './helpers';

const fixture = (name: string): string => readFileSync(join(fixtures, name), 'utf8');
const load = (name: string): Playbook[] => importRunbook(fixture(name), name).playbooks;
const runs = (p: Playbook): string[] => p.nodes.flatMap((n) => (n.kind === 'step' ? n.commands.map((c) => c.run) : []));
const stepTitles = (p: Playbook): string[] => p.nodes.filter((n) => n.kind === 'step').map((n) => n.title);
const byId = (p: Playbook, id: string): PlaybookNode => p.nodes.find((n) => n.id === id)!;

test('"### Issue: ..." with **Cause** / **Solution** labels (on consecutive lines)', () => {
  const [port, integrity, timeout] = load('issue-cause-solution.md');
  assert.deepEqual([port!.id, integrity!.id, timeout!.id], ['port-already-in-use', 'npm-ci-fails-with-eintegrity', 'integration-tests-time-out-in-ci']);
  assert.deepEqual(port!.rootCauses, ['Another dev server still listens on port 3000.']);
  assert.deepEqual(runs(port!), ['npx kill-port 3000', 'npm run dev']);
  assert.deepEqual(stepTitles(integrity!), ['Clear the cache: `npm cache clean --force`', 'Reinstall from scratch']);
  assert.deepEqual(runs(integrity!), ['npm cache clean --force', 'rm -rf node_modules', 'npm ci']);
  // None of them lists symptoms: none is made up from the titles.
  for (const p of [port!, integrity!, timeout!]) assert.deepEqual(p.symptoms, []);
});

test('what the text says about severity, failure type and recoverability wins over the defaults', () => {
  const [port, , timeout] = load('issue-cause-solution.md');
  assert.deepEqual([port!.severity, port!.failureType, port!.recoverable, port!.recoverableReason], [3, 'error', true, 'imported; review']);
  assert.equal(port!.source, 'imported from issue-cause-solution.md');
  assert.deepEqual([timeout!.severity, timeout!.failureType, timeout!.recoverable], [4, 'timeout', false]);
  assert.equal(timeout!.recoverableReason, 'the database container needs a person to look at it');
});

test('"## Issue N" with Symptoms / Diagnosis / Solutions sections', () => {
  const [webhook, issue2, slow] = load('issue-numbered.md');
  assert.deepEqual([webhook!.id, issue2!.id, slow!.id], ['webhook-signature-rejected', 'issue-2', 'slow-checkout']);
  assert.deepEqual(webhook!.symptoms, [
    { pattern: 'SignatureVerificationError', weight: 25, description: 'Logs show SignatureVerificationError' },
    { pattern: 'Stripe dashboard reports failed deliveries', weight: 5 },
  ]);
  assert.deepEqual(stepTitles(webhook!), ['Diagnosis', 'Rotate the secret in the Stripe dashboard.', 'Update the cluster secret', 'Restart the deployment: `kubectl rollout restart deploy/payments`']);
  assert.ok(runs(webhook!).includes("kubectl get secret stripe-webhook -o jsonpath='{.data.secret}' | base64 -d"));
  // A command continued over three lines stays one command, verbatim.
  assert.ok(runs(webhook!).includes('kubectl create secret generic stripe-webhook \\\n  --from-literal=secret="$NEW_SECRET" \\\n  --dry-run=client -o yaml | kubectl apply -f -'));
  // Output quoted under Symptoms is the error to look for.
  assert.ok(issue2!.symptoms.some((s) => isTextSymptom(s) && new RegExp(s.pattern, 'iu').test('Error: connect ECONNREFUSED 10.0.0.5:5432')));
  assert.equal(issue2!.forbidden.length, 1);
  assert.match('kubectl delete pvc payments-db', new RegExp(issue2!.forbidden[0]!.pattern));
  assert.deepEqual(runs(issue2!), ['kubectl get pods -l app=payments-db']);
  assert.deepEqual(slow!.symptoms, []);
  assert.deepEqual(runs(slow!), ['kubectl scale deploy/payments --replicas=4']);
});

test('"## Error: ..." / "## Problem: ..." with output shown first and bold labels on their own line', () => {
  const [eacces, docker] = load('troubleshooting.md');
  assert.deepEqual([eacces!.id, docker!.id], ['error-eacces-permission-denied', 'docker-daemon-not-running']);
  // The output the runbook shows before any step is the symptom, exactly; it is not a command.
  assert.deepEqual(eacces!.symptoms, [{ pattern: "npm ERR! Error: EACCES: permission denied, mkdir '/usr/lib/node_modules'", weight: 25 }]);
  assert.deepEqual(runs(eacces!), ['mkdir ~/.npm-global', "npm config set prefix '~/.npm-global'", 'export PATH=~/.npm-global/bin:$PATH']);
  assert.deepEqual(stepTitles(eacces!), ['Fix']);
  assert.equal(eacces!.summary, 'You see:\n\nThis happens when npm installs globally into a root-owned folder.');
  assert.equal(eacces!.failureType, 'error', 'a file permission is no authentication failure');
  assert.match('sudo npm install -g x', new RegExp(eacces!.forbidden[0]!.pattern));
  // "**Symptoms**" and "**Solution**" alone on their lines work like headings.
  assert.deepEqual(docker!.symptoms, [{ pattern: 'Cannot connect to the Docker daemon at unix:///var/run/docker\\.sock', weight: 25 }]);
  assert.deepEqual(runs(docker!), ['sudo systemctl start docker', 'sudo systemctl enable docker']);
  assert.equal(docker!.summary, undefined);
});

test('a single-scenario runbook (a title and steps) is one playbook', () => {
  const r = importRunbook(fixture('single-scenario.md'), 'single-scenario.md');
  assert.equal(r.layout, 'single');
  const [p] = r.playbooks;
  assert.equal(r.playbooks.length, 1);
  assert.equal(p!.id, 'rotate-the-tls-certificate');
  assert.equal(p!.summary, 'Run this when the certificate is about to expire.');
  assert.deepEqual(stepTitles(p!), ['Check the expiry date', 'Request a new certificate', 'Reload nginx: `systemctl reload nginx`']);
  assert.deepEqual(runs(p!), ['openssl x509 -in /etc/ssl/site.pem -noout -enddate', 'certbot renew --cert-name example.com', 'systemctl reload nginx']);
  assert.deepEqual(p!.symptoms, []);
});

test('an ASCII decision tree (|-- / `--) becomes a question; its branches rejoin after the last one', () => {
  const [p] = load('decision-tree.md');
  const q = byId(p!, 'decide-pods-scheduled');
  assert.equal(q.kind, 'question');
  assert.deepEqual(q.kind === 'question' && q.options.map((o) => [o.label, o.next]), [
    ['YES: Step 2 (read the logs)', 'step-2-read-the-logs'],
    ['NO: Step 3 (free capacity)', 'step-3-free-capacity'],
  ]);
  const next = (id: string): string | undefined => {
    const n = byId(p!, id);
    return n.kind === 'step' ? n.next : undefined;
  };
  assert.equal(next('step-1-look-at-the-rollout'), 'decide-pods-scheduled');
  assert.equal(next('step-2-read-the-logs'), 'step-4-retry-the-deploy');
  assert.equal(next('step-3-free-capacity'), 'step-4-retry-the-deploy');
  assert.deepEqual(checkGraph(p!), []);
});

test('YAML front matter does not become a heading', () => {
  const plain = importRunbook(fixture('single-scenario.md'), 'x.md').playbooks;
  const withFrontMatter = importRunbook(`---\ntitle: TLS\nowner: ops\n---\n${fixture('single-scenario.md')}`, 'x.md').playbooks;
  assert.deepEqual(withFrontMatter, plain);
});

test('CRLF line ends import exactly like LF', () => {
  for (const name of ['issue-cause-solution.md', 'issue-numbered.md', 'single-scenario.md', 'decision-tree.md']) {
    const lf = importRunbook(fixture(name), name).playbooks;
    const crlf = importRunbook(fixture(name).replace(/\n/g, '\r\n'), name).playbooks;
    assert.deepEqual(crlf, lf, name);
    assert.ok(!JSON.stringify(crlf).includes('\\r'), name);
  }
});

test('mojibake input (UTF-8 read as cp1252) imports like the clean runbook', () => {
  const clean = '# Runbook\n\n## 🔥 Scenario 1: Disk full — ⚠️ urgent\n\n### 🔍 Symptoms\n- “No space left on device”\n\n### ✅ Recovery Steps\n\n```bash\n# Free space → quickly\ndf -h\n```\n\n```\nSpace freed?\n├─ YES → Step 2\n└─ NO → Step 3\n```\n';
  const broken = mangle(clean, 'cp1252');
  assert.match(broken, /ðŸ”¥ Scenario 1: Disk full â€”/);
  const r = importRunbook(broken, 'disk.md');
  const [p] = r.playbooks;
  assert.ok(r.mojibake.repaired > 5 && r.mojibake.stripped > 0, JSON.stringify(r.mojibake));
  assert.equal(p!.title, 'Disk full — ⚠ urgent');
  assert.deepEqual(p!.symptoms.map((s) => isTextSymptom(s) && s.pattern), ['No space left on device']);
  assert.deepEqual(p!.nodes[0]!.kind === 'step' && p!.nodes[0]!.commands, [{ run: 'df -h', shell: 'bash', description: 'Free space → quickly' }]);
  assert.ok(p!.nodes.some((n) => n.kind === 'question' && n.title === 'Space freed?'));
  assert.doesNotMatch(JSON.stringify(p), /ðŸ|â€|â†|â”/);
});

test('a file with no scenarios, an empty file and a binary file are one clear error each', () => {
  const error = (input: string | Uint8Array): string => {
    try {
      importRunbook(input, 'x.md');
    } catch (e) {
      assert.ok(e instanceof ImportError, String(e));
      return e.message;
    }
    assert.fail('no error');
  };
  assert.equal(error(fixture('no-scenarios.md')), NO_SCENARIOS);
  assert.equal(error(''), NO_SCENARIOS);
  assert.equal(error('# Title only\n\nSome words.\n'), NO_SCENARIOS);
  assert.equal(error(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02])), 'not a text file (it holds NUL bytes)');
  for (const m of [NO_SCENARIOS]) assert.ok(!m.includes('\n'));
});

test('a heading with no words opens no section, so no playbook gets an empty title', () => {
  // Found by the fuzz test below: a lone `#` after a runbook's table became a titleless playbook.
  assert.throws(() => importRunbook('| Symptoms | Jump |\n|---|---|\n| boom | [S](#scenario-1-a) |\n#', 'fuzz.md'), ImportError);
  const [p] = importRunbook('# Redis down\n\n#\n\n1. Restart it: `systemctl restart redis`\n', 'x.md').playbooks;
  assert.equal(p!.title, 'Redis down');
  assert.ok(p!.nodes.every((n) => n.title.trim().length > 0));
});

test('hostile and odd headings give safe, unique ids', () => {
  const md = [
    '## Issue: ../../etc/passwd',
    '**Symptoms**: `boom`',
    '1. Look',
    '## Issue: 🔥🔥🔥',
    '**Symptoms**: `boom`',
    '1. Look',
    '## Issue: Same name',
    '1. Look',
    '## Issue: Same name',
    '1. Look',
    '## Issue: Ünïcödé Çafé',
    '1. Look',
  ].join('\n\n');
  const ids = importRunbook(md, 'x.md').playbooks.map((p) => p.id);
  assert.deepEqual(ids, ['etc-passwd', 'scenario-2', 'same-name', 'same-name-2', 'unicode-cafe']);
});

test('any input either imports into valid playbooks or fails with an ImportError', () => {
  const piece = fc.constantFrom(
    '# T\n', '## Scenario 1: A\n', '### Issue: B\n', '## Issue 2\n', '### Symptoms\n', '**Symptoms**: `x`, y\n', '**Cause**: c\n', '**Solution**:\n',
    '- item\n', '1. step `git status`\n', '2. next\n', '```bash\nls -la\n```\n', '```\nQ?\n├─ YES → Step 2\n└─ NO → Step 9\n```\n', '```\n1. a\n2. b\n```\n',
    '| Symptoms | Jump |\n|---|---|\n| boom | [S](#scenario-1-a) |\n', '> quote\n', '\n', 'text ', 'â€” ', 'ðŸ” ', '**NEVER**: `rm -rf /`\n', '#### Step 2: Do\n', '\r\n', '{[(\'"',
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 12 })), { maxLength: 30 }), (parts) => {
      let playbooks: Playbook[];
      try {
        playbooks = importRunbook(parts.join(''), 'fuzz.md').playbooks;
      } catch (e) {
        return e instanceof ImportError;
      }
      return playbooks.length > 0 && playbooks.every((p) => PlaybookSchema.safeParse(p).success && checkGraph(p).length === 0);
    }),
    { numRuns: 300 },
  );
});

test('severity is read as seed 002 counts it; "SEV1"/"P1" (counted the other way) is not guessed', () => {
  const severityOf = (value: string): number => importRunbook(`## Issue: A\n\n**Severity**: ${value}\n\n1. Look\n`, 'x.md').playbooks[0]!.severity;
  assert.deepEqual(['1', 'Level 5', 'Critical (Rollback)', 'minor', 'SEV1', 'P1', 'whenever'].map(severityOf), [1, 5, 4, 2, 3, 3, 3]);
  const recoverable = (value: string): [boolean, string] => {
    const p = importRunbook(`## Issue: A\n\n**Recoverable**: ${value}\n\n1. Look\n`, 'x.md').playbooks[0]!;
    return [p.recoverable, p.recoverableReason];
  };
  assert.deepEqual(recoverable('Yes'), [true, 'the runbook says it can be recovered without a person']);
  assert.deepEqual(recoverable('No - needs the on-call DBA'), [false, 'needs the on-call DBA']);
  assert.deepEqual(recoverable('maybe'), [true, 'imported; review']);
});
