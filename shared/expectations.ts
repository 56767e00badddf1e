import { z } from 'zod';

/**
 * Great Expectations' JSON shapes (SEMANTICS.md §3), with GE's snake_case field names so suites and
 * results move between the two tools unchanged.
 */
export const supportedExpectations = [
  'expect_column_values_to_not_be_null',
  'expect_column_values_to_be_in_set',
  'expect_column_values_to_be_between',
  'expect_column_values_to_be_unique',
  'expect_column_values_to_match_regex',
  'expect_column_mean_to_be_between',
  'expect_table_row_count_to_be_between',
  'expect_column_to_exist',
  'expect_table_columns_to_match_ordered_list',
] as const;
export type ExpectationType = (typeof supportedExpectations)[number];

const jsonRecord = z.record(z.string(), z.unknown());

export const expectationConfigSchema = z.object({
  type: z.string().min(1),
  kwargs: jsonRecord,
  meta: jsonRecord.optional(),
  id: z.string().optional(),
  notes: z.union([z.string(), z.array(z.string())]).optional(),
});
export type ExpectationConfig = z.infer<typeof expectationConfigSchema>;

/** A suite in GX 1.x form (import also accepts 0.x: `expectation_suite_name`, `expectation_type`). */
export const expectationSuiteSchema = z.object({
  name: z.string().min(1),
  id: z.string().optional(),
  expectations: z.array(expectationConfigSchema),
  suite_parameters: jsonRecord.optional(),
  meta: jsonRecord.optional(),
  notes: z.union([z.string(), z.array(z.string())]).optional(),
});
export type ExpectationSuite = z.infer<typeof expectationSuiteSchema>;

export const expectationResultSchema = z.object({
  success: z.boolean(),
  expectation_config: expectationConfigSchema,
  result: jsonRecord,
  meta: jsonRecord,
  exception_info: z.object({
    raised_exception: z.boolean(),
    exception_message: z.string().nullable(),
    exception_traceback: z.string().nullable(),
  }),
});
export type ExpectationResult = z.infer<typeof expectationResultSchema>;

export const validationResultSchema = z.object({
  success: z.boolean(),
  results: z.array(expectationResultSchema),
  suite_name: z.string(),
  statistics: z.object({
    evaluated_expectations: z.number(),
    successful_expectations: z.number(),
    unsuccessful_expectations: z.number(),
    success_percent: z.number().nullable(),
  }),
  meta: jsonRecord,
});
export type ValidationResult = z.infer<typeof validationResultSchema>;

/** The suite-level result: statistics over the per-expectation results (GE's validation_statistics). */
export function summarizeValidation(suiteName: string, results: ExpectationResult[], meta: Record<string, unknown>): ValidationResult {
  const successful = results.filter((result) => result.success).length;
  return {
    success: successful === results.length,
    results,
    suite_name: suiteName,
    statistics: {
      evaluated_expectations: results.length,
      successful_expectations: successful,
      unsuccessful_expectations: results.length - successful,
      success_percent: results.length === 0 ? null : (successful / results.length) * 100,
    },
    meta,
  };
}

/** GE's result_format levels; validation defaults to SUMMARY. */
export const resultFormats = ['BOOLEAN_ONLY', 'BASIC', 'SUMMARY', 'COMPLETE'] as const;
export type ResultFormat = (typeof resultFormats)[number];

/** A stored validation run of one suite against one dataset version. */
export const validationReportSchema = z.object({
  id: z.number(),
  dataset: z.string(),
  version: z.number(),
  suiteName: z.string(),
  success: z.boolean(),
  createdAt: z.number(),
  result: validationResultSchema,
});
export type ValidationReport = z.infer<typeof validationReportSchema>;
