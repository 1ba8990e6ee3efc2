import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { ErrorResponseDto, UnversionedErrorResponseDto } from '@/common/openapi/error-response.dto';

export const OPENAPI_UI_PATH = 'api/docs';
export const OPENAPI_JSON_PATH = 'api/docs-json';
export const BEARER_AUTH = 'bearer';

const DESCRIPTION = `REST beside the GraphQL API (\`/graphql\`, the contract in \`schema.gql\`), for systems that are not GraphQL clients. The same services answer both, so a lead's score, a model or a training job is the same whichever way it is read.

- **Authentication**: \`Authorization: Bearer <access token>\` (GraphQL \`login\`), except the signed webhook, health and metrics. Every call is scoped to the token's tenant.
- **Roles** as in GraphQL: reps reach their own leads, managers and admins the tenant's; training is for admins.
- **Rate limits**: REST calls spend the same per-user and per-address budgets as GraphQL operations (RATE_LIMIT_USER_PER_MINUTE, RATE_LIMIT_IP_PER_MINUTE); over them, 429 with \`Retry-After\`.
- **Errors** (\`/api/v1\`): \`{ "error": { "code", "message", "fields"?, "details"? } }\`, with the codes GraphQL errors carry (BAD_USER_INPUT 400, UNAUTHENTICATED 401, FORBIDDEN 403, NOT_FOUND 404, CONFLICT 409, RATE_LIMITED 429, UNAVAILABLE 503, INTERNAL_SERVER_ERROR 500 with no internals).`;

/** The OpenAPI document of every REST route (read from the controllers' decorators). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Lead scoring API')
    .setDescription(DESCRIPTION)
    .setVersion('1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token.' },
      BEARER_AUTH,
    )
    .build();
  return SwaggerModule.createDocument(app, config, {
    extraModels: [ErrorResponseDto, UnversionedErrorResponseDto],
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
}

/**
 * Serves the document at `/api/docs-json` (built on its first request) and, outside production,
 * Swagger UI at `/api/docs`. Registered before the app initialises, beside its routes.
 */
export function mountOpenApi(app: INestApplication, { production }: { production: boolean }): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    ui: !production,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    customSiteTitle: 'Lead scoring API',
  });
}
