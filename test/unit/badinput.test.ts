import { type BadInputCase, loadCases, runCase } from '../badinput/run-cases';
import { AUTH_HEADER_VALUE } from '../badinput/secrets';

const cases = loadCases();
const named = (items: BadInputCase[]) => items.map((item) => [item.name, item] as const);

describe('bad input catalogue', () => {
  it('holds at least 30 cases, each with a unique name', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((item) => item.name)).size).toBe(cases.length);
  });

  it.each(named(cases.filter((item) => !item.bug)))(
    '%s: fails by name (or ends as designed), touches nothing and leaks no secret',
    async (_, item) => {
      const outcome = await runCase(item);

      expect(outcome.problems).toEqual([]);
      expect(outcome.outcome).toBe('held');
    },
  );

  // A case may be marked as a known defect, which keeps it red in `npm run badinput`; none is left.
  it('has no case left marked as a known defect', () => {
    expect(cases.filter((item) => item.bug).map((item) => item.name)).toEqual([]);
  });

  it('reports a case that writes, posts or leaks instead of failing', async () => {
    // A valid event is stored and posted: every check of the runner must notice.
    const outcome = await runCase({
      name: 'a valid RDS event',
      kind: 'control',
      target: 'capture-rds-event',
      payload: { $file: 'events/rds-event.automated-snapshot.json' },
      expect: { error: 'InvalidInputError', mentions: ['detail'] },
    });

    expect(outcome.outcome).toBe('failed');
    expect(outcome.problems).toEqual([
      expect.stringContaining('expected InvalidInputError, got a result'),
      'message does not mention "detail"',
      'sent mutating commands: PutObjectCommand, PutObjectCommand',
      'posted 1 time(s), expected 0',
    ]);
  });

  it('finds a secret that reaches the error message', async () => {
    // Resolve Run quotes a refused identifier; an auth value given as one must be caught as a leak.
    const outcome = await runCase({
      name: 'an auth header value given as a cluster id',
      kind: 'control',
      target: 'resolve-run',
      input: { from: '2026-11-19T00:00:00Z', to: '2026-11-20T00:00:00Z', clusters: [AUTH_HEADER_VALUE] },
      expect: { error: 'InvalidInputError', mentions: ['clusters[0]'] },
    });

    expect(outcome.problems).toEqual([expect.stringMatching(/^leaked \d+ secret value\(s\)$/)]);
    expect(outcome.message).not.toContain(AUTH_HEADER_VALUE);
  });
});
