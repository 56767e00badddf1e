import type { Locator, Page } from '@playwright/test';

/** One run's page: header and metric charts. */
export class RunPage {
  readonly root: Locator;
  readonly title: Locator;
  readonly status: Locator;
  readonly charts: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('run-page');
    this.title = page.getByTestId('run-title');
    this.status = this.root.getByTestId('run-status').first();
    this.charts = page.getByTestId('metric-chart');
  }

  chart(metricKey: string): Locator {
    return this.page.locator(`[data-testid="metric-chart"][data-metric-key="${metricKey}"]`);
  }

  tab(name: 'metrics' | 'params' | 'tags' | 'environment' | 'artifacts'): Locator {
    return this.page.getByTestId(`run-tab-${name}`);
  }
}
