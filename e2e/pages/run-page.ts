import type { Locator, Page } from '@playwright/test';

/** One run's page: header and metric charts. */
export class RunPage {
  readonly root: Locator;
  readonly title: Locator;
  readonly status: Locator;
  readonly charts: Locator;
  /** The execution provider a training run ran on, and the header's training facts. */
  readonly provider: Locator;
  readonly modelInputs: Locator;
  readonly failure: Locator;
  readonly stop: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('run-page');
    this.title = page.getByTestId('run-title');
    this.status = this.root.getByTestId('run-status').first();
    this.charts = page.getByTestId('metric-chart');
    this.provider = page.getByTestId('run-provider');
    this.modelInputs = page.getByTestId('run-model-inputs');
    this.failure = page.getByTestId('run-failure');
    this.stop = page.getByTestId('run-stop');
  }

  artifact(path: string): Locator {
    return this.page.locator(`[data-testid="artifact-entry"][data-path="${path}"]`);
  }

  chart(metricKey: string): Locator {
    return this.page.locator(`[data-testid="metric-chart"][data-metric-key="${metricKey}"]`);
  }

  tab(name: 'metrics' | 'params' | 'tags' | 'environment' | 'artifacts'): Locator {
    return this.page.getByTestId(`run-tab-${name}`);
  }
}
