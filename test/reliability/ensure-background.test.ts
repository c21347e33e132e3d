/**
 * One routine ensures every long-running workflow and schedule (issue 13: a compose worker used to
 * start the search sync only, the hold sweep came from `npm run dev` alone). Idempotent: a second
 * worker start finds the same sync run and updates the schedule instead of failing.
 */
import { Client, Connection } from '@temporalio/client';
import { ensureBackgroundWorkflows } from '../../temporal/ensure-background';
import { holdSweepScheduleId } from '../../temporal/inventory-schedules';
import { searchWorkflowIds } from '../../temporal/search-workflows';
import { testConfig } from '../support/config';

test('search sync and the hold-sweep schedule are ensured, twice without harm', async () => {
  const config = testConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const syncId = searchWorkflowIds(config).sync;
  let reindexChecks = 0;
  // A non-empty index: no first build is started (that path is covered by the search tests).
  const indexSize = async () => {
    reindexChecks++;
    return 10;
  };
  try {
    const first = await ensureBackgroundWorkflows(client, config, indexSize);
    const second = await ensureBackgroundWorkflows(client, config, indexSize);
    expect(first).toMatchObject({ holdSweep: 'created', reindexJobId: null });
    expect(second).toMatchObject({ holdSweep: 'updated', reindexJobId: null, searchSyncRunId: first.searchSyncRunId });
    expect(reindexChecks).toBe(2);
    expect((await client.workflow.getHandle(syncId).describe()).status.name).toBe('RUNNING');
    const schedule = await client.schedule.getHandle(holdSweepScheduleId(config)).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'releaseExpiredHolds' });
  } finally {
    await client.workflow
      .getHandle(syncId)
      .terminate('test done')
      .catch(() => undefined);
    await client.schedule
      .getHandle(holdSweepScheduleId(config))
      .delete()
      .catch(() => undefined);
    await connection.close();
  }
});
