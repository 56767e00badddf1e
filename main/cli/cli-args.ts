import { parseArgs, type ParseArgsConfig } from 'node:util';
import { WorkbenchError } from '../../shared/errors';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  readonly words: readonly string[];
  run(args: readonly string[]): Promise<number>;
}

export const usage = `Usage: trainyard <command> [options]

  ui [--port N] [--host H] [--mlflow-port 5000]   browser mode (prints the URL) + the MLflow-compatible server
  experiments list                  experiments with their run counts
  experiments create <name>         create an experiment
  runs list [--experiment E] [--filter F] [--order-by C] [--max N]
                                    runs, newest first (filter: metrics.acc > 0.9 and params.lr = '0.01')
  runs show <run id>                one run: params, metrics, tags, environment
  runs create [--experiment E] [--name N] [--param k=v] [--tag k=v] [--parent ID]
  runs log <run id> [--metric key=value[@step]] [--param k=v] [--tag k=v]
  runs log-artifact <run id> <file or folder> [--path P]
  runs end <run id> [--status FINISHED|FAILED|KILLED]
  runs delete <run id> | runs restore <run id>
  runs purge [--older-than-days N]  delete trashed runs for good and free their disk
  probe                             hardware and the onnxruntime execution providers that load
  data add <file or folder> [--name N] [--delimiter D] [--no-header] [--encoding E] [--skip-bad-rows] [--dvc]
  data list | data show <name>[@version] | data preview <name>[@version] [--limit N]
  data validate <name>[@version] --suite suite.json     exit code 1 when an expectation fails
  data suggest <name>[@version] [--out suite.json]
  data transform <name>[@version] --steps steps.json [--name OUT]
  data export <name>[@version] <folder> [--force]
  train --data <file> | --dataset <name>[@version] --target <column> [--config train.yaml]
        [--epochs N] [--lr X] [--batch-size N] [--hidden 64,64] [--experiment E] [--name N]
        [--sweep sweep.yaml]              grid or random search: one nested run per trial
  models import <file.onnx> [--name N] [--experiment E]   a model trained elsewhere, kept as a run
  models list [--filter TEXT] | models show <name>
  models register <run id> <name> [--alias A] [--stage S] [--archive-existing] [--path model]
  models stage <name> <version> <None|Staging|Production|Archived> [--archive-existing]
  models alias <name> <alias> <version> | models alias <name> <alias> --delete
  run <pipeline.yaml> [--param k=v]... [--force]   run a pipeline with a live view; exit code 1 when it fails
  check <pipeline.yaml>             validate a spec (errors give line:column)
  dags list | dags runs [pipeline] [--limit N] | dags show <pipeline>/<run id>
  logs <pipeline>/<run id> <task> [--attempt N]
  rerun <pipeline>/<run id>         re-run exactly: same spec, params and dataset versions
  scheduler                         run cron schedules and dataset triggers until Ctrl-C
  server [--port 5000] [--host H --token T]   the MLflow-compatible REST server (MLFLOW_TRACKING_URI)
  import mlflow <mlruns folder | http(s)://tracking URI> [--verbose]   copy an MLflow store (experiments, runs, metrics,
                                    artifacts, registered models) into Trainyard; run it again to resume
  serve <model uri> [--port 5001] [--host 127.0.0.1]   MLflow scoring protocol: POST /invocations, GET /ping
  remote add <name> --bucket B [--endpoint URL] [--region R] [--prefix P] [--path-style]
        [--auth keys|profile|environment] [--profile NAME] [--access-key-id ID --secret-stdin]
                                    a team bucket (keys: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
                                    or --secret-stdin; never an argument); tests the connection
  remote test [name] | remote list | remote remove <name>
  sync [--push | --pull] [--dry-run] [--remote NAME]   push what is new, pull what teammates pushed
  evaluate <model uri> --dataset <name>[@version] [--target COL] [--fail-if "metrics.accuracy < 0.9"]
                                    metrics + plots as an evaluate run; exit code 1 when the gate fails

Global options: --home <dir> (data folder; default TRAINYARD_HOME or the OS app-data folder), --json`;

const global = { home: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

export function parse<const O extends ParseArgsOptionsConfig>(args: readonly string[], options: O): ReturnType<typeof parseArgs<{ args: string[]; options: typeof global & O; allowPositionals: true; strict: true }>> {
  const merged = { ...global, ...options } as typeof global & O;
  return parseArgs({ args: [...args], options: merged, allowPositionals: true, strict: true });
}

export function positional(positionals: readonly string[], index: number, what: string): string {
  const value = positionals[index];
  if (!value) throw new WorkbenchError('INVALID_ARGUMENT', `Missing ${what}.\n\n${usage}`);
  return value;
}

