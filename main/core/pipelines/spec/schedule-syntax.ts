/**
 * The schedule's syntax only; what a cron means (next fire times, time zones, catch-up) is the
 * scheduler's business.
 */

export const cronPresets = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'] as const;

const fieldNames = ['minute', 'hour', 'day of month', 'month', 'day of week'];
const fieldPattern = /^[0-9A-Za-z*?/,-]+$/;

/** Why `cron` is not a five-field cron or a preset, or null when it reads as one. */
export function cronSyntaxProblem(cron: string): string | null {
  const text = cron.trim();
  if (text.startsWith('@')) {
    return (cronPresets as readonly string[]).includes(text) ? null : `'${text}' is not a cron preset: use ${cronPresets.join(', ')} or five fields`;
  }
  const fields = text.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `'${text}' has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron has 5 (${fieldNames.join(', ')}), e.g. '0 3 * * *', or is one of ${cronPresets.join(', ')}`;
  const bad = fields.findIndex((field) => !fieldPattern.test(field));
  if (bad >= 0) return `'${fields[bad]}' is not a cron ${fieldNames[bad]} field: use numbers, names, *, ranges (1-5), lists (1,3) and steps (*/15)`;
  return null;
}

/** Why `zone` is not an IANA time zone this runtime knows, or null. */
export function timezoneProblem(zone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `'${zone}' is not a time zone: use an IANA name such as UTC, Europe/Paris or America/New_York`;
  }
}

/** Why `date` is not an ISO date (`2026-01-31`, `2026-01-31T03:00:00Z`), or null. */
export function startDateProblem(date: string): string | null {
  return /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(date.trim()) && !Number.isNaN(Date.parse(date.trim())) ? null : `'${date}' is not an ISO date such as 2026-01-31 or 2026-01-31T03:00:00Z`;
}
