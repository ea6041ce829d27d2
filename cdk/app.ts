import { App } from 'aws-cdk-lib';
import { MatcherStack } from './matcher-stack';

const app = new App();
const number = (key: string): number | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined ? undefined : Number(value);
};
new MatcherStack(app, 'BudgetExpenseMatcher', {
  memorySize: number('matcher:memorySize'),
  reservedConcurrency: number('matcher:reservedConcurrency'),
});
