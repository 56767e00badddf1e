import { dataTaskSchema } from '../../shared/data-tasks';
import { runWorker } from '../runtime';
import { Duck } from './duckdb';
import { ingest } from './ingest/ingest';
import { preview } from './ingest/preview';
import { transform } from './transform/index';
import { validate } from './validate/validate';

/** The `data` worker: one DuckDB task per attempt (ingest, preview, validate, transform). */
runWorker(async (input, context) => {
  const task = dataTaskSchema.parse(input);
  const duck = await Duck.open({
    threads: Number(process.env.TRAINYARD_DATA_THREADS) || 2,
    ...(process.env.TRAINYARD_DATA_TEMP ? { tempDirectory: process.env.TRAINYARD_DATA_TEMP } : {}),
  });
  try {
    switch (task.task) {
      case 'ingest':
        return await ingest(duck, task.source, context);
      case 'preview':
        return await preview(duck, task.source, task.offset, task.limit);
      case 'validate':
        return await validate(duck, task.source, task.suite, task.resultFormat);
      case 'transform':
        return await transform(duck, task.source, task.steps, task.outputDir);
    }
  } finally {
    duck.close();
  }
});
