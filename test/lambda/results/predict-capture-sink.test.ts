import { discardingCaptureSink } from '../../../lambda/captures';
import { S3CaptureSink } from '../../../lambda/captures/s3-capture-sink';
import { discardingSink, MemorySink, predictCaptureSink } from '../../../lambda/results';
import { RecordingLogger } from '../../helpers/recording-logger';

describe('predictCaptureSink', () => {
  const logger = new RecordingLogger();
  const recording = new MemorySink();

  it('captures to S3 when the stack names a bucket and results are recorded', () => {
    const sink = predictCaptureSink(recording, logger, {
      CAPTURE_BUCKET: 'captures',
      CAPTURE_SAMPLE_RATE: '0.1',
    });

    expect(sink).toBeInstanceOf(S3CaptureSink);
  });

  it.each([
    ['no bucket is named', recording, {}],
    ['capture is off', recording, { CAPTURE_BUCKET: 'captures', CAPTURE: 'off' }],
    ['nothing is recorded', discardingSink, { CAPTURE_BUCKET: 'captures' }],
  ])('captures nothing when %s', (_when, results, env) => {
    expect(predictCaptureSink(results, logger, env)).toBe(discardingCaptureSink);
  });

  it('refuses a sample rate it cannot use, naming the setting', () => {
    expect(() =>
      predictCaptureSink(recording, logger, { CAPTURE_BUCKET: 'c', CAPTURE_SAMPLE_RATE: '2' }),
    ).toThrow(/CAPTURE_SAMPLE_RATE/);
  });
});
