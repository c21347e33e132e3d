import type { ActivityDeps } from '../deps';
import { createSearchReindexActivities } from './reindex';
import { createSearchSyncActivities } from './sync';

export function createSearchActivities(deps: ActivityDeps) {
  return {
    ...createSearchSyncActivities(deps),
    ...createSearchReindexActivities(deps),
  };
}
