import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  LogQueryWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import type { Code, ILayerVersion } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, MONITOR_METRICS, PREDICT_METRICS } from '../../lambda/metrics/metric-names';
import { MatcherFunction } from './matcher-function';
import type { ResultsDatabase } from './results-database';

export interface MonitoringProps {
  readonly api: RestApi;
  /** The predict function's logs, queried for the codes of rejected requests. */
  readonly predictLogs: ILogGroup;
  readonly resultsQueue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly layer: ILayerVersion;
  /**
   * The monitoring function's code (`dist/monitor/function.zip`). @default none: the dashboard
   * and alarms are made, and precision and recall stay empty until a monitor is built
   */
  readonly monitorCode?: Code;
  /** Where the monitor runs its queries; required with `monitorCode`. */
  readonly database?: ResultsDatabase;
  /** When the monitor runs. @default daily at 06:00 UTC, after the day's labels are in */
  readonly schedule?: Schedule;
  /** Alarm when the share of 5xx replies over 5 minutes exceeds this. @default 0.01 (1%) */
  readonly maxServerErrorRate?: number;
  /** Alarm when the API's p99 latency over 5 minutes exceeds this. @default 5 seconds */
  readonly maxP99Latency?: Duration;
  /** Alarm when daily precision falls below this. @default 0.8 */
  readonly precisionFloor?: number;
  /** Alarm when daily recall falls below this. @default 0.8 */
  readonly recallFloor?: number;
  /** Where alarms are emailed. @default none (alarms show in the console only) */
  readonly alarmEmail?: string;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

/**
 * Watching the service: the scheduled monitor that publishes precision and recall, a dashboard
 * of what matters, and alarms on it.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  /** 5xx rate and p99 latency: also the rollback alarms of a gradual rollout. */
  readonly serviceAlarms: readonly IAlarm[];
  readonly alarms: readonly Alarm[];
  readonly monitor?: MatcherFunction;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    if (props.monitorCode) {
      if (!props.database) throw new Error('Monitoring: monitorCode needs a database');
      const monitor = new MatcherFunction(this, 'Monitor', {
        code: props.monitorCode,
        description: 'Computes daily precision and recall from results and labels; publishes them as metrics',
        layer: props.layer,
        timeout: Duration.minutes(5),
        // One daily run; a second at once would only repeat it and hold a second connection.
        reservedConcurrency: 1,
        logRetention: props.logRetention,
        vpc: props.database.vpc,
        vpcSubnets: props.database.subnets,
        environment: { DATABASE_SECRET_ARN: props.database.secret.secretArn },
      });
      props.database.allowFrom(monitor);
      new Rule(this, 'Daily', {
        schedule: props.schedule ?? Schedule.cron({ minute: '0', hour: '6' }),
        targets: [new LambdaTarget(monitor, { retryAttempts: 2 })],
      });
      this.monitor = monitor;
    }

