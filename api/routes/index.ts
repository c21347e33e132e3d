/**
 * The resource route modules, in mount order. Each module registers its routes (schemas, auth,
 * handler) through the registrar, which also documents them in /openapi.json.
 */
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';
import { registerAdminProductRoutes } from './admin-products';
import { registerAdminSearchRoutes } from './admin-search';
import { registerCatalogRoutes } from './catalog';
import { registerOpsInventoryRoutes } from './ops-inventory';
import { registerOpsJobRoutes } from './ops-jobs';
import { registerOpsOrderRoutes } from './ops-orders';
import { registerOrderRoutes } from './orders';
import { registerRefundRoutes } from './refunds';
import { registerReturnRoutes } from './returns';
import { registerSearchRoutes } from './search';
import { registerShippingRoutes } from './shipping';
import { registerStoreRoutes } from './store';
import { registerWhoAmIRoutes } from './whoami';

export type RouteModule = (route: RouteRegistrar, deps: AppDeps) => void;

export const routeModules: RouteModule[] = [
  registerCatalogRoutes,
  registerStoreRoutes,
  registerAdminProductRoutes,
  registerOpsInventoryRoutes,
  registerOpsJobRoutes,
  registerSearchRoutes,
  registerAdminSearchRoutes,
  registerShippingRoutes,
  registerOrderRoutes,
  registerOpsOrderRoutes,
  registerWhoAmIRoutes,
  registerReturnRoutes,
  registerRefundRoutes,
];
