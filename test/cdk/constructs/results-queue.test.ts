import { Stack } from 'aws-cdk-lib';
import { Code, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { ResultsDatabase } from '../../../cdk/constructs/results-database';
import { ResultsQueue } from '../../../cdk/constructs/results-queue';
import { useCdkScratch } from '../../helpers/cdk-scratch';

const { app } = useCdkScratch();

describe('ResultsQueue writer concurrency', () => {
  const build = (props: {
    writerConcurrency?: number;
    writerPoolSize?: number;
    writerConnections?: number;
  }) => {
    const stack = new Stack(app(), 'Test');
    const layer = LayerVersion.fromLayerVersionArn(
      stack,
      'Layer',
      'arn:aws:lambda:us-east-1:123456789012:layer:runtime:1',
    );
    const database = new ResultsDatabase(stack, 'Database', { writerConnections: props.writerConnections });
    return new ResultsQueue(stack, 'Results', {
      layer,
      writerCode: Code.fromInline('exports.handler = async () => {}'),
      database,
      writerConcurrency: props.writerConcurrency,
      writerPoolSize: props.writerPoolSize,
    });
  };

  it('refuses writers × pool size beyond the connections the database leaves for writers, naming the fix', () => {
    expect(() => build({ writerConcurrency: 10, writerPoolSize: 4, writerConnections: 20 })).toThrow(
      /10 writers × 4 connections = 40, more than the 20 connections.*lower writerConcurrency or writerPoolSize/,
    );
    expect(() => build({ writerConcurrency: 5, writerPoolSize: 4, writerConnections: 20 })).not.toThrow();
  });

  it('refuses a writer concurrency below the event source minimum of 2', () => {
    expect(() => build({ writerConcurrency: 1 })).toThrow(/from 2 .* to 1000/);
  });
});
