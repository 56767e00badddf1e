import { expect, type Locator, type Page } from '@playwright/test';

/** The pipelines section: the list, a pipeline's page (Graph, Grid, Runs, Spec), a DAG run and a task instance with its log. */
export class PipelinesPage {
  readonly rows: Locator;
  readonly empty: Locator;
  readonly title: Locator;
  readonly triggerButton: Locator;
  readonly triggerDialog: Locator;
  readonly graph: Locator;
  readonly nodes: Locator;
  readonly grid: Locator;
  readonly gridCanvas: Locator;
  readonly runRows: Locator;
  readonly taskPanel: Locator;
  readonly attemptTabs: Locator;
  readonly log: Locator;
  readonly logSearch: Locator;

  /** `url`: the address `trainyard ui` printed. */
  constructor(
    readonly page: Page,
    private readonly url: string,
  ) {
    this.rows = page.getByTestId('pipeline-row');
    this.empty = page.getByTestId('pipelines-empty');
    this.title = page.getByTestId('pipeline-title');
    this.triggerButton = page.getByTestId('trigger-button');
    this.triggerDialog = page.getByTestId('trigger-dialog');
    this.graph = page.getByTestId('dag-graph');
    this.nodes = page.getByTestId('dag-node');
    this.grid = page.getByTestId('grid-panel');
    this.gridCanvas = page.getByTestId('grid-canvas');
    this.runRows = page.getByTestId('dag-run-row');
    this.taskPanel = page.getByTestId('task-panel');
    this.attemptTabs = page.getByTestId('attempt-tab');
    this.log = page.getByTestId('task-log');
    this.logSearch = page.getByTestId('log-search');
  }

  async open(hash = '#/pipelines'): Promise<void> {
    await this.page.goto(`${this.url}${hash}`);
    await expect(this.page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  }

  row(name: string): Locator {
    return this.page.locator(`[data-testid="pipeline-row"][data-pipeline="${name}"]`);
  }

  tab(name: 'graph' | 'grid' | 'runs' | 'spec'): Locator {
    return this.page.getByTestId(`pipeline-tab-${name}`);
  }

  /** A step of the graph on screen (the pipeline's Graph tab or a DAG run's page). */
  node(task: string): Locator {
    return this.page.locator(`[data-testid="dag-node"][data-task="${task}"]`);
  }

  param(name: string): Locator {
    return this.page.locator(`[data-testid="trigger-param"][data-param="${name}"]`).getByTestId('trigger-param-input');
  }

  attempt(tryNumber: number): Locator {
    return this.page.locator(`[data-testid="attempt-tab"][data-try="${tryNumber}"]`);
  }

  runRow(runId: string): Locator {
    return this.page.locator(`[data-testid="dag-run-row"][data-run="${runId}"]`);
  }
}
