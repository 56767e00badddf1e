import { expect, type Locator, type Page } from '@playwright/test';

/** The runs section: experiments, filter box and the virtualized runs table. */
export class RunsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly filterInput: Locator;
  readonly filterError: Locator;
  readonly experiments: Locator;

  /**
   * `url`: the address `trainyard ui` printed (browser mode), or null where the app is already
   * loaded (the Electron window) and only the hash route changes.
   */
  constructor(
    readonly page: Page,
    private readonly url: string | null,
  ) {
    this.table = page.getByTestId('runs-table');
    this.rows = page.getByTestId('run-row');
    this.filterInput = page.getByTestId('filter-input');
    this.filterError = page.getByTestId('filter-error');
    this.experiments = page.getByTestId('experiment-item');
  }

  /** Opens the app at the address the server printed (token included), optionally at a route. */
  async open(hash = ''): Promise<void> {
    if (this.url !== null) await this.page.goto(`${this.url}${hash}`);
    else await this.page.evaluate((route) => (window.location.hash = route || '#/runs'), hash);
    await expect(this.page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  }

  row(runId: string): Locator {
    return this.page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  }

  async filter(text: string): Promise<void> {
    await this.filterInput.fill(text);
    await this.filterInput.press('Enter');
  }

  experiment(name: string): Locator {
    return this.experiments.filter({ hasText: name });
  }

  async openRun(runId: string): Promise<void> {
    await this.row(runId).getByTestId('run-name').click();
  }
}
