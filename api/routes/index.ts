/**
 * The resource route modules, in mount order. Each module registers its routes (schemas, auth,
 * handler) through the registrar, which also documents them in /openapi.json.
 */
import type { AppDeps } from '../deps';
import type { RouteRegistrar } from '../route';
import { registerOpsOrderRoutes } from './ops-orders';
import { registerOrderRoutes } from './orders';

export type RouteModule = (route: RouteRegistrar, deps: AppDeps) => void;

export const routeModules: RouteModule[] = [registerOrderRoutes, registerOpsOrderRoutes];
