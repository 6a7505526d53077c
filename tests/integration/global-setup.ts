import type { TestProject } from 'vitest/node';
import { type DynamoLocal, startDynamoLocal } from '../../infra/local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let dynamo: DynamoLocal | undefined;

/** One DynamoDB Local for the whole run; each test file creates its own table in it. */
export default async function setup(project: TestProject) {
  if (!process.env.DYNAMODB_ENDPOINT) dynamo = await startDynamoLocal();
  project.provide('dynamoEndpoint', process.env.DYNAMODB_ENDPOINT ?? dynamo!.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}
