/**
 * The API's HTTP server: Node's, building each request and response with the app's own
 * prototypes.
 *
 * Why: Express gives every request and response its prototypes (`app.request`, `app.response`)
 * with `Object.setPrototypeOf` on objects Node already built. After that call about a quarter of
 * everything a request allocates survived V8's young-generation GC (measured with
 * `--trace-gc-nvp`: a plain Node server keeps 0.2% alive across a scavenge, the same server with
 * the two setPrototypeOf calls 20–27%, the API 23%), so each scavenge copied and promoted
 * megabytes, took 5–10 ms on an idle machine and 25–69 ms on a busy one, and set the product
 * page's p99 in the soak. Built with those prototypes from the start, Express's call finds them
 * already there and changes nothing (V8 returns early when the prototype is the same).
 */
import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

export function createHttpServer(app: Express): Server {
  // Plain constructor functions: a class's `prototype` cannot be replaced, and these must be
  // exactly Express's objects for its setPrototypeOf to be a no-op.
  function AppRequest(this: IncomingMessage, socket: Socket) {
    Reflect.apply(IncomingMessage, this, [socket]);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: ServerResponse, req: IncomingMessage, options: unknown) {
    Reflect.apply(ServerResponse, this, [req, options]);
  }
  AppResponse.prototype = app.response;
  return createServer(
    {
      // Node calls these with `new`; their instances are IncomingMessage/ServerResponse by the
      // prototype chain (app.request → express's request → IncomingMessage.prototype).
      IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
      ServerResponse: AppResponse as unknown as typeof ServerResponse,
    },
    app,
  );
}
