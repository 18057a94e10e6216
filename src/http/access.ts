import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiToken } from '../types.js';
import { HttpError } from './http-error.js';

/**
 * Who may call a route, declared on the route itself (`config.access`) and read from the
 * route the request was routed to — never from the URL text, which a router may spell many
 * ways (`/api/%761/events` is routed to `/api/v1/events`).
 * - `public`: anyone (health, readiness, the OpenAPI document, sign-in and setup pages).
 * - `token`: a bearer API token.
 * - `session`: a signed-in administrator (the admin interface).
 * - `metrics`: the metrics token when one is configured, else anyone.
 * - `reporting`, `command`: the appliance's Reporting and Command APIs: an API account's
 *   OAuth2 bearer token, or (when enabled) legacy `username`/`password` parameters, which can
 *   only be read once the body is parsed: their check finishes in preValidation
 *   (src/appliance-api/appliance-auth.ts).
 */
export type Access = 'public' | 'token' | 'session' | 'metrics' | 'reporting' | 'command';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyInstance {
    /** Every route's declared access, and the checks behind them. */
    accessControl: AccessControl;
  }
  interface FastifyRequest {
    /** The API token the request was authenticated with, on routes whose access is `token`. */
    apiToken?: ApiToken;
  }
}

/** Route options of a route open to anyone: `app.get(url, PUBLIC, handler)`. */
export const PUBLIC = { config: { access: 'public' } } as const satisfies {
  config: { access: Access };
};

/** Lets the request through (returns nothing) or answers it (returns the reply). */
export type AccessCheck = (
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply | undefined>;

/** A route as registered, with the access it ended up with. */
export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
}

interface RegisteredRoute {
  method: string | string[];
  url?: string;
  path?: string;
  config?: { access?: Access };
}

/**
 * Deny by default: a route with no `access`, or with one whose check was never defined,
 * answers 401 before any handler runs. Checks are defined by the part that owns them (the
 * admin interface defines `session`).
 */
export class AccessControl {
  private readonly checks = new Map<Access, AccessCheck>([['public', async () => undefined]]);
  private readonly afterBody = new Map<Access, AccessCheck>();
  // The route options as Fastify passes them to onRoute hooks: a scope's default access is set
  // by a hook that runs after this one, on the same object, so it is read when listed.
  private readonly registered: RegisteredRoute[] = [];

  /** Every route registered so far, one entry per method. */
  routes(): RouteEntry[] {
    return this.registered.flatMap((route) =>
      (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
        method,
        url: route.url ?? route.path ?? '',
        access: route.config?.access,
      })),
    );
  }

  define(access: Access, check: AccessCheck): void {
    this.checks.set(access, check);
  }

  /**
   * A second step of `access`'s check, run in preValidation (after the body is parsed, before
   * any handler), for credentials that may come in the body. Chosen, like the first, by the
   * route the request was routed to.
   */
  defineAfterBody(access: Access, check: AccessCheck): void {
    this.afterBody.set(access, check);
  }

  /** Installs the check on `app` (the root: its hooks run for every route, children included). */
  install(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      this.registered.push(route);
    });
    app.addHook('onRequest', async (request, reply) => {
      // No route matched: the not-found handler answers, and no route handler runs.
      if (request.is404) return;
      const access = request.routeOptions.config.access;
      const check = access === undefined ? undefined : this.checks.get(access);
      if (check === undefined) {
        request.log.error(
          { method: request.method, route: request.routeOptions.url, access },
          'a route without a defined access check was refused',
        );
        throw new HttpError(401, 'this route is not open without credentials');
      }
      return check(request, reply);
    });
    app.addHook('preValidation', async (request, reply) => {
      if (request.is404) return;
      const access = request.routeOptions.config.access;
      const check = access === undefined ? undefined : this.afterBody.get(access);
      if (check !== undefined) return check(request, reply);
    });
  }
}

/**
 * Gives every route registered in `scope` (and in its children) `access`, unless the route
 * declares its own: an API plugin says `token` once instead of on each of its routes.
 */
export function defaultAccess(scope: FastifyInstance, access: Access): void {
  scope.addHook('onRoute', (route) => {
    if (route.config?.access !== undefined) return;
    route.config = { ...route.config, access };
  });
}
