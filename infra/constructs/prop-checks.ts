import { Token } from 'aws-cdk-lib';

/** Set and known at synth time: a token (a reference resolved at deployment) cannot be checked. */
export const isSet = <T>(value: T | undefined): value is T => value !== undefined && !Token.isUnresolved(value);

/** A list prop without repeats, in its order; an unset one is empty. */
export const unique = (values: readonly string[] | undefined) => [...new Set(values ?? [])];

/** A value as it appears in a problem: strings quoted, anything else as JSON. */
export const describe = (value: unknown) => JSON.stringify(value);

const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
const RATE = /^rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\)$/;

/** The forms an EventBridge Scheduler expression may take, for the problems that name them. */
export const SCHEDULE_FORM =
  'cron(minutes hours day-of-month month day-of-week year) with ? in day-of-month or day-of-week, ' +
  'such as cron(0 1 * * ? *), or rate(value unit), such as rate(12 hours)';

/** EventBridge Scheduler refuses a cron expression unless exactly one of the two day fields is `?`. */
export function validSchedule(expression: string): boolean {
  if (RATE.test(expression)) return true;
  const fields = CRON.exec(expression);
  if (!fields) return false;
  const [, , , dayOfMonth, , dayOfWeek] = fields;
  return (dayOfMonth === '?') !== (dayOfWeek === '?');
}

/** An IANA zone name that this Node.js knows (Intl), such as `UTC` or `Asia/Seoul`; offsets like `UTC+2` are not. */
export function validTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
