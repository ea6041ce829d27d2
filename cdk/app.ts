import { existsSync } from 'node:fs';
import { App, Duration } from 'aws-cdk-lib';
import { LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { DIST } from '../scripts/esbuild-options';
import { readMatcherContext } from './context';
import { MatcherStack } from './matcher-stack';

const app = new App();
const context = readMatcherContext((key) => app.node.tryGetContext(key));

// The stack deploys exactly the zips `npm run build` wrote and `npm run check:lambda` ran.
const zip = (path: string) => (existsSync(path) ? Code.fromAsset(path) : undefined);
const predict = zip(DIST.functionZip('predict'));
const layer = zip(DIST.layerZip);
if (!predict || !layer) {
  console.error(`${DIST.functionZip('predict')} or ${DIST.layerZip} is missing: run \`npm run build\` first`);
  process.exit(1);
}

new MatcherStack(app, context.stackName, {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  code: {
    predict,
    layer,
    writer: zip(DIST.functionZip('writer')),
    monitor: zip(DIST.functionZip('monitor')),
    labels: zip(DIST.functionZip('labels')),
  },
  predict: context.predict,
  auth: context.auth,
  throttle: context.throttle,
  modelBucketName: context.modelBucketName,
  modelPrefix: context.modelPrefix,
  existingDatabase: context.existingDatabase,
  rollout: context.rollout ? LambdaDeploymentConfig[context.rollout] : undefined,
  alarms: {
    ...context.alarms,
    maxP99Latency:
      context.alarms.maxP99LatencyMs === undefined
        ? undefined
        : Duration.millis(context.alarms.maxP99LatencyMs),
  },
  logRetention: context.logRetentionDays,
  apiCloudWatchRole: context.apiCloudWatchRole,
});
