// node:test reporter that counts leaf tests (suites are not counted) and prints one
// plain closing line: "N passed, N failed, N skipped". When TEST_SUMMARY_FILE is set the
// counts are also written there as JSON, so .ci/run can add up several runs.
import { writeFileSync } from 'node:fs';

export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') {
      // A suite that fails outside its tests (a hook, an import) still has to count.
      if (event.type === 'test:fail' && event.data.details?.error?.failureType !== 'subtestsFailed') failed++;
      continue;
    }
    if (event.data.skip || event.data.todo) skipped++;
    else if (event.type === 'test:pass') passed++;
    else failed++;
  }
  const file = process.env.TEST_SUMMARY_FILE;
  if (file) writeFileSync(file, JSON.stringify({ passed, failed, skipped }));
  yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
