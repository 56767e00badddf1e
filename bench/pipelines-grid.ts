/// <reference lib="dom" />
// (DOM types: the callbacks given to page.evaluate() run in the page.)
// The pipeline Grid view (Airflow's grid: DAG runs × tasks) with 1,000 DAG runs × 10 tasks, in
// Chromium against a real `trainyard ui`: time from clicking the Grid tab to the canvas drawn,
// and from opening the grid's URL cold (app start, the DAG runs fetched, drawn). Baseline in the
// same page: the same 11,000 boxes as DOM elements, laid out.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type * as Playwright from 'playwright-core';
import { report, round, scratch } from './harness';
import { seedPipelineRuns } from './support/seed-pipelines';
import { startUi, stopUi, type UiServer } from './support/ui-server';

// scripts/bench.mjs bundles each bench; bundled, playwright-core breaks (it reads files that sit
// beside it), so it is loaded from node_modules when the bench runs.
const playwrightPackage = ['playwright', 'core'].join('-');
const { chromium } = createRequire(import.meta.url)(playwrightPackage) as typeof Playwright;

const runCount = 1000;
const taskCount = 10;
const repeats = 7;
const cliPath = resolve('dist/cli/trainyard.js');
if (!existsSync(cliPath) || !existsSync(resolve('dist/renderer/index.html'))) throw new Error('Build first: node scripts/build.mjs --only=renderer,cli,workers');

const home = scratch('pipelines-grid');
const seeded = await seedPipelineRuns(home, { runs: runCount, tasks: taskCount });
const server = await startUi(cliPath, home);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});

