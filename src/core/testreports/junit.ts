// Reads JUnit XML reports — pytest --junitxml, jest-junit, vitest's junit reporter,
// mocha-junit-reporter, go-junit-report — into TestResults. fast-xml-parser does the XML (a
// well-kept, dependency-light, pure-JS parser with a validator that reports the line of a
// syntax error); this module knows the runners' dialects.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Location, Runner, TestResult } from './model';
import { failureLocation } from './locate';
import { missingModule } from './import-errors';

export type JUnitParse = { ok: true; runner: Runner | 'unknown'; results: TestResult[] } | { ok: false; error: string };

/** Reports larger than this are refused rather than parsed (a report is not a log dump). */
export const MAX_REPORT_CHARS = 32 * 1024 * 1024;
const MAX_DETAILS = 20_000;

type Attrs = Record<string, string | undefined>;
/** A <testcase>: attributes (name, classname, file, line, time) plus its children. */
type XmlCase = Attrs & { failure?: unknown; error?: unknown; skipped?: unknown };
/** A <testsuite>: attributes plus nested suites, cases and properties. */
type XmlSuite = Attrs & { testsuite?: unknown; testcase?: unknown; properties?: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped', 'property'].includes(name),
});

/** Parses one report; `file` names it in the one-line error. */
export function parseJUnit(xml: string, file = 'report.xml'): JUnitParse {
  if (xml.length > MAX_REPORT_CHARS) return { ok: false, error: `${file}: report is larger than ${MAX_REPORT_CHARS / 1024 / 1024} MB; not read` };
  const text = xml.replace(/^\uFEFF/, '');
  // Test reports never need a DTD; refusing one rules out entity-expansion bombs.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, error: `${file}:1: a DOCTYPE or ENTITY declaration is not allowed in a test report` };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: `${file}:${valid.err.line}: ${valid.err.msg}` };
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (e) {
    return { ok: false, error: `${file}:1: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const root = (doc.testsuites ?? doc.testsuite) as XmlSuite | XmlSuite[] | undefined;
  if (!root || typeof root !== 'object') return { ok: false, error: `${file}:1: not a JUnit report (no <testsuites> or <testsuite> root)` };
  const roots = Array.isArray(root) ? root : [root];
  const rootAttrs = doc.testsuites && !Array.isArray(doc.testsuites) ? (doc.testsuites as Attrs) : {};
  const suites: { suite: XmlSuite; cases: XmlCase[] }[] = [];
  const walk = (s: XmlSuite) => {
    suites.push({ suite: s, cases: list<XmlCase>(s.testcase) });
    for (const inner of list<XmlSuite>(s.testsuite)) walk(inner);
  };
  for (const r of roots) {
    if (doc.testsuites) for (const s of list<XmlSuite>(r.testsuite)) walk(s);
    else walk(r);
    // A <testsuites> root may hold test cases directly (rare, but seen).
    if (doc.testsuites && r.testcase) suites.push({ suite: r, cases: list<XmlCase>(r.testcase) });
  }
  const runner = detectRunner(rootAttrs, suites);
  const results = suites.flatMap(({ suite, cases }) => cases.map((c) => toResult(runner, suite, c)));
  return { ok: true, runner, results };
}

function detectRunner(root: Attrs, suites: { suite: XmlSuite; cases: XmlCase[] }[]): Runner | 'unknown' {
  const name = (root.name ?? '').toLowerCase();
  if (name.includes('vitest')) return 'vitest';
  if (name.includes('jest')) return 'jest';
  if (name.includes('mocha')) return 'mocha';
  const all = suites.flatMap((s) => s.cases);
  if (suites.some((s) => s.suite.name === 'pytest') || all.some((c) => /\.py$/.test(c.file ?? ''))) return 'pytest';
  const goProps = suites.some((s) => list<Attrs>((s.suite.properties as { property?: unknown } | undefined)?.property).some((p) => p.name === 'go.version'));
  if (goProps || (all.length > 0 && all.every((c) => /^(?:Test|Benchmark|Example|Fuzz)[A-Z_0-9]?\w*(?:\/.*)?$/.test(c.name ?? '')))) return 'go';
  if (all.some((c) => /\.[cm]?[jt]sx?$/.test(c.file ?? c.classname ?? ''))) return 'vitest';
  return 'unknown';
}

function toResult(runner: Runner | 'unknown', suite: XmlSuite, c: XmlCase): TestResult {
  const failure = first(c.failure) ?? first(c.error);
  const status: TestResult['status'] = c.failure ? 'failed' : c.error ? 'error' : c.skipped ? 'skipped' : 'passed';
  const rawName = decodeCharRefs(c.name ?? '');
  const classname = decodeCharRefs(c.classname ?? '');
  // pytest's classname is the test's dotted address; an empty one (a module that failed to
  // import) must not become the <testsuite> name, which is just "pytest".
  const suiteName = runner === 'pytest' ? classname : runner === 'mocha' ? classname || (suite.name ?? '') : (suite.name ?? classname);
  const details = failure ? bounded(`${failure.text}${failure.text && failure.message && !failure.text.includes(failure.message) ? `\n${failure.message}` : ''}` || failure.message) : undefined;
  const message = failure ? firstLine(failure.message || failure.text) : undefined;
  const testFile = c.file ?? (runner === 'vitest' && /\.[cm]?[jt]sx?$/.test(classname) ? classname : undefined) ?? (runner === 'vitest' || runner === 'jest' ? suiteFile(suite.name) : undefined);
  const definedAt = definition(runner, c, testFile);
  const failedAt = details ? failureLocation(details, { python: runner === 'pytest', ...(testFile ? { testFile } : {}) }) : undefined;
  const missing = details ? missingModule(details) : undefined;
  // vitest writes the title path "outer > inner > test"; the test's own title is the last part.
  const name = runner === 'vitest' ? (rawName.split(' > ').at(-1) ?? rawName) : rawName;
  return {
    runner,
    suite: suiteName,
    name,
    fullName: rawName,
    status,
    ...(definedAt ? { definedAt } : {}),
    ...(failedAt ? { failedAt } : {}),
    ...(message ? { message } : {}),
    ...(details ? { details } : {}),
    ...(missing ? { missingModule: missing } : {}),
  };
}

/** pytest writes 0-based line numbers; the others write 1-based ones or none. */
function definition(runner: Runner | 'unknown', c: XmlCase, testFile: string | undefined): Location | undefined {
  const file = c.file ?? testFile ?? (runner === 'pytest' && c.classname ? pytestFile(c.classname) : undefined);
  if (!file) return undefined;
  const raw = Number(c.line);
  const line = Number.isInteger(raw) && c.line !== undefined ? (runner === 'pytest' ? raw + 1 : Math.max(1, raw)) : 0;
  return { file, line };
}

/** `tests.test_user.TestCreate` -> `tests/test_user.py` (pytest names modules by dotted path). */
function pytestFile(classname: string): string | undefined {
  const parts = classname.split('.');
  let mod = -1;
  parts.forEach((p, i) => {
    if (/^test_|_test$/.test(p)) mod = i;
  });
  return mod >= 0 ? `${parts.slice(0, mod + 1).join('/')}.py` : undefined;
}

function suiteFile(name: string | undefined): string | undefined {
  return name && /\.[cm]?[jt]sx?$/.test(name) ? name : undefined;
}

function first(v: unknown): { message: string; text: string } | undefined {
  const x = list<unknown>(v)[0];
  if (x === undefined) return undefined;
  if (typeof x === 'string') return { message: '', text: decodeCharRefs(x) };
  const o = x as Attrs & { '#text'?: string };
  return { message: decodeCharRefs(o.message ?? ''), text: typeof o['#text'] === 'string' ? decodeCharRefs(o['#text']) : '' };
}

/** Numeric character references (`&#10;` in pytest's messages) are left encoded by the parser. */
function decodeCharRefs(s: string): string {
  return s.replace(/&#(?:x([0-9a-f]+)|(\d+));/gi, (ref, hex: string | undefined, dec: string | undefined) => {
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ref;
  });
}

function list<T>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

function firstLine(s: string): string {
  return (
    s
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean) ?? ''
  ).slice(0, 500);
}

function bounded(s: string): string {
  const t = s.replace(/\r\n/g, '\n').trim();
  return t.length > MAX_DETAILS ? `${t.slice(0, MAX_DETAILS)}\n…` : t;
}
