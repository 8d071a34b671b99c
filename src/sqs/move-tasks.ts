import type * as T from '@aws-sdk/client-sqs';
import { RetryJobAt } from '../core/scheduler.js';
import { operation, type OperationSpec } from '../core/service.js';
import { invalidParameterValue, invalidValue, resourceNotFound, unsupported } from './errors.js';
import type { Sqs } from './sqs.js';

const MOVE_JOB = 'sqs.message-move-task';
/** What a task moves per second when the caller sets no rate (AWS's "system optimized"). */
const DEFAULT_RATE = 500;

interface TaskRow {
  task_id: string;
  source_arn: string;
  destination_arn: string | null;
  max_per_second: number | null;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  moved: number;
  to_move: number;
  failure_reason: string | null;
  started_at: number;
}

const handleOf = (row: TaskRow) => Buffer.from(JSON.stringify({ taskId: row.task_id, sourceArn: row.source_arn }), 'utf8').toString('base64');

function readHandle(handle: string): { taskId: string; sourceArn: string } | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown; sourceArn?: unknown };
    if (typeof parsed.taskId === 'string' && typeof parsed.sourceArn === 'string') return { taskId: parsed.taskId, sourceArn: parsed.sourceArn };
  } catch {
    // not a handle this server gave out
  }
  return undefined;
}

/**
 * Message move tasks: redrive from a dead-letter queue back to each message's source queue (or
 * to a chosen destination), a second's worth of messages per scheduler run, so a task survives a
 * restart and is cancelled between runs.
 */
export function moveTaskOperations(sqs: Sqs): Record<string, OperationSpec> {
  const { db, scheduler } = sqs.deps;
  const task = (id: string) => db.prepare('SELECT * FROM sqs_move_tasks WHERE task_id = ?').get(id) as TaskRow | undefined;
  const finish = (row: TaskRow, status: TaskRow['status'], reason?: string) =>
    db.prepare('UPDATE sqs_move_tasks SET status = ?, failure_reason = ? WHERE task_id = ?').run(status, reason ?? null, row.task_id);

  scheduler.register<{ taskId: string }>(MOVE_JOB, (job) => {
    const row = task(job.payload.taskId);
    if (!row) return;
    if (row.status === 'CANCELLING') return void finish(row, 'CANCELLED');
    if (row.status !== 'RUNNING') return;
    const source = sqs.queues.byArn(row.source_arn);
    if (!source) return void finish(row, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
    const batch = sqs.messages.oldest(source, Math.min(row.max_per_second ?? DEFAULT_RATE, row.to_move - row.moved));
    const now = sqs.now();
    const failure = db.transaction(() => {
      for (const message of batch) {
        const destination = sqs.queues.byArn(row.destination_arn ?? message.dead_letter_source_arn ?? '');
        if (!destination) return 'AWS.SimpleQueueService.NonExistentQueue';
        sqs.messages.moveTo(message, destination, null, now);
        db.prepare('UPDATE sqs_move_tasks SET moved = moved + 1 WHERE task_id = ?').run(row.task_id);
      }
      return undefined;
    })();
    const after = task(row.task_id)!;
    if (failure) return void finish(after, 'FAILED', failure);
    if (batch.length === 0 || after.moved >= after.to_move) return void finish(after, 'COMPLETED');
    throw new RetryJobAt('moving on', now + 1000);
  });

  return {
    StartMessageMoveTask: operation<T.StartMessageMoveTaskRequest, T.StartMessageMoveTaskResult>({
      iam: { action: 'sqs:StartMessageMoveTask', resource: (i) => i.SourceArn ?? '*' },
      handler: (input) => {
        const source = sqs.queues.byArn(input.SourceArn!);
        if (!source) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        if (sqs.queues.deadLetterSources(source.arn).length === 0) throw invalidParameterValue('Source queue must be configured as a Dead Letter Queue.');
        if (input.DestinationArn !== undefined && !sqs.queues.byArn(input.DestinationArn)) {
          throw resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.");
        }
        const rate = input.MaxNumberOfMessagesPerSecond;
        if (rate !== undefined && (rate < 1 || rate > 500)) throw invalidValue(rate, 'MaxNumberOfMessagesPerSecond', 'Must be between 1 and 500, if provided.');
        const running = db.prepare("SELECT 1 FROM sqs_move_tasks WHERE source_arn = ? AND status IN ('RUNNING', 'CANCELLING')").get(source.arn);
        if (running) throw unsupported('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
        const taskId = sqs.deps.ids.uuid();
        const toMove = sqs.messages.counts(source).visible;
        db.transaction(() => {
          db.prepare('INSERT INTO sqs_move_tasks (task_id, source_arn, destination_arn, max_per_second, status, to_move, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
            taskId,
            source.arn,
            input.DestinationArn ?? null,
            rate ?? null,
            'RUNNING',
            toMove,
            sqs.now(),
          );
          scheduler.enqueue({ kind: MOVE_JOB, key: `${MOVE_JOB}:${taskId}`, payload: { taskId } });
        })();
        return { TaskHandle: handleOf(task(taskId)!) };
      },
    }),

    CancelMessageMoveTask: operation<T.CancelMessageMoveTaskRequest, T.CancelMessageMoveTaskResult>({
      iam: { action: 'sqs:CancelMessageMoveTask', resource: (i) => readHandle(i.TaskHandle ?? '')?.sourceArn ?? '*' },
      handler: (input) => {
        const handle = readHandle(input.TaskHandle ?? '');
        if (!handle) throw invalidParameterValue('Value for parameter TaskHandle is invalid.');
        const row = task(handle.taskId);
        if (!row || row.status !== 'RUNNING') throw resourceNotFound('Task does not exist.');
        db.prepare("UPDATE sqs_move_tasks SET status = 'CANCELLING' WHERE task_id = ?").run(row.task_id);
        return { ApproximateNumberOfMessagesMoved: row.moved };
      },
    }),

    ListMessageMoveTasks: operation<T.ListMessageMoveTasksRequest, T.ListMessageMoveTasksResult>({
      iam: { action: 'sqs:ListMessageMoveTasks', resource: (i) => i.SourceArn ?? '*' },
      handler: (input) => {
        if (!sqs.queues.byArn(input.SourceArn!)) throw resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.");
        const max = input.MaxResults ?? 1;
        if (max < 1 || max > 10) throw invalidValue(max, 'MaxResults', 'Must be between 1 and 10, if provided.');
        const rows = db.prepare('SELECT * FROM sqs_move_tasks WHERE source_arn = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(input.SourceArn, max) as TaskRow[];
        return {
          Results: rows.map((row) => ({
            ...(row.status === 'RUNNING' ? { TaskHandle: handleOf(row) } : {}),
            Status: row.status,
            SourceArn: row.source_arn,
            ...(row.destination_arn ? { DestinationArn: row.destination_arn } : {}),
            ...(row.max_per_second ? { MaxNumberOfMessagesPerSecond: row.max_per_second } : {}),
            ApproximateNumberOfMessagesMoved: row.moved,
            ApproximateNumberOfMessagesToMove: row.to_move,
            ...(row.failure_reason ? { FailureReason: row.failure_reason } : {}),
            StartedTimestamp: row.started_at,
          })),
        };
      },
    }),
  };
}