try {
  // What the page waits for: the 1,000 DAG runs over the RPC, from Node.
  const rpc = await timedRuns(server, seeded.pipeline);

  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const canvas = `[data-testid="grid-canvas"][data-drawn-columns="${runCount}"]`;

  // Cold: the grid's URL opened in a fresh tab — the app starts, fetches the runs, draws.
  await page.goto(`${server.url}#/pipelines/${seeded.pipeline}/grid`);
  await page.waitForSelector(canvas);
  const cold = await page.evaluate((selector) => {
    // When the page asked for the DAG runs and when they had arrived, against when the grid was drawn.
    const fetched = performance.getEntriesByType('resource').find((entry) => entry.name.includes('/api/rpc/pipelines.runs')) as PerformanceResourceTiming | undefined;
    return { drawnAt: Number(document.querySelector<HTMLElement>(selector)!.dataset.drawnAt), requestedAt: fetched?.startTime ?? null, arrivedAt: fetched?.responseEnd ?? null };
  }, canvas);

  // Warm: the runs are loaded (the Graph tab shows the newest); the Grid tab is clicked.
  const clicks: { drawn: number; frame: number; paint: number }[] = [];
  for (let attempt = 0; attempt < repeats + 1; attempt += 1) {
    await page.getByTestId('pipeline-tab-graph').click();
    await page.waitForSelector('[data-testid="dag-graph"]');
    await page.waitForTimeout(100);
    const timing = await page.evaluate(async (selector) => {
      const started = performance.now();
      document.querySelector<HTMLElement>('[data-testid="pipeline-tab-grid"]')!.click();
      const drawn = await new Promise<HTMLElement>((done) => {
        const poll = (): void => {
          const element = document.querySelector<HTMLElement>(selector);
          if (element && Number(element.dataset.drawnAt) > started) done(element);
          else requestAnimationFrame(poll);
        };
        poll();
      });
      // The frame after the draw: when the pixels can reach the screen.
      const frame = await new Promise<number>((done) => requestAnimationFrame(() => done(performance.now())));
      return { drawn: Number(drawn.dataset.drawnAt) - started, frame: frame - started, paint: Number(drawn.dataset.paintMs) };
    }, canvas);
    if (attempt > 0) clicks.push(timing); // the first click warms the lazy chunk and the JIT
  }

  // Scrolling through the runs: each scroll repaints only the columns in view.
  const scrollPaints = await page.evaluate(async () => {
    const scroller = document.querySelector<HTMLElement>('.grid-scroll')!;
    const canvasElement = document.querySelector<HTMLElement>('[data-testid="grid-canvas"]')!;
    const paints: number[] = [];
    for (let step = 0; step < 20; step += 1) {
      scroller.scrollLeft = (step * 697) % Math.max(1, scroller.scrollWidth - scroller.clientWidth);
      await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
      paints.push(Number(canvasElement.dataset.paintMs));
    }
    return paints;
  });

  // Baseline: the same boxes (1,000 bars + 10,000 cells) as absolutely placed DOM elements.
  const domMs = await page.evaluate(({ runs, tasks }) => {
    const colors = ['green', 'red', 'gold', 'orange', 'lime'];
    const started = performance.now();
    const host = document.createElement('div');
    host.style.cssText = 'position:fixed;left:0;top:0;width:1200px;height:300px;overflow:auto;z-index:-1';
    const content = document.createElement('div');
    content.style.cssText = `position:relative;width:${runs * 14}px;height:272px`;
    for (let column = 0; column < runs; column += 1) {
      const bar = document.createElement('div');
      bar.style.cssText = `position:absolute;left:${column * 14}px;top:${64 - (column % 64)}px;width:10px;height:${column % 64}px;background:green`;
      bar.title = `run ${column}`;
      content.append(bar);
      for (let row = 0; row < tasks; row += 1) {
        const cell = document.createElement('div');
        cell.style.cssText = `position:absolute;left:${column * 14}px;top:${72 + row * 20 + 3}px;width:10px;height:14px;background:${colors[(column + row) % colors.length]}`;
        cell.title = `task ${row}`;
        content.append(cell);
      }
    }
    host.append(content);
    document.body.append(host);
    void host.getBoundingClientRect();
    void content.lastElementChild!.getBoundingClientRect();
    const ms = performance.now() - started;
    host.remove();
    return ms;
  }, { runs: runCount, tasks: taskCount });

  const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const clickToDrawnMs = median(clicks.map((entry) => entry.drawn));
  report({
    benchmark: 'pipelines-grid',
    dagRuns: runCount,
    tasksPerRun: taskCount,
    seedMs: round(seeded.ms),
    rpcRuns: { ms: round(rpc.ms), megabytes: round(rpc.bytes / 1e6) },
    clickToDrawnMs: round(clickToDrawnMs),
    clickToDrawnMsAll: clicks.map((entry) => round(entry.drawn)),
    clickToNextFrameMs: round(median(clicks.map((entry) => entry.frame))),
    canvasPaintMs: round(median(clicks.map((entry) => entry.paint))),
    scrollPaintMsMedian: round(median(scrollPaints)),
    coldOpenToDrawnMs: round(cold.drawnAt),
    coldRunsRequestedAtMs: cold.requestedAt === null ? null : round(cold.requestedAt),
    coldRunsArrivedAtMs: cold.arrivedAt === null ? null : round(cold.arrivedAt),
    baselineDomBoxesMs: round(domMs),
    goal: 'clickToDrawnMs <= 500',
  });
  await page.close();
} finally {
  await browser.close();
  await stopUi(server.child);
}

/** Median of three `pipelines.runs` calls for the grid's 1,000 runs, and the answer's size. */
async function timedRuns(server: UiServer, pipeline: string): Promise<{ ms: number; bytes: number }> {
  const samples: number[] = [];
  let bytes = 0;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    const response = await fetch(`${server.origin}/api/rpc/pipelines.runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trainyard-token': server.token },
      body: JSON.stringify({ pipeline, limit: runCount }),
    });
    const text = await response.text();
    samples.push(performance.now() - started);
    bytes = text.length;
    if (!response.ok || !text.includes('"ok":true')) throw new Error(`pipelines.runs failed: ${text.slice(0, 300)}`);
  }
  return { ms: samples.sort((a, b) => a - b)[1]!, bytes };
}
