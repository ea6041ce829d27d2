import { InvokeApiError, resolveFunction } from '../../../local/invoke';

const config = { functionName: 'budget-expense-matcher', aliases: ['live'] };
const scope = { region: 'eu-west-1', accountId: '000000000000' };
const ARN = 'arn:aws:lambda:eu-west-1:000000000000:function:budget-expense-matcher';

function rejection(run: () => unknown): InvokeApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvokeApiError) return error;
  }
  throw new Error('expected an InvokeApiError');
}

describe('resolveFunction', () => {
  it.each([
    ['budget-expense-matcher', undefined, undefined, ARN],
    ['budget-expense-matcher:live', undefined, 'live', `${ARN}:live`],
    ['budget-expense-matcher', 'live', 'live', `${ARN}:live`],
    ['budget-expense-matcher', '$LATEST', '$LATEST', `${ARN}:$LATEST`],
    ['budget-expense-matcher:$LATEST', '$LATEST', '$LATEST', `${ARN}:$LATEST`],
    ['000000000000:function:budget-expense-matcher', undefined, undefined, ARN],
    [
      'arn:aws:lambda:us-east-1:123456789012:function:budget-expense-matcher:live',
      undefined,
      'live',
      'arn:aws:lambda:us-east-1:123456789012:function:budget-expense-matcher:live',
    ],
  ])('resolves %s with Qualifier %s', (name, qualifierParam, qualifier, arn) => {
    const resolved = resolveFunction(name, qualifierParam, config, scope);

    expect(resolved).toEqual({
      functionName: 'budget-expense-matcher',
      qualifier,
      executedVersion: '$LATEST',
      invokedFunctionArn: arn,
    });
  });

  it.each([
    [
      'another-function',
      undefined,
      `Function not found: arn:aws:lambda:eu-west-1:000000000000:function:another-function`,
    ],
    ['budget-expense-matcher:blue', undefined, `Function not found: ${ARN}:blue`],
    ['budget-expense-matcher', '7', `Function not found: ${ARN}:7`],
    ['budget', undefined, 'Function not found: arn:aws:lambda:eu-west-1:000000000000:function:budget'],
    [
      'not a name!',
      undefined,
      'Function not found: arn:aws:lambda:eu-west-1:000000000000:function:not a name!',
    ],
  ])('answers %s (Qualifier %s) with ResourceNotFoundException', (name, qualifierParam, message) => {
    const error = rejection(() => resolveFunction(name, qualifierParam, config, scope));

    expect(error).toMatchObject({ status: 404, type: 'ResourceNotFoundException', message });
  });

  it('rejects a name qualifier that contradicts the Qualifier parameter', () => {
    const error = rejection(() => resolveFunction('budget-expense-matcher:live', '$LATEST', config, scope));

    expect(error).toMatchObject({ status: 400, type: 'InvalidParameterValueException' });
    expect(error.message).toContain('(live)');
  });

  it('reports the version an alias points to as the executed version, when one is configured', () => {
    const versioned = { ...config, aliasVersion: '1' };

    expect(resolveFunction('budget-expense-matcher', 'live', versioned, scope).executedVersion).toBe('1');
    expect(resolveFunction('budget-expense-matcher:1', undefined, versioned, scope).executedVersion).toBe(
      '1',
    );
    expect(resolveFunction('budget-expense-matcher', '$LATEST', versioned, scope).executedVersion).toBe(
      '$LATEST',
    );
    expect(resolveFunction('budget-expense-matcher', undefined, versioned, scope).executedVersion).toBe(
      '$LATEST',
    );
    expect(resolveFunction('budget-expense-matcher', 'live', config, scope).executedVersion).toBe('$LATEST');
    expect(rejection(() => resolveFunction('budget-expense-matcher', '2', versioned, scope)).status).toBe(
      404,
    );
  });
});
