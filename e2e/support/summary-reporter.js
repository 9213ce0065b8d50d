// The last line of a run, for people and for CI: "N passed, N failed". Tests that never ran because the run itself
// failed (the stack did not start, a time limit, an interruption) count as failed.
export default class SummaryReporter {
  onBegin(config, suite) {
    this.suite = suite;
  }

  onEnd(result) {
    let passed = 0;
    let failed = 0;
    let flaky = 0;
    let skipped = 0;
    for (const test of this.suite.allTests()) {
      const outcome = test.outcome();
      if (outcome === 'expected') passed += 1;
      else if (outcome === 'flaky') flaky += 1;
      else if (outcome === 'skipped' && test.results.length > 0 && test.expectedStatus === 'skipped') skipped += 1;
      else if (outcome === 'skipped' && result.status === 'passed') skipped += 1;
      else failed += 1;
    }
    const extra = [flaky && `${flaky} flaky`, skipped && `${skipped} skipped`].filter(Boolean);
    console.log(`\ne2e: ${result.status}`);
    console.log([`${passed} passed`, `${failed} failed`, ...extra].join(', '));
  }

  printsToStdio() {
    return true;
  }
}
