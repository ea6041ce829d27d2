import type { Context } from 'aws-lambda';
import { type InvokeOptions, invokeFunction, MAX_RESPONSE_BYTES } from '../../../local/invoke';

const options: InvokeOptions = {
  functionName: 'budget-expense-matcher',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:budget-expense-matcher',
  timeoutSeconds: 5,
  memorySizeMb: 1024,
  requestId: 'c0ffee00-0000-4000-8000-000000000000',
};

describe('invokeFunction', () => {
  it('returns the handler result as JSON, framed by START/END/REPORT log lines', async () => {
    const result = await invokeFunction(async (event) => ({ echoed: event }), { a: 1 }, options);

    expect(result).toMatchObject({
      outcome: 'success',
      payload: '{"echoed":{"a":1}}',
      functionError: undefined,
    });
    expect(result.log.text()).toMatch(
      /^START RequestId: c0ffee00-\S+ Version: \$LATEST\nEND RequestId: c0ffee00-\S+\nREPORT RequestId: c0ffee00-\S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 1024 MB\tMax Memory Used: \d+ MB\t\n$/,
    );
  });

  it('answers null for a handler that returns nothing', async () => {
    const result = await invokeFunction(() => undefined, {}, options);

    expect(result.payload).toBe('null');
  });

  it('captures what the handler writes to stdout and stderr into its log', async () => {
    const result = await invokeFunction(
      async () => {
        process.stdout.write('to stdout\n');
        await Promise.resolve();
        process.stderr.write(Buffer.from('to stderr\n'));
        return 'done';
      },
      {},
      options,
    );

    expect(result.log.text().split('\n').slice(1, 3)).toEqual(['to stdout', 'to stderr']);
  });

  it("prefixes the handler's console lines as Lambda's Node.js runtime does", async () => {
    const result = await invokeFunction(
      () => {
        console.log('scored %d pairs', 3);
        console.error(new Error('noted'));
      },
      {},
      options,
    );

    const lines = result.log.text().split('\n');
    expect(lines[1]).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z\tc0ffee00-0000-4000-8000-000000000000\tINFO\tscored 3 pairs$/,
    );
    expect(lines[2]).toMatch(/^\S+\tc0ffee00-0000-4000-8000-000000000000\tERROR\tError: noted$/);
  });

  it('ends the invocation when the handler calls the deprecated context.succeed or context.fail', async () => {
    const succeeded = await invokeFunction(
      (_event, context: Context) => {
        context.succeed({ ok: true });
        return new Promise(() => {});
      },
      {},
      options,
    );
    const failed = await invokeFunction(
      (_event, context: Context) => {
        context.fail(new RangeError('out of range'));
        return new Promise(() => {});
      },
      {},
      options,
    );

    expect(succeeded.payload).toBe('{"ok":true}');
    expect(failed).toMatchObject({
      functionError: 'Unhandled',
      payload: '{"errorType":"RangeError","errorMessage":"out of range"}',
    });
  });

  it('turns a non-Error throw into errorType and errorMessage as the Node.js runtime does', async () => {
    const result = await invokeFunction(
      () => {
        throw 'plain string';
      },
      {},
      options,
    );

    expect(JSON.parse(result.payload)).toEqual({ errorType: 'string', errorMessage: 'plain string' });
  });

  it('fails a reply that cannot be serialised, or is over the 6 MB response limit, as Unhandled', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;

    const unmarshallable = await invokeFunction(() => circular, {}, options);
    const tooLarge = await invokeFunction(() => 'x'.repeat(MAX_RESPONSE_BYTES), {}, options);

    expect(JSON.parse(unmarshallable.payload)).toMatchObject({ errorType: 'Runtime.MarshalError' });
    expect(JSON.parse(tooLarge.payload)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  it('drops what a timed-out handler writes after the timeout', async () => {
    let wake: () => void = () => {};
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    let finished: () => void = () => {};
    const wroteLate = new Promise<void>((resolve) => {
      finished = resolve;
    });

    const result = await invokeFunction(
      async () => {
        await woken;
        process.stdout.write('too late\n');
        finished();
      },
      {},
      { ...options, timeoutSeconds: 0.05 },
    );
    wake();
    await wroteLate;

    expect(result.outcome).toBe('timeout');
    expect(result.log.text()).not.toContain('too late');
    expect(result.log.text()).toContain('Task timed out after 0.05 seconds');
  });
});
