import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes for the Temporal Web UI; registered by the stack and the test harness. */
export const OrderIdAttr = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const CustomerIdAttr = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const OrderStatusAttr = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const OrderTotalAttr = defineSearchAttributeKey('OrderTotal', SearchAttributeType.INT);
/** Return workflows carry OrderId and CustomerId too (find every return of an order in the Web UI). */
export const ReturnStatusAttr = defineSearchAttributeKey('ReturnStatus', SearchAttributeType.KEYWORD);

/** `Name=Type` pairs for `temporal server start-dev --search-attribute`. */
export const SEARCH_ATTRIBUTE_FLAGS: Record<string, 'Keyword' | 'Int'> = {
  OrderId: 'Keyword',
  CustomerId: 'Keyword',
  OrderStatus: 'Keyword',
  OrderTotal: 'Int',
  ReturnStatus: 'Keyword',
};

/** Dynamic config the dev server needs (Update-with-Start, Updates). */
export const DEV_SERVER_DYNAMIC_CONFIG: Record<string, string> = {
  'frontend.enableUpdateWorkflowExecution': 'true',
  'frontend.enableExecuteMultiOperation': 'true',
};
