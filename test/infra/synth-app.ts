import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { defineArchiveApp } from '../../infra/archive-app';
import { RdsLogArchive, type RdsLogArchiveProps } from '../../infra/constructs/rds-log-archive';
import { REPO_ROOT } from '../../infra/constructs/repo-paths';
import type { RdsLogArchiveStack } from '../../infra/rds-log-archive-stack';

/** The context of cdk.json: the worked example and the feature flags `cdk synth` uses. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

/** Only the feature flags of cdk.json, for a construct configured by props rather than context. */
export function featureFlags(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cdkJsonContext()).filter(([key]) => key.startsWith('@aws-cdk')));
}

/**
 * The app as `cdk synth` builds it (cdk.json's context, with `overrides` on top, and the cdk-nag
 * checks), without bundling the tasks: bundling takes seconds and changes nothing these tests read.
 */
export function synthApp(overrides: Record<string, unknown> = {}): {
  app: App;
  stack: RdsLogArchiveStack;
  template: Template;
} {
  const { app, stack } = buildApp(overrides);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The app of synthApp, not yet synthesized. */
export function buildApp(overrides: Record<string, unknown> = {}): { app: App; stack: RdsLogArchiveStack } {
  const app = new App({ context: { ...cdkJsonContext(), ...overrides, [BUNDLING_STACKS]: [] } });
  return { app, stack: defineArchiveApp(app) };
}

/** The construct alone in a stack, unbundled, configured by props. */
export function synthConstruct(props: RdsLogArchiveProps, extras?: (scope: Stack) => Partial<RdsLogArchiveProps>) {
  const app = new App({ context: { ...featureFlags(), [BUNDLING_STACKS]: [] } });
  const scope = new Stack(app, 'Unbundled');
  const archive = new RdsLogArchive(scope, 'Archive', { ...props, ...extras?.(scope) });
  return { app, archive, scope, template: Template.fromStack(scope) };
}
