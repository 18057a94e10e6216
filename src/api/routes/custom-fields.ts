import type { FastifyInstance } from 'fastify';
import { InvalidInputError } from '../../errors.js';
import type { OperationsContext } from '../../operations/context.js';
import {
  addCustomField,
  customFieldJson,
  findCustomField,
  listCustomFields,
  removeCustomField,
} from '../../operations/custom-fields.js';
import { changedBy } from '../changed-by.js';
import {
  ADD_CUSTOM_FIELD,
  GET_CUSTOM_FIELD,
  LIST_CUSTOM_FIELDS,
  REMOVE_CUSTOM_FIELD,
} from '../openapi/custom-fields.js';

/** Custom session attribute definitions: /api/v1/custom-fields. */
export function customFieldRoutes(app: FastifyInstance, ctx: OperationsContext): void {
  app.get('/api/v1/custom-fields', LIST_CUSTOM_FIELDS, async () => {
    return { custom_fields: (await listCustomFields(ctx)).map(customFieldJson) };
  });

  app.post('/api/v1/custom-fields', ADD_CUSTOM_FIELD, async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new InvalidInputError('the body must be a JSON object {code_name, display_name}');
    }
    const { code_name, display_name, ...rest } = body as Record<string, unknown>;
    const [unknown] = Object.keys(rest);
    if (unknown !== undefined) {
      throw new InvalidInputError(
        `unknown field "${unknown}"; expected code_name, display_name`,
        unknown,
      );
    }
    const field = await addCustomField(ctx, { code_name, display_name }, changedBy(request));
    return reply.status(201).send(customFieldJson(field));
  });

  app.get<{ Params: { code_name: string } }>(
    '/api/v1/custom-fields/:code_name',
    GET_CUSTOM_FIELD,
    async (request) => customFieldJson(await findCustomField(ctx, request.params.code_name)),
  );

  app.delete<{ Params: { code_name: string } }>(
    '/api/v1/custom-fields/:code_name',
    REMOVE_CUSTOM_FIELD,
    async (request) => {
      const removed = await removeCustomField(ctx, request.params.code_name, changedBy(request));
      return customFieldJson(removed);
    },
  );
}
