import { migrations as cloudwatch } from './cloudwatch/migrations.js';
import { migrations as codebuild } from './codebuild/migrations.js';
import { migrations as codecommit } from './codecommit/migrations.js';
import { migrations as codedeploy } from './codedeploy/migrations.js';
import { migrations as codepipeline } from './codepipeline/migrations.js';
import { migrations as delivery } from './core/delivery.js';
import { migrations as scheduler } from './core/scheduler.js';
import type { Migration } from './core/store/db.js';
import { migrations as events } from './events/migrations.js';
import { migrations as iam } from './iam/api/migrations.js';
import { migrations as lambda } from './lambda/migrations.js';
import { migrations as logs } from './logs/migrations.js';
import { migrations as notifications } from './notifications/migrations.js';
import { migrations as s3 } from './s3/migrations.js';
import { migrations as secretsmanager } from './secretsmanager/migrations.js';
import { migrations as sns } from './sns/migrations.js';
import { migrations as sqs } from './sqs/migrations.js';
import { migrations as ssm } from './ssm/migrations.js';
import { migrations as sts } from './sts/migrations.js';

/**
 * Every migration set this codesuite applies, by the name it records in schema_migrations, so a
 * snapshot from a newer schema is refused before it is unpacked. test/snapshot checks that a
 * started server's database records no name or version missing here.
 */
const SCHEMA: Record<string, Migration[]> = {
  'core.scheduler': scheduler,
  'core.delivery': delivery,
  cloudwatch,
  codebuild,
  codecommit,
  codedeploy,
  codepipeline,
  events,
  iam,
  lambda,
  logs,
  notifications,
  s3,
  secretsmanager,
  sns,
  sqs,
  ssm,
  sts,
};

/** Per migration set, the highest version this codesuite knows. */
export function knownSchema(): Record<string, number> {
  return Object.fromEntries(Object.entries(SCHEMA).map(([name, list]) => [name, Math.max(...list.map((m) => m.version))]));
}