    const fiveMinutes = Duration.minutes(5);
    const own = (
      metricName: string,
      statistic: string,
      dimensionsMap: Record<string, string>,
      period = fiveMinutes,
    ) => new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap, statistic, period });
    const fromPredict = { ...PREDICT_METRICS, dimensions: { service: PREDICT_METRICS.service } };
    const fromMonitor = { ...MONITOR_METRICS, dimensions: { service: MONITOR_METRICS.service } };
    const requests = props.api.metricCount({ period: fiveMinutes, statistic: 'Sum' });
    const serverErrors = props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    const clientErrors = props.api.metricClientError({ period: fiveMinutes, statistic: 'Sum' });
    const serverErrorRate = new MathExpression({
      expression: 'IF(requests > 0, errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      period: fiveMinutes,
      label: '5xx rate',
    });
    const latency = (statistic: string) => props.api.metricLatency({ period: fiveMinutes, statistic });
    const queueAge = props.resultsQueue.metricApproximateAgeOfOldestMessage({ period: fiveMinutes });
    const deadLetters = props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: fiveMinutes,
      statistic: 'Maximum',
    });
    const precision = own(fromMonitor.precision, 'Minimum', fromMonitor.dimensions, Duration.days(1));
    const recall = own(fromMonitor.recall, 'Minimum', fromMonitor.dimensions, Duration.days(1));
    const falling = own(fromMonitor.qualityShifts, 'Maximum', fromMonitor.dimensions, Duration.days(1));
    // One line per model version, over every version the monitor has published (Metrics Insights
    // reads two weeks back for graphs, which covers the monitor's back-dated daily points).
    const perVersion = (metricName: string) =>
      new MathExpression({
        expression: `SELECT AVG(${metricName}) FROM SCHEMA("${METRICS_NAMESPACE}", ${fromMonitor.versionDimension}, service) GROUP BY ${fromMonitor.versionDimension}`,
        period: Duration.days(1),
        label: metricName,
      });

    const alarm = (id: string, description: string, settings: ConstructorParameters<typeof Alarm>[2]) =>
      new Alarm(this, id, { ...settings, alarmDescription: description });
    const serverErrorAlarm = alarm('ServerErrorRate', '5xx replies above the allowed share', {
      metric: serverErrorRate,
      threshold: props.maxServerErrorRate ?? 0.01,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const latencyAlarm = alarm('P99Latency', 'p99 latency of the API above the allowed time', {
      metric: latency('p99'),
      threshold: (props.maxP99Latency ?? Duration.seconds(5)).toMilliseconds(),
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const deadLetterAlarm = alarm('DeadLetters', 'results that could not be written are waiting for replay', {
      metric: deadLetters,
      threshold: 0,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    // No labels on a day means no figure, not a bad one.
    const floorAlarm = (id: string, metric: Metric, floor: number, what: string) =>
      alarm(id, `daily ${what} below ${floor}`, {
        metric,
        threshold: floor,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const precisionAlarm = floorAlarm('PrecisionFloor', precision, props.precisionFloor ?? 0.8, 'precision');
    const recallAlarm = floorAlarm('RecallFloor', recall, props.recallFloor ?? 0.8, 'recall');
    // A slow decay or a step that stays above the floors and inside the daily band: the monitor's
    // Theil–Sen trend and two-window shift detectors (under 1 false flag per 100 days of noise).
    const shiftAlarm = alarm(
      'QualityShift',
      'live precision or recall trending down or shifted down (robust trend or change of level)',
      {
        metric: falling,
        threshold: 0,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      },
    );
    this.serviceAlarms = [serverErrorAlarm, latencyAlarm];
    this.alarms = [serverErrorAlarm, latencyAlarm, deadLetterAlarm, precisionAlarm, recallAlarm, shiftAlarm];
    if (props.alarmEmail) {
      const topic = new Topic(this, 'AlarmTopic', { enforceSSL: true });
      topic.addSubscription(new EmailSubscription(props.alarmEmail));
      for (const a of this.alarms) a.addAlarmAction(new SnsAction(topic));
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'budget-expense-matcher' });
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Requests', left: [requests], width: 8 }),
      new GraphWidget({ title: 'Errors (4xx, 5xx)', left: [clientErrors, serverErrors], width: 8 }),
      new GraphWidget({ title: 'Latency p50 / p99 (ms)', left: [latency('p50'), latency('p99')], width: 8 }),
    );
    this.dashboard.addWidgets(
      new LogQueryWidget({
        title: 'Rejected requests by error code',
        logGroupNames: [props.predictLogs.logGroupName],
        queryLines: ['filter message = "request rejected"', 'stats count(*) by code', 'sort count(*) desc'],
        width: 8,
      }),
      new GraphWidget({
        title: 'Pairs scored and item errors',
        left: [own(fromPredict.pairsScored, 'Sum', fromPredict.dimensions)],
        right: [
          own(fromPredict.itemErrors, 'Sum', fromPredict.dimensions),
          own(fromPredict.scoresNotFinite, 'Sum', fromPredict.dimensions),
          own(fromPredict.rowsDropped, 'Sum', fromPredict.dimensions),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Results queue age (s) and dead letters',
        left: [queueAge],
        right: [deadLetters],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Precision and recall by model version (daily)',
        left: [perVersion(fromMonitor.precision), perVersion(fromMonitor.recall)],
        leftYAxis: { min: 0, max: 1 },
        width: 16,
      }),
      new GraphWidget({
        title: 'Trend per day (Theil–Sen slope) and live figures falling',
        left: [perVersion(fromMonitor.precisionSlope), perVersion(fromMonitor.recallSlope)],
        right: [falling],
        width: 8,
      }),
    );
  }
}
