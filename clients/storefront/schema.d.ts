/**
 * Generated from the API's /openapi.json by `npm run client:generate` (openapi-typescript).
 * Do not edit: change the zod schemas and routes, then regenerate; a test fails on drift.
 */

export interface paths {
  "/healthz": {
    /** Liveness: the process is up */
    get: {
      responses: {
        /** @description up */
        200: {
          content: {
            "application/json": {
              /** @enum {string} */
              status: "ok";
            };
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/metrics": {
    /**
     * Prometheus metrics (ops role: internals are not public)
     * @description Scrape with `Authorization: Bearer <ops key>` (Prometheus: `authorization: { credentials_file: … }`).
     */
    get: {
      responses: {
        /** @description Prometheus text format */
        200: {
          content: {
            "text/plain": string;
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/openapi.json": {
    /** This API, described from the schemas that validate it */
    get: {
      responses: {
        /** @description OpenAPI 3.1 document */
        200: {
          content: {
            "application/json": {
              [key: string]: unknown;
            };
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/readyz": {
    /** Readiness: Postgres, Redis, Temporal and Meilisearch each reported */
    get: {
      responses: {
        /** @description every dependency answers */
        200: {
          content: {
            "application/json": components["schemas"]["Readiness"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description at least one dependency is down */
        503: {
          content: {
            "application/json": components["schemas"]["Readiness"];
          };
        };
      };
    };
  };
  "/v1/admin/products": {
    /**
     * Create a product
     * @description Creates the product with stock rows at 0 in every location. A sku is unique forever (a deleted product keeps its sku): reusing one is a 409 `duplicate_sku` with `errors: [{ path: "sku" }]`. The answer carries `Location`.
     */
    post: {
      requestBody: {
        content: {
          "application/json": components["schemas"]["ProductCreate"];
        };
      };
      responses: {
        /** @description Created */
        201: {
          content: {
            "application/json": components["schemas"]["Product"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: duplicate_sku */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/admin/products/{id}": {
    /**
     * Delete a product
     * @description Soft delete: the product disappears from the catalog (404); orders and the stock ledger keep their history.
     */
    delete: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description Deleted */
        204: {
          content: never;
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: product_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
    /**
     * Update a product
     * @description Partial update: only the fields sent change; `images` and `attributes` are replaced as a whole. `sku` is immutable. An empty body (`{}`) is a 400: send at least one field.
     */
    patch: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ProductPatch"];
        };
      };
      responses: {
        /** @description The updated product */
        200: {
          content: {
            "application/json": components["schemas"]["Product"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: product_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/admin/search/reindex": {
    /**
     * Rebuild the search index with zero downtime
     * @description Builds a new product index from Postgres aside, replays changes made meanwhile, then swaps it in atomically; search keeps answering from the current index throughout. Answers 202 with the job; follow `statusUrl`.
     */
    post: {
      responses: {
        /** @description Reindex started (or already running) */
        202: {
          content: {
            "application/json": components["schemas"]["ReindexStarted"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/admin/search/reindex/{jobId}": {
    /** Progress of a reindex job */
    get: {
      parameters: {
        path: {
          jobId: string;
        };
      };
      responses: {
        /** @description The job: running (with progress), completed or failed */
        200: {
          content: {
            "application/json": components["schemas"]["ReindexJob"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/admin/search/sync": {
    /**
     * Search sync status: backlog and lag, last run, last error
     * @description The outbox backlog comes from Postgres (always answered); the searchSync workflow’s totals, last run and last error from its query (`workflow: null` when it is not running or Temporal does not answer within 1.5 s).
     */
    get: {
      responses: {
        /** @description the sync status */
        200: {
          content: {
            "application/json": components["schemas"]["SearchSyncStatus"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/auth/whoami": {
    /** The role and name of the presented API key */
    get: {
      responses: {
        /** @description the key’s identity */
        200: {
          content: {
            "application/json": components["schemas"]["WhoAmI"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/customers/{customerId}/orders": {
    /** A customer's orders, newest first */
    get: {
      parameters: {
        query?: {
          status?: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
          limit?: number;
          cursor?: string;
        };
        path: {
          customerId: string;
        };
      };
      responses: {
        /** @description a page of orders */
        200: {
          content: {
            "application/json": components["schemas"]["OrderPage"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/inventory/{sku}": {
    /** Stock of one sku: totals, per location, and the reservations holding it */
    get: {
      parameters: {
        path: {
          sku: string;
        };
      };
      responses: {
        /** @description the inventory view */
        200: {
          content: {
            "application/json": components["schemas"]["InventoryView"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: product_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
    /**
     * Set on hand at one location (recorded in the stock ledger as an adjustment)
     * @description Without `locationId` the sku’s only location is set (the first warehouse when it has none yet); a sku stocked at several locations needs `locationId` (400). On hand below what is reserved for orders is refused with 409 `stock_below_reserved`, never clamped. Answers the updated inventory view.
     */
    put: {
      parameters: {
        path: {
          sku: string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["SetStock"];
        };
      };
      responses: {
        /** @description the updated inventory view */
        200: {
          content: {
            "application/json": components["schemas"]["InventoryView"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: product_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: stock_below_reserved */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/inventory/sync": {
    /**
     * Bulk stock sync as a durable job
     * @description Up to 100000 rows `{ sku, onHand, locationId? }` (body up to 16 MB), applied in batches by the `inventorySync` workflow, each row ledgered with reason `sync`. Rows for an unknown sku, without a location for a sku stocked at several, or below the reserved quantity are rejected one by one (see the job), never clamped. Answers 202 `{ jobId }`; follow it at `GET /v1/ops/jobs/{jobId}` (also in `Location`).
     */
    post: {
      requestBody: {
        content: {
          "application/json": components["schemas"]["InventorySync"];
        };
      };
      responses: {
        /** @description job accepted */
        202: {
          content: {
            "application/json": components["schemas"]["JobAccepted"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: payload_too_large */
        413: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/jobs/{jobId}": {
    /** Status and progress of a background job (bulk stock sync) */
    get: {
      parameters: {
        path: {
          jobId: string;
        };
      };
      responses: {
        /** @description the job */
        200: {
          content: {
            "application/json": components["schemas"]["Job"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: job_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/orders": {
    /** Find orders (e.g. every failed one), newest first */
    get: {
      parameters: {
        query?: {
          status?: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
          customerId?: string;
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description a page of orders */
        200: {
          content: {
            "application/json": components["schemas"]["OrderPage"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/orders/{id}/refunds": {
    /**
     * A goodwill refund without a return (idempotent by Idempotency-Key)
     * @description Refunds `amount` of the order's captured payment through the payment provider, through the order's workflow (one writer of the order's money). Never above captured − already refunded: 409 `refund_exceeds_captured`. 201 with the order (its `refunds` and `refunded` total); the same key again returns the same refund, with another body 422.
     */
    post: {
      parameters: {
        header: {
          "idempotency-key": string;
        };
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["GoodwillRefundRequest"];
        };
      };
      responses: {
        /** @description refunded: the order with its refunds */
        201: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description the refund is still running; the order as it stands */
        202: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: refund_exceeds_captured */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: idempotency_key_reused */
        422: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/orders/{id}/retry": {
    /** Resume a failed order at the step that failed */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            note?: string;
          };
        };
      };
      responses: {
        /** @description the order resumes; follow it at Location */
        202: {
          content: {
            "application/json": components["schemas"]["OrderAccepted"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_failed */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/orders/{id}/ship": {
    /**
     * Book the shipment with the carrier and ship the order
     * @description Books a label with the carrier (the order's carrier and service unless `carrier`/`service` are given; idempotent: a retry never books twice), stores the tracking number, captures the payment, commits the stock, sets `shipped` and starts tracking (carrier polling + webhooks until delivered). Only a `confirmed` order can ship: otherwise 409 invalid_transition.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            carrier?: string;
            note?: string;
            service?: string;
          };
        };
      };
      responses: {
        /** @description the order, shipped, with its tracking number */
        200: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description the shipment is being booked; the order as it stands */
        202: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/orders/{id}/status": {
    /**
     * Manual transition along the status graph (shipped, delivered, cancelled)
     * @description confirmed → shipped captures the payment and commits the stock; shipped → delivered; placed/confirmed/failed → cancelled runs the compensations. Anything else is 409 invalid_transition.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            carrier?: string;
            note: string;
            service?: string;
            /** @enum {string} */
            status: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
            trackingNumber?: string;
            /**
             * Format: uri
             * @description An https URL
             */
            trackingUrl?: string;
          };
        };
      };
      responses: {
        /** @description the order after the transition */
        200: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description the transition is accepted and still running */
        202: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition, order_not_cancellable */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns": {
    /** Find returns (e.g. every failed or requested one), newest first */
    get: {
      parameters: {
        query?: {
          status?: "requested" | "approved" | "in_transit" | "received" | "refunded" | "rejected" | "failed";
          limit?: number;
          cursor?: string;
        };
      };
      responses: {
        /** @description a page of returns */
        200: {
          content: {
            "application/json": components["schemas"]["ReturnPage"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns/{id}": {
    /** A return */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description the return */
        200: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns/{id}/approve": {
    /**
     * Approve a return: book a return label with the order's carrier
     * @description Books the label (idempotent per return: a retry never books twice) → `approved` with `label { carrier, trackingNumber, labelUrl }`; the customer is emailed the label. Only a `requested` return: otherwise 409 invalid_transition. An approved return whose parcel never moves is closed after RETURN_LABEL_DAYS as `rejected` (note `label_expired`).
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description the return, approved, with its label */
        200: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description the label is being booked; the return as it stands */
        202: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns/{id}/receive": {
    /**
     * Receive a return parcel: per sku and condition; resellable units back on hand, then the refund
     * @description Resellable units go back on hand through the stock ledger (reason `return`); damaged ones are recorded, not restocked. Then the refund of the received lines' paid prices (plus shipping when the whole order has come back) runs through the payment provider, once per return; a refund that runs out of retries leaves the return `failed` for POST /v1/ops/returns/{id}/retry.
     */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ReceiveReturnRequest"];
        };
      };
      responses: {
        /** @description the return, received (refund under way) or already refunded */
        200: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description still being received; the return as it stands */
        202: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns/{id}/reject": {
    /** Reject a return (before its parcel moves); the customer is emailed the reason */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            reason: string;
          };
        };
      };
      responses: {
        /** @description the return, rejected */
        200: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/ops/returns/{id}/retry": {
    /** Resume a failed return at the step that failed (the refund) */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            note?: string;
          };
        };
      };
      responses: {
        /** @description the return resumes; follow it at Location */
        202: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: invalid_transition */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/orders": {
    /**
     * Place an order (idempotent by Idempotency-Key)
     * @description Reserves stock and authorizes the payment before answering when that takes under 5 s: 201 with the order `confirmed`; otherwise 202 `placed` with a Location to poll. The same key with the same body returns the same order; with another body, 422.
     */
    post: {
      parameters: {
        header: {
          "idempotency-key": string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["PlaceOrderRequest"];
        };
      };
      responses: {
        /** @description confirmed (or the order this key already placed) */
        201: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description placed (or failed) and still being processed; poll Location */
        202: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: payment_declined */
        402: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: out_of_stock, quote_expired */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: idempotency_key_reused */
        422: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/orders/{id}": {
    /** An order, from Postgres */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description the order */
        200: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/orders/{id}/cancel": {
    /** Cancel an order (until it ships): stock released, payment voided or refunded */
    post: {
      parameters: {
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": {
            reason?: string;
          };
        };
      };
      responses: {
        /** @description the order, cancelled */
        200: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description cancellation accepted and still running (e.g. the payment provider is slow) */
        202: {
          content: {
            "application/json": components["schemas"]["Order"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_cancellable */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/orders/{id}/events": {
    /**
     * Live order events (Server-Sent Events)
     * @description One event per status or tracking change (`event: status|tracking`, `id:` = event id, `data:` JSON). Resumes after `Last-Event-ID`; heartbeat comments keep idle streams open.
     */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description text/event-stream: one event per status or tracking change (`itemSchema`: per event name) */
        200: {
          content: {
            "text/event-stream": string;
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/orders/{id}/returns": {
    /** An order's returns, oldest first */
    get: {
      parameters: {
        path: {
          id: string;
        };
      };
      responses: {
        /** @description the order's returns */
        200: {
          content: {
            "application/json": components["schemas"]["ReturnList"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
    /**
     * Request a return (idempotent by Idempotency-Key)
     * @description Only a `delivered` order, within RETURN_WINDOW_DAYS of delivery, and at most the units delivered minus those already returned or requested (checked by Postgres under concurrency): otherwise 409 `return_not_allowed`. 201 with the Return `requested`; the same key with the same body returns the same return, with another body 422.
     */
    post: {
      parameters: {
        header: {
          "idempotency-key": string;
        };
        path: {
          id: string;
        };
      };
      requestBody: {
        content: {
          "application/json": components["schemas"]["ReturnRequest"];
        };
      };
      responses: {
        /** @description the return, requested (or the return this key already requested) */
        201: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description accepted and still being written; follow Location */
        202: {
          content: {
            "application/json": components["schemas"]["Return"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: forbidden */
        403: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: order_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: return_not_allowed */
        409: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: idempotency_key_reused */
        422: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/products": {
    /**
     * List products
     * @description Live products in a stable order (by id), filtered by category and brand (each repeatable: OR within a field, AND across fields) and an inclusive price range in minor units. Keyset pagination: pass `nextCursor` back as `cursor`; pages stay consistent while products are added. `fields=id,name,price` returns only those summary fields. A bad parameter (negative or non-integer price, maxPrice < minPrice, limit outside 1–100, unknown field or parameter, foreign cursor) is a 400 `invalid_request` naming it in `errors[].path`. Pages are served from Redis when cached and retired by any product or stock change; strong `ETag`, 304 on `If-None-Match`.
     */
    get: {
      parameters: {
        query?: {
          /** @description Repeatable; OR within, AND with brand */
          category?: string[];
          /** @description Repeatable; OR within, AND with category */
          brand?: string[];
          /** @description Minor units, inclusive */
          minPrice?: number;
          /** @description Minor units, inclusive */
          maxPrice?: number;
          limit?: number;
          /** @description Opaque; `nextCursor` of the previous page */
          cursor?: string;
          /** @description Comma list of summary fields to return (id, sku, name, brand, category, price, thumbnail, availability) */
          fields?: string;
        };
      };
      responses: {
        /** @description A page of product summaries (with a strong ETag) */
        200: {
          content: {
            "application/json": components["schemas"]["ProductList"];
          };
        };
        /** @description Not modified (If-None-Match matched) */
        304: {
          content: never;
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/products/{idOrSku}": {
    /**
     * Product detail
     * @description The full product with live availability (on hand − reserved across locations). Sends a strong `ETag` and `Cache-Control: public, max-age=0, must-revalidate`; `If-None-Match` with the current tag gives 304. Served from Redis when cached; product and stock changes evict the entry within about a second.
     */
    get: {
      parameters: {
        path: {
          /** @description Product id (UUID) or sku */
          idOrSku: string;
        };
      };
      responses: {
        /** @description The product */
        200: {
          content: {
            "application/json": components["schemas"]["Product"];
          };
        };
        /** @description Not modified (If-None-Match matched the current ETag) */
        304: {
          content: never;
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: product_not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/search": {
    /**
     * Search products
     * @description Typo-tolerant full-text search; `q` may be empty to browse by filters. `category` and `brand` repeat (OR within a field, AND across fields). Facet counts and the price range describe every match, not only this page.
     */
    get: {
      parameters: {
        query?: {
          /** @description Full-text query; empty browses by filters */
          q?: string;
          /** @description Repeatable; OR within the field, AND across fields */
          category?: string[];
          /** @description Repeatable; OR within the field, AND across fields */
          brand?: string[];
          /** @description Lowest price, integer minor units, inclusive */
          minPrice?: number;
          /** @description Highest price, integer minor units, inclusive */
          maxPrice?: number;
          /** @description `true`: only products that can be ordered now (in_stock or low_stock); `false`: only out_of_stock ones */
          inStock?: boolean;
          sort?: "relevance" | "price:asc" | "price:desc" | "newest";
          limit?: number;
          offset?: number;
        };
      };
      responses: {
        /** @description Matching products, facets and price range */
        200: {
          content: {
            "application/json": components["schemas"]["SearchResult"];
          };
        };
        /** @description Problem: invalid_filter */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/shipping/rates": {
    /**
     * Live shipping rates from every configured carrier
     * @description Asks every carrier in parallel and answers within 3 s: a carrier that hangs or fails is listed in `unavailable`. The same request within the quote TTL returns the same quotes (and quoteIds). A quoteId can be used when placing an order.
     */
    post: {
      requestBody: {
        content: {
          "application/json": components["schemas"]["ShippingRatesRequest"];
        };
      };
      responses: {
        /** @description quotes, cheapest first, and the carriers that could not answer */
        200: {
          content: {
            "application/json": components["schemas"]["ShippingRates"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/store/config": {
    /**
     * Store configuration
     * @description Currencies the catalog is priced in, the low-stock threshold, enabled carriers and stock locations. ETag + 304.
     */
    get: {
      responses: {
        /** @description The configuration */
        200: {
          content: {
            "application/json": components["schemas"]["StoreConfig"];
          };
        };
        /** @description Not modified */
        304: {
          content: never;
        };
        /** @description Problem: rate_limited */
        429: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
  "/v1/webhooks/carriers/{carrier}": {
    /**
     * Carrier tracking events
     * @description Authenticated by `X-Carrier-Signature: t=<unix seconds>,v1=<64 hex>`, the HMAC-SHA256 of `"{t}.{raw body}"` with that carrier's webhook secret; more than 300 s from now, or anything but exactly 64 hex characters → 401. Body (direct carriers): `{ id, carrier, trackingNumber, status, at, description? }`. An event id seen before, events for unknown parcels and stale events are acknowledged (200) and ignored. (The EasyPost-shaped adapter verifies EasyPost's own `X-Hmac-Signature` instead.)
     */
    post: {
      parameters: {
        header?: {
          /** @description t=<unix seconds>,v1=<hex HMAC-SHA256 of "{t}.{raw body}"> */
          "x-carrier-signature"?: string;
        };
        path: {
          carrier: string;
        };
      };
      responses: {
        /** @description ignored (event id seen before, stale or unknown parcel) */
        200: {
          content: {
            "application/json": components["schemas"]["CarrierWebhookAck"];
          };
        };
        /** @description accepted: handed to the tracking workflow */
        202: {
          content: {
            "application/json": components["schemas"]["CarrierWebhookAck"];
          };
        };
        /** @description Problem: invalid_request */
        400: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: unauthenticated */
        401: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: not_found */
        404: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: internal */
        500: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
        /** @description Problem: dependency_unavailable */
        503: {
          content: {
            "application/problem+json": components["schemas"]["Problem"];
          };
        };
      };
    };
  };
}

export type webhooks = Record<string, never>;

export interface components {
  schemas: {
    CarrierWebhookAck: {
      reason?: string;
      /** @enum {string} */
      status: "accepted" | "ignored";
    };
    /**
     * @example {
     *   "amount": {
     *     "amount": 500,
     *     "currency": "USD"
     *   },
     *   "reason": "Late delivery"
     * }
     */
    GoodwillRefundRequest: {
      amount: {
        amount: number;
        currency: string;
      };
      reason: string;
    };
    /**
     * @description Up to 100000 rows; a body up to 16 MB is accepted
     * @example {
     *   "items": [
     *     {
     *       "sku": "KTL-1001",
     *       "onHand": 120,
     *       "locationId": "wh-east"
     *     },
     *     {
     *       "sku": "KTL-1002",
     *       "onHand": 0
     *     }
     *   ]
     * }
     */
    InventorySync: {
      items: ({
          /**
           * @description Warehouse location
           * @enum {string}
           */
          locationId?: "wh-east" | "wh-central" | "wh-west";
          /** @description Units physically on hand */
          onHand: number;
          /** @example SKU-000123 */
          sku: string;
        })[];
    };
    InventoryView: {
      /** @description onHand − reserved, across locations */
      available: number;
      locations: {
          available: number;
          locationId: string;
          onHand: number;
          reserved: number;
        }[];
      onHand: number;
      /** @description How many reservations are held in total */
      reservationCount: number;
      /** @description Held reservations, soonest expiry first (at most 1000; see reservationCount) */
      reservations: ({
          /** Format: date-time */
          expiresAt: string;
          locationId: string;
          orderId: string;
          quantity: number;
          /** @enum {string} */
          status: "held" | "committed" | "released";
        })[];
      reserved: number;
      sku: string;
    };
    Job: {
      applied: number;
      /** Format: date-time */
      finishedAt?: string;
      jobId: string;
      processed: number;
      /** @description Rejected rows (first 1000 by index): unknown_sku, location_required, below_reserved */
      rejected: {
          index: number;
          reason: string;
          sku: string;
        }[];
      rejectedCount: number;
      /** Format: date-time */
      startedAt: string;
      /** @enum {string} */
      status: "running" | "completed" | "failed";
      total: number;
      /** @example inventorySync */
      type: string;
      /** @description Rows that already matched */
      unchanged: number;
    };
    JobAccepted: {
      jobId: string;
    };
    Money: {
      /** @description Integer amount in minor units (cents) */
      amount: number;
      /** @example USD */
      currency: string;
    };
    Order: {
      createdAt: string;
      customerId: string;
      email: string;
      failure?: components["schemas"]["OrderFailure"];
      id: string;
      items: {
          lineTotal: components["schemas"]["Money"];
          name: string;
          quantity: number;
          sku: string;
          unitPrice: components["schemas"]["Money"];
        }[];
      refunded?: components["schemas"]["Money"];
      refunds?: ({
          amount: components["schemas"]["Money"];
          createdAt: string;
          id: string;
          /** @enum {string} */
          kind: "return" | "goodwill";
          reason?: string;
          refundedAt?: string;
          returnId?: string;
          /** @enum {string} */
          status: "pending" | "refunded";
        })[];
      shipping: {
        carrier: string | null;
        quoteId?: string;
        service: string | null;
        trackingNumber?: string;
        trackingStatus?: string;
        /**
         * Format: uri
         * @description The carrier’s tracking page (https only)
         */
        trackingUrl?: string;
      };
      shippingAddress?: components["schemas"]["ShippingAddress"];
      /** @enum {string} */
      status: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
      timeline: {
          at: string;
          note?: string;
          status: string;
        }[];
      totals: {
        shipping: components["schemas"]["Money"];
        subtotal: components["schemas"]["Money"];
        total: components["schemas"]["Money"];
      };
      updatedAt: string;
    };
    OrderAccepted: {
      id: string;
      location: string;
      /** @enum {string} */
      status: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
    };
    OrderFailure: {
      code: string;
      message: string;
      retryable: boolean;
      step: string;
    };
    OrderPage: {
      data: components["schemas"]["OrderSummary"][];
      nextCursor: string | null;
    };
    OrderStatusEvent: {
      /** Format: date-time */
      at: string;
      data: {
        [key: string]: unknown;
      } | null;
      id: number;
      note: string | null;
      orderId: string;
      /** @enum {string} */
      status: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
      /** @enum {string} */
      type: "status";
    };
    OrderSummary: {
      createdAt: string;
      customerId: string;
      failure?: components["schemas"]["OrderFailure"];
      id: string;
      itemCount: number;
      /** @enum {string} */
      status: "placed" | "confirmed" | "shipped" | "delivered" | "cancelled" | "failed";
      total: components["schemas"]["Money"];
      updatedAt: string;
    };
    OrderTrackingEvent: {
      /** Format: date-time */
      at: string;
      data: {
        [key: string]: unknown;
      } | null;
      id: number;
      note: string | null;
      orderId: string;
      /** @enum {string} */
      status: "label_created" | "in_transit" | "out_for_delivery" | "delivered" | "returned";
      /** @enum {string} */
      type: "tracking";
    };
    /**
     * @example {
     *   "customerId": "c-42",
     *   "email": "ada@example.com",
     *   "items": [
     *     {
     *       "sku": "KTL-1001",
     *       "quantity": 1
     *     }
     *   ],
     *   "shippingAddress": {
     *     "name": "Ada Lovelace",
     *     "line1": "1 Market St",
     *     "city": "San Francisco",
     *     "postalCode": "94107",
     *     "country": "US"
     *   },
     *   "shipping": {
     *     "carrier": "parcelpro",
     *     "service": "standard"
     *   },
     *   "payment": {
     *     "token": "tok_visa"
     *   }
     * }
     */
    PlaceOrderRequest: {
      customerId: string;
      /** Format: email */
      email: string;
      items: {
          quantity: number;
          sku: string;
        }[];
      payment: {
        token: string;
      };
      shipping: components["schemas"]["ShippingChoice"];
      shippingAddress: components["schemas"]["ShippingAddress"];
    };
    Problem: {
      code: string;
      detail: string;
      errors?: {
          message: string;
          path: string;
          [key: string]: unknown;
        }[];
      requestId: string;
      status: number;
      title: string;
      type: string;
    };
    Product: {
      attributes: {
        [key: string]: unknown;
      };
      availability: {
        /** @description On hand − reserved, across every location */
        available: number;
        /** @enum {string} */
        status: "in_stock" | "low_stock" | "out_of_stock";
      };
      brand: string;
      category: string;
      description: string;
      /** Format: uuid */
      id: string;
      images: components["schemas"]["ProductImage"][];
      name: string;
      price: components["schemas"]["Money"];
      sku: string;
      /** Format: date-time */
      updatedAt: string;
    };
    /**
     * @example {
     *   "sku": "KTL-1001",
     *   "name": "Stovetop kettle 1.7 l",
     *   "description": "Brushed steel, whistles when the water boils.",
     *   "brand": "Hearthware",
     *   "category": "Kitchen",
     *   "price": {
     *     "amount": 4500,
     *     "currency": "USD"
     *   },
     *   "images": [
     *     {
     *       "url": "https://img.example.com/ktl-1001.jpg",
     *       "alt": "Kettle, front"
     *     }
     *   ],
     *   "attributes": {
     *     "capacityLitres": 1.7,
     *     "material": "steel"
     *   }
     * }
     */
    ProductCreate: {
      /**
       * @description Free-form specifications: string, number, boolean or string-array values; replaced as a whole on PATCH. Names are 1–64 characters (an empty name is a 400).
       * @default {}
       */
      attributes?: {
        [key: string]: string | number | boolean | string[];
      };
      brand: string;
      category: string;
      /** @default */
      description?: string;
      /** @default [] */
      images?: {
          /** @default */
          alt?: string;
          /**
           * Format: uri
           * @description An https URL
           */
          url: string;
        }[];
      name: string;
      price: {
        amount: number;
        /**
         * @description The store's currency (`STORE_CURRENCY`, default USD; see `GET /v1/store/config`): any other is a 400
         * @example USD
         */
        currency: string;
      };
      /** @example SKU-000123 */
      sku: string;
    };
    ProductImage: {
      alt: string;
      url: string;
    };
    ProductList: {
      /** @description Summaries; with `fields=…` each item has only the requested fields (ProductSparseSummary) */
      data: (components["schemas"]["ProductSummary"] | components["schemas"]["ProductSparseSummary"])[];
      nextCursor: string | null;
    };
    /**
     * @description At least one field: `{}` is a 400
     * @example {
     *   "price": {
     *     "amount": 3990,
     *     "currency": "USD"
     *   },
     *   "name": "Stovetop kettle 1.7 l (steel)"
     * }
     */
    ProductPatch: {
      /** @description Free-form specifications: string, number, boolean or string-array values; replaced as a whole on PATCH. Names are 1–64 characters (an empty name is a 400). */
      attributes?: {
        [key: string]: string | number | boolean | string[];
      };
      brand?: string;
      category?: string;
      description?: string;
      images?: {
          /** @default */
          alt?: string;
          /**
           * Format: uri
           * @description An https URL
           */
          url: string;
        }[];
      name?: string;
      price?: {
        amount: number;
        /**
         * @description The store's currency (`STORE_CURRENCY`, default USD; see `GET /v1/store/config`): any other is a 400
         * @example USD
         */
        currency: string;
      };
      /** @description Immutable: sending it is a 400 */
      sku?: string;
    };
    /** @description A summary with only the fields named in `fields=` (each optional here) */
    ProductSparseSummary: {
      availability?: {
        /** @enum {string} */
        status: "in_stock" | "low_stock" | "out_of_stock";
      };
      brand?: string;
      category?: string;
      /** Format: uuid */
      id?: string;
      name?: string;
      price?: components["schemas"]["Money"];
      sku?: string;
      /** @description URL of the first image, or null */
      thumbnail?: string | null;
    };
    ProductSummary: {
      availability: {
        /** @enum {string} */
        status: "in_stock" | "low_stock" | "out_of_stock";
      };
      brand: string;
      category: string;
      /** Format: uuid */
      id: string;
      name: string;
      price: components["schemas"]["Money"];
      sku: string;
      /** @description URL of the first image, or null */
      thumbnail: string | null;
    };
    Readiness: {
      checks: {
        meilisearch: {
          /** @enum {string} */
          status: "ok" | "down";
        };
        postgres: {
          /** @enum {string} */
          status: "ok" | "down";
        };
        redis: {
          /** @enum {string} */
          status: "ok" | "down";
        };
        temporal: {
          /** @enum {string} */
          status: "ok" | "down";
        };
      };
      /** @enum {string} */
      status: "ok" | "unavailable";
    };
    /**
     * @example {
     *   "items": [
     *     {
     *       "sku": "KTL-1001",
     *       "quantity": 1,
     *       "condition": "resellable"
     *     },
     *     {
     *       "sku": "KTL-1002",
     *       "quantity": 1,
     *       "condition": "damaged"
     *     }
     *   ]
     * }
     */
    ReceiveReturnRequest: {
      items: ({
          /** @enum {string} */
          condition: "resellable" | "damaged";
          quantity: number;
          sku: string;
        })[];
    };
    ReindexJob: {
      error?: string;
      jobId: string;
      progress: ({
        docsPerSecond: number | null;
        /** Format: date-time */
        finishedAt: string | null;
        /** @description The live index the job rebuilds */
        index: string;
        indexed: number;
        /** @enum {string} */
        phase: "preparing" | "indexing" | "swapping" | "done";
        /** Format: date-time */
        startedAt: string;
        /** @description Products to index (counted when the job started) */
        total: number;
      }) | null;
      /** @enum {string} */
      status: "running" | "completed" | "failed";
      workflowId: string;
    };
    ReindexStarted: {
      /** @description true when a reindex was already running; this is that job */
      alreadyRunning: boolean;
      jobId: string;
      /** @enum {string} */
      status: "running";
      statusUrl: string;
      workflowId: string;
    };
    Return: {
      createdAt: string;
      failure?: components["schemas"]["OrderFailure"];
      id: string;
      items: ({
          /**
           * @description Set when every received unit had the same condition
           * @enum {string}
           */
          condition?: "resellable" | "damaged";
          damaged?: number;
          quantity: number;
          received?: number;
          resellable?: number;
          sku: string;
        })[];
      label?: components["schemas"]["ReturnLabel"];
      note?: string;
      orderId: string;
      reason: string;
      refund?: {
        amount: components["schemas"]["Money"];
        refundedAt?: string;
        /** @enum {string} */
        status: "pending" | "refunded";
      };
      /** @enum {string} */
      status: "requested" | "approved" | "in_transit" | "received" | "refunded" | "rejected" | "failed";
      timeline: {
          at: string;
          note?: string;
          status: string;
        }[];
      updatedAt: string;
    };
    ReturnLabel: {
      carrier: string;
      labelUrl: string | null;
      trackingNumber: string;
    };
    ReturnList: {
      data: components["schemas"]["Return"][];
    };
    ReturnPage: {
      data: components["schemas"]["Return"][];
      nextCursor: string | null;
    };
    /**
     * @example {
     *   "items": [
     *     {
     *       "sku": "KTL-1001",
     *       "quantity": 1
     *     }
     *   ],
     *   "reason": "Arrived dented"
     * }
     */
    ReturnRequest: {
      items: {
          quantity: number;
          sku: string;
        }[];
      reason: string;
    };
    SearchResult: {
      facets: {
        brand: {
          [key: string]: number;
        };
        category: {
          [key: string]: number;
        };
      };
      hits: components["schemas"]["ProductSummary"][];
      limit: number;
      offset: number;
      /** @description Lowest and highest price among the matches (minor units); null when nothing matches */
      priceRange: {
        max: number | null;
        min: number | null;
      };
      processingTimeMs: number;
      /** @description Matching products (exact for filter-only browsing, estimated for text queries) */
      total: number;
    };
    SearchSyncStatus: {
      backlog: {
        /** @description Age of the oldest pending change (0 when none is pending) */
        lagSeconds: number;
        /** Format: date-time */
        oldestAt: string | null;
        /** @description Outbox changes not yet in the search index */
        pending: number;
      };
      /** @description The searchSync workflow’s own report; null when it is not running or Temporal cannot be asked */
      workflow: ({
        lastError: string | null;
        lastRun: ({
          batches: number;
          deletes: number;
          errors: number;
          lagMsMax: number | null;
          lagMsP50: number | null;
          lagMsP95: number | null;
          lastBatchAt: string | null;
          lastError: string | null;
          rows: number;
          unchanged: number;
          upserts: number;
        }) | null;
        /** Format: date-time */
        since: string;
        totals: {
          batches: number;
          deletes: number;
          errors: number;
          rows: number;
          runs: number;
          unchanged: number;
          upserts: number;
        };
        workflowId: string;
      }) | null;
    };
    /**
     * @example {
     *   "onHand": 120,
     *   "locationId": "wh-east"
     * }
     */
    SetStock: {
      /**
       * @description Defaults to the sku’s only location, or the first warehouse when it has none; required when the sku is stocked at several.
       * @enum {string}
       */
      locationId?: "wh-east" | "wh-central" | "wh-west";
      /** @description Units physically on hand */
      onHand: number;
    };
    ShippingAddress: {
      city: string;
      country: string;
      line1: string;
      line2?: string;
      name: string;
      postalCode: string;
    };
    /** @description A quote from POST /v1/shipping/rates, or a carrier and service priced at order time */
    ShippingChoice: {
      quoteId: string;
    } | {
      carrier: string;
      service: string;
    };
    ShippingDestination: {
      city?: string;
      /** @example US */
      country: string;
      /** @example 10001 */
      postalCode: string;
    };
    ShippingQuote: {
      amount: components["schemas"]["Money"];
      /** @example swiftship */
      carrier: string;
      estimatedDays: number;
      /** Format: date-time */
      expiresAt: string;
      /** @example q_3f1c0e7a9b2d4c55a1e2 */
      quoteId: string;
      /** @example ground */
      service: string;
    };
    ShippingRates: {
      quotes: components["schemas"]["ShippingQuote"][];
      unavailable: components["schemas"]["UnavailableCarrier"][];
    };
    /**
     * @example {
     *   "destination": {
     *     "country": "US",
     *     "postalCode": "94107",
     *     "city": "San Francisco"
     *   },
     *   "items": [
     *     {
     *       "sku": "KTL-1001",
     *       "quantity": 2
     *     }
     *   ]
     * }
     */
    ShippingRatesRequest: {
      destination: components["schemas"]["ShippingDestination"];
      items: {
          quantity: number;
          sku: string;
        }[];
    };
    StoreConfig: {
      carriersEnabled: string[];
      /** @description Currencies the live catalog is priced in */
      currencies: string[];
      locations: string[];
      /** @description available ≤ this (and > 0) shows low_stock */
      lowStockThreshold: number;
    };
    UnavailableCarrier: {
      carrier: string;
      /**
       * @description timeout | unavailable | rejected | invalid_response
       * @example timeout
       */
      reason: string;
    };
    WhoAmI: {
      /** @description The key’s configured name (`role/name:key` in API_KEYS) or a short digest prefix */
      name: string;
      /** @enum {string} */
      role: "storefront" | "support" | "ops" | "admin";
    };
  };
  responses: never;
  parameters: {
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}

export type $defs = Record<string, never>;

export type external = Record<string, never>;

export type operations = Record<string, never>;
