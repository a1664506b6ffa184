/**
 * `tsplay/testing`: the module tester. A table of cases per module (start
 * state, arguments, expected plan and diff, expected end state), run through
 * the real engine: check mode leaves the host unchanged, apply does what the
 * plan said, a second run changes nothing.
 *
 *   import { testModule } from 'tsplay/testing';
 *   import ensureLine from './modules/ensure_line.js';
 *
 *   const reports = await testModule(ensureLine, [
 *     {
 *       name: 'adds the line once',
 *       files: { motd: 'hello\n' },
 *       args: { path: '{{ test_dir }}/motd', line: 'managed' },
 *       plan: { changed: true },
 *       diff: [{ path: 'motd', before: 'hello\n', after: 'hello\nmanaged\n' }],
 *       expect: { motd: 'hello\nmanaged\n' },
 *     },
 *   ]);
 *   // each report: { name, problems: string[] } (empty when the case passed)
 *
 * Over SSH: testModule(def, cases, { host: { vars: { ansible_host, ansible_user, ... } } }).
 */
export { assertModule, testModule, type CaseReport, type ExpectedPlan, type FileSpec, type ModuleCase, type TesterOptions } from './module-tester.js';
