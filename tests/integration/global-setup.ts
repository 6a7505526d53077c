import type { TestProject } from 'vitest/node';
import { type DynamoLocal, startDynamoLocal } from '../../infra/local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

let dynamo: DynamoLocal | undefined;

/**
 * The shared DynamoDB Local's JVM: the serial collector and the C1 compiler alone. It serves many
 * small, varied requests, where C2's compiling and G1's collector threads cost more CPU than they
 * give back. The same five integration files, three alternating runs each on an idle 2-core
 * machine: 109 (103-121) s of CPU against 126 (115-136), wall 75 (70-84) s against 80 (73-86).
 * Not for the heavy files' DynamoDB Locals: the 50,000-question import is one long hot loop, and
 * took 128 s with these options against 111 s without.
 */
const SHARED_JVM = ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** One DynamoDB Local for the whole run; each test file creates its own table in it. */
export default async function setup(project: TestProject) {
  if (!process.env.DYNAMODB_ENDPOINT) dynamo = await startDynamoLocal({ javaOptions: SHARED_JVM });
  project.provide('dynamoEndpoint', process.env.DYNAMODB_ENDPOINT ?? dynamo!.endpoint);
  return async () => {
    await dynamo?.stop();
  };
}
