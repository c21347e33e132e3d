import { DEV_API_KEYS } from '../../config';
import { LOCATIONS } from '../../domain/db-enums';

export { DEV_API_KEYS };
export const LOCATIONS_DEFAULT = LOCATIONS[0];
export const KEYS = { storefront: 'dev-storefront-key', support: 'dev-support-key', ops: 'dev-ops-key', admin: 'dev-admin-key' } as const;
