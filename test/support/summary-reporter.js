/**
 * Prints one plain closing line, `jest: N passed, N failed, N skipped`, after jest's own summary,
 * so CI logs can be read by tools that do not know jest's format.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\njest: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped\n`);
  }
}
module.exports = SummaryReporter;
